import CRMCore

/// crm's exit codes. Scripts depend on them: add new ones, never renumber. Documented in README.md.
enum ExitStatus: Int32, CaseIterable {
    case success = 0
    /// The user declined a confirmation, or a destructive command ran without --yes and without a terminal.
    case cancelled = 1
    /// Wrong command-line usage (unknown option, missing argument): swift-argument-parser's code.
    case usage = 64
    case invalidInput = 65
    case notFound = 66
    case conflict = 67
    /// The database (or another service) cannot be reached or refused the credentials.
    case unavailable = 69
    /// A bug: the message says to report it.
    case internalError = 70
    /// An output file (crm qr --output, --png) cannot be written.
    case cannotWriteOutput = 73
    /// Timed out waiting for something outside crm (a QR scan): trying again may work (EX_TEMPFAIL).
    case timedOut = 75
    case configuration = 78

    init(_ kind: CRMError.Kind) {
        switch kind {
        case .invalidInput: self = .invalidInput
        case .notFound: self = .notFound
        case .conflict: self = .conflict
        case .unavailable: self = .unavailable
        case .configuration: self = .configuration
        case .timedOut: self = .timedOut
        case .notConfirmed: self = .cancelled
        case .internal: self = .internalError
        }
    }
}
