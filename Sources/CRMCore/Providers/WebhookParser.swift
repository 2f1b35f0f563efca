import Foundation

/// Turns one provider's raw webhook body into normalized events.
///
/// A parser is a pure function of the bytes: no I/O, no clock, no state, so one instance can
/// serve every request concurrently.
package protocol WebhookParser: Sendable {
    /// The provider whose bodies this parser reads.
    var provider: ProviderKind { get }

    /// Parses one webhook body.
    ///
    /// - Parameters:
    ///   - body: the raw request body, exactly as received.
    ///   - pathEvent: the event name taken from the URL, for providers that put it there
    ///     (Evolution's "webhook by events" posts to `…/messages-upsert`); `nil` otherwise.
    ///     Providers that never do ignore it.
    /// - Returns: the events in body order; empty when the body is valid but changes nothing
    ///   (presence, contact bookkeeping, deletes, status stories…).
    /// - Throws: `WebhookParseError` when the body is not JSON or lacks, or mistypes, what its
    ///   event needs.
    func parse(_ body: Data, pathEvent: String?) throws(WebhookParseError) -> [WebhookEvent]
}

extension WebhookParser {
    /// Parses a body that arrived on the provider's base webhook URL.
    package func parse(_ body: Data) throws(WebhookParseError) -> [WebhookEvent] {
        try parse(body, pathEvent: nil)
    }
}
