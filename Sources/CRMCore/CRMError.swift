/// An error meant for the person or script that ran crm: one line that names the problem and what to do.
///
/// Adapters translate their own failures (SQL errors, HTTP errors) into this type, so that nothing
/// internal (SQL, stack traces, tokens, passwords) reaches a user. The command line maps `kind` to an exit code.
public struct CRMError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The input is malformed or breaks a rule (bad email, short password, empty name).
        case invalidInput
        /// A unit, user or other record that the input names does not exist.
        case notFound
        /// The record already exists (duplicate slug or email) or the request conflicts with the stored one.
        case conflict
        /// The database (or another service) cannot be reached or refused the credentials.
        case unavailable
        /// The configuration is wrong or incomplete (bad URL, pending migrations, missing key).
        case configuration
        /// A destructive action was not confirmed.
        case notConfirmed
        /// A bug or an unexpected state; the message stays free of internals.
        case `internal`
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    public static func invalidInput(_ message: String) -> CRMError { CRMError(.invalidInput, message) }
    public static func notFound(_ message: String) -> CRMError { CRMError(.notFound, message) }
    public static func conflict(_ message: String) -> CRMError { CRMError(.conflict, message) }
    public static func unavailable(_ message: String) -> CRMError { CRMError(.unavailable, message) }
    public static func configuration(_ message: String) -> CRMError { CRMError(.configuration, message) }
}
