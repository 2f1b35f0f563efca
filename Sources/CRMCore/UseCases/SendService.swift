import Foundation

/// `crm send`: stores the message as queued under its idempotency key, then (unless queued for
/// the listener's worker) calls the provider with retries, and records the outcome. The same key
/// sent again, in sequence or by several processes at once, makes one provider call: the caller
/// that holds the lease sends; the others wait for its outcome.
package struct SendService: Sendable {
    package typealias SendStore = OutboundStore & ConnectionStore & RecipientStore

    let store: any SendStore
    let now: @Sendable () -> Date
    /// The provider call and its record, shared with the listener's outbound worker.
    let delivery: OutboundDelivery

    package static let maxAttempts = OutboundDelivery.maxAttempts
    package static let maxTextLength = 4_096
    static let leaseSeconds = OutboundDelivery.leaseSeconds

    /// `backoff`: the pause after attempt n (1-based) before the next, exponential with jitter.
    package init(
        store: any SendStore, now: @escaping @Sendable () -> Date = { Date() },
        backoff: @escaping @Sendable (Int) -> Duration = OutboundDelivery.defaultBackoff
    ) {
        self.store = store
        self.now = now
        delivery = OutboundDelivery(store: store, now: now, backoff: backoff)
    }

    package struct Outcome: Sendable {
        package var message: Message
        /// `false` when the key had been used before (no new provider call by this caller).
        package var createdNow: Bool
    }

    /// Checks the text and the recipient, and that the unit is connected; returns the request to store.
    package func prepare(unit: BusinessUnit, to phone: String, text: String, clientMessageId: String?, force: Bool = false)
        async throws -> (OutboundRequest, WhatsAppConnection)
    {
        try await prepare(unit: unit, to: phone, content: .text(text), clientMessageId: clientMessageId, force: force)
    }

    /// Checks the content and the recipient, that the unit is connected, and the send rules
    /// (`SendPolicy`: opt-out unless `force`, Meta's 24-hour window for free text, templates on
    /// Meta only); returns the request to store. Nothing is stored or sent when it throws. A client
    /// message id already used skips the rules: storing it answers that message, or a conflict.
    /// A unit that is not connected and a refused message throw `crm send`'s wording, or, with
    /// `wording: .typed`, a `SendRejection` for callers that word it themselves (the HTTP API).
    package func prepare(
        unit: BusinessUnit, to phone: String, content: OutboundContent, clientMessageId: String?, force: Bool = false,
        wording: SendWording = .commandLine
    ) async throws -> (OutboundRequest, WhatsAppConnection) {
        let body: String
        switch content {
        case .text(let text):
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw CRMError.invalidInput("The message is empty: give the text with --text, --text-file or standard input.")
            }
            guard text.count <= Self.maxTextLength else {
                throw CRMError.invalidInput("The message has \(text.count) characters; WhatsApp takes at most \(Self.maxTextLength).")
            }
            body = text
        case .template(let template):
            body = try template.validated().summary
        }
        let digits = try PhoneNumberNormalizer.normalize(phone, defaultCountryCode: unit.defaultCountryCode)
        if let key = clientMessageId, key.isEmpty || key.count > 200 {
            throw CRMError.invalidInput("The client message id must have 1 to 200 characters.")
        }
        guard let connection = try await store.connection(unitId: unit.id), connection.status.state == .connected else {
            if wording == .typed { throw SendRejection.notConnected }
            throw CRMError(.unavailable,
                "Unit \(unit.slug) is not connected to WhatsApp: run `crm whatsapp connect --unit \(unit.slug)` "
                    + "(check with `crm whatsapp status --unit \(unit.slug)`); nothing was sent.")
        }
        let keyUsed = if let clientMessageId {
            try await store.outboundMessage(unitId: unit.id, clientMessageId: clientMessageId) != nil
        } else {
            false
        }
        if !keyUsed {
            let recipient = try await store.sendRecipient(unitId: unit.id, phone: digits)
            if let refusal = SendPolicy.refusal(
                provider: connection.provider, content: content, recipient: recipient, force: force, now: now()) {
                if wording == .typed { throw SendRejection.refused(refusal) }
                throw refusalError(refusal, unit: unit, phone: digits)
            }
        }
        let request = OutboundRequest(
            unitId: unit.id, provider: connection.provider, phone: digits, body: body, template: content.template,
            clientMessageId: clientMessageId ?? UUID().uuidString.lowercased(), queuedAt: now()
        )
        return (request, connection)
    }

    /// Stores the message (idempotently) and, unless `queueOnly`, sends it through `provider`.
    package func send(_ request: OutboundRequest, connection: WhatsAppConnection, provider: (any WhatsAppProvider)?, queueOnly: Bool)
        async throws -> Outcome
    {
        let stored = try await store.enqueueOutbound(request)
        let message: Message
        let createdNow: Bool
        switch stored {
        case .conflict(let existing):
            throw CRMError.conflict(
                "Client message id '\(request.clientMessageId.prefix(80))' was already used for another recipient or text "
                    + "(message \(existing.id.uuidString.lowercased())): use a new id."
            )
        case .existing(let existing):
            (message, createdNow) = (existing, false)
        case .created(let created):
            (message, createdNow) = (created, true)
        }
        guard message.state == .queued, !queueOnly, let provider else { return Outcome(message: message, createdNow: createdNow) }
        let owner = UUID().uuidString
        let date = now()
        guard try await store.claimOutbound(id: message.id, owner: owner, until: date.addingTimeInterval(Self.leaseSeconds), now: date)
        else {
            // Another caller with the same key is sending it: its outcome is ours.
            return Outcome(message: try await waitForOutcome(message.id), createdNow: false)
        }
        return Outcome(message: try await attempt(message, to: request.phone, connection: connection, provider: provider),
                       createdNow: createdNow)
    }

    /// Up to `maxAttempts` calls in all (counting earlier ones, by any process): after a failure
    /// that may pass, waits the backoff and takes the lease again; other failures are final.
    private func attempt(_ message: Message, to phone: String, connection: WhatsAppConnection, provider: any WhatsAppProvider)
        async throws -> Message
    {
        var message = message
        while true {
            switch try await delivery.deliver(message, to: phone, connection: connection, provider: provider) {
            case .sent:
                return try await store.outboundMessage(id: message.id) ?? message
            case .failed(_, let error):
                throw SendFailure(message: try await store.outboundMessage(id: message.id) ?? message, error: error)
            case .retry(_, let pause, _):
                try await Task.sleep(for: pause)
                let date = now()
                guard try await store.claimOutbound(
                    id: message.id, owner: "retry-\(message.id)", until: date.addingTimeInterval(Self.leaseSeconds), now: date)
                else { return try await waitForOutcome(message.id) }
                // A listener's worker may have made a call meanwhile: count from the record.
                message = try await store.outboundMessage(id: message.id) ?? message
            }
        }
    }

    /// Polls until the message leaves `queued` (another process is sending it).
    private func waitForOutcome(_ id: UUID) async throws -> Message {
        let deadline = Date().addingTimeInterval(Self.leaseSeconds)
        while Date() < deadline {
            if let message = try await store.outboundMessage(id: id), message.state != .queued {
                if message.state == .failed {
                    throw SendFailure(message: message, error: CRMError.unavailable(message.errorMessage ?? "The send failed."))
                }
                return message
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CRMError(.timedOut, "Another crm is still sending message \(id.uuidString.lowercased()): check it later with `crm messages show`.")
    }
}

/// A send that failed for good: the message as recorded (failed) and the reason for the user.
package struct SendFailure: Error, Sendable {
    package let message: Message
    package let error: CRMError
}
