/// An error meant for the person or script that ran crm: one line that names the problem and what to do.
///
/// Adapters translate their own failures (SQL errors, HTTP errors) into this type, so that nothing
/// internal (SQL, stack traces, tokens, passwords) reaches a user. The command line maps `kind` to an exit code.
package struct CRMError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Kind: String, Sendable, Equatable, CaseIterable {
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
        /// Waited too long for something outside crm (a QR code scan, a provider): trying again may work.
        case timedOut
        /// A destructive action was not confirmed.
        case notConfirmed
        /// A bug or an unexpected state; the message stays free of internals.
        case `internal`
    }

    package let kind: Kind
    package let message: String
    /// The same for an HTTP API client, when `message` tells what to do in the command line's
    /// words (an option, a command): the rules are shared, the advice is not.
    package let apiMessage: String?

    package init(_ kind: Kind, _ message: String, api apiMessage: String? = nil) {
        self.kind = kind
        self.message = message
        self.apiMessage = apiMessage
    }

    package var description: String { message }

    package static func invalidInput(_ message: String, api: String? = nil) -> CRMError { CRMError(.invalidInput, message, api: api) }
    package static func notFound(_ message: String) -> CRMError { CRMError(.notFound, message) }
    package static func conflict(_ message: String, api: String? = nil) -> CRMError { CRMError(.conflict, message, api: api) }
    package static func unavailable(_ message: String) -> CRMError { CRMError(.unavailable, message) }
    package static func configuration(_ message: String) -> CRMError { CRMError(.configuration, message) }

    /// The database aborted a transaction that conflicted with another (a deadlock, a serialization
    /// failure): running it again usually works (`ConflictRetry`).
    package static let transactionConflict = CRMError.unavailable("The database aborted a conflicting transaction: run the command again.")
}
