import Foundation

/// `crm send`: stores the message as queued under its idempotency key, then (unless queued for
/// the listener's worker) calls the provider with retries, and records the outcome. The same key
/// sent again, in sequence or by several processes at once, makes one provider call: the caller
/// that holds the lease sends; the others wait for its outcome.
package struct SendService: Sendable {
    package typealias SendStore = OutboundStore & ConnectionStore & RecipientStore

    let store: any SendStore
    let now: @Sendable () -> Date
    /// Pause after attempt n (1-based) before the next: exponential with jitter.
    let backoff: @Sendable (Int) -> Duration

    package static let maxAttempts = 3
    package static let maxTextLength = 4_096
    /// How long one sender may hold a message before another may take it over (it crashed).
    static let leaseSeconds: TimeInterval = 120

    package init(
        store: any SendStore, now: @escaping @Sendable () -> Date = { Date() },
        backoff: @escaping @Sendable (Int) -> Duration = SendService.defaultBackoff
    ) {
        self.store = store
        self.now = now
        self.backoff = backoff
    }

    /// 0.5 s, 1 s (× 0.5…1 jitter).
    package static func defaultBackoff(_ attempt: Int) -> Duration {
        .milliseconds(Int(500.0 * pow(2, Double(attempt - 1)) * Double.random(in: 0.5...1)))
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
    package func prepare(
        unit: BusinessUnit, to phone: String, content: OutboundContent, clientMessageId: String?, force: Bool = false
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

    /// Up to `maxAttempts` calls in all (counting earlier ones); retryable failures wait and retry,
    /// the others fail at once.
    private func attempt(_ message: Message, to phone: String, connection: WhatsAppConnection, provider: any WhatsAppProvider)
        async throws -> Message
    {
        var attempts = message.retryCount
        while true {
            attempts += 1
            do {
                let externalId = try await provider.deliver(message, to: phone, instance: connection.instanceName)
                try await store.recordSent(id: message.id, externalId: externalId, attempts: attempts, at: now())
                return try await store.outboundMessage(id: message.id) ?? message
            } catch let error as ProviderError {
                if error.isRetryable && attempts < Self.maxAttempts {
                    let pause = backoff(attempts)
                    try await store.recordRetry(
                        id: message.id, attempts: attempts, error: error.message, nextAttemptAt: now().addingTimeInterval(pause.seconds), at: now())
                    try await Task.sleep(for: pause)
                    let date = now()
                    guard try await store.claimOutbound(
                        id: message.id, owner: "retry-\(message.id)", until: date.addingTimeInterval(Self.leaseSeconds), now: date)
                    else { return try await waitForOutcome(message.id) }
                    continue
                }
                try await store.recordFailed(id: message.id, attempts: attempts, code: error.status.map(String.init), error: error.message, at: now())
                throw SendFailure(message: try await store.outboundMessage(id: message.id) ?? message, error: error.error)
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

extension Duration {
    var seconds: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
