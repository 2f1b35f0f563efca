import Crypto
import Foundation

/// Receives one provider webhook body for the unit its URL names, and applies it exactly once:
/// the raw body, what its events change and its outcome are written in one transaction (one
/// commit per webhook); when applying fails, that transaction rolls back and the body is stored
/// on its own as `failed`, so nothing is lost (a retry or `crm webhook replay` applies it). A
/// retried body is recognized by its hash, and every write relies on the database's unique keys,
/// so several listeners on one database agree. The HTTP layer only maps `Outcome` to a status.
package struct WebhookIngestion: Sendable {
    package typealias IngestStore = WebhookApplyStore & IngestTransactions

    let store: any IngestStore
    let parsers: [ProviderKind: any WebhookParser]
    let secretBox: @Sendable () throws -> SecretBox
    let now: @Sendable () -> Date
    /// The listener's batcher for plain inbound messages; without it every body goes one by one.
    let batcher: InboundBatcher?
    /// The listener's recently looked-up secrets; without it every body looks its secret up.
    let secretCache: SecretLookupCache?
    /// The listener's recently read opt-out keywords; without it a short text reads its unit's.
    let optOutCache: OptOutKeywordCache?

    package init(
        store: any IngestStore, parsers: [any WebhookParser], secretBox: @escaping @Sendable () throws -> SecretBox,
        now: @escaping @Sendable () -> Date = { Date() }, batcher: InboundBatcher? = nil, secretCache: SecretLookupCache? = nil,
        optOutCache: OptOutKeywordCache? = nil
    ) {
        self.secretCache = secretCache
        self.optOutCache = optOutCache
        self.store = store
        self.batcher = batcher
        self.parsers = Dictionary(parsers.map { ($0.provider, $0) }, uniquingKeysWith: { first, _ in first })
        self.secretBox = secretBox
        self.now = now
    }

    /// What happened to a body; the listener answers with `httpStatus`.
    package enum Outcome: Sendable, Equatable {
        /// No unit has this secret: nothing stored (404).
        case unknownSecret
        /// The unit's connection uses another provider (409).
        case wrongProvider(expected: ProviderKind)
        /// Meta's X-Hub-Signature-256 is missing or wrong (401).
        case badSignature
        /// Not JSON or not the provider's shape: stored as invalid (400).
        case invalid(reason: String)
        /// Applied now (200); `results` per event.
        case processed(eventId: UUID, result: WebhookEventResult, events: [EventResult])
        /// The same body was already applied (200).
        case duplicate(eventId: UUID)
        /// Storing or applying failed (500): the provider retries, `crm webhook replay` can too.
        case failed(eventId: UUID?, reason: String)

        package var httpStatus: Int {
            switch self {
            case .unknownSecret: 404
            case .wrongProvider: 409
            case .badSignature: 401
            case .invalid: 400
            case .processed, .duplicate: 200
            case .failed: 500
            }
        }
    }

    /// What one event of a body did.
    package enum EventResult: Sendable, Equatable {
        case connection(ConnectionState)
        case messageStored
        case messageDuplicate
        case status(StatusApplyResult)
        case ignored(String)
        case unknownInstance(String)
    }

    /// The unit's connection for a URL secret, or `nil` (malformed or unknown: same answer).
    package func connection(forSecret secret: String) async throws -> WhatsAppConnection? {
        guard WebhookSecret.isWellFormed(secret) else { return nil }
        let lookup = WebhookSecret.hash(secret)
        if let cached = secretCache?.connection(hash: lookup, now: now()) { return cached }
        guard let connection = try await store.connection(webhookSecretHash: lookup),
              let hash = connection.webhookSecretHash, WebhookSecret.matches(secret, hash: hash) else { return nil }
        secretCache?.remember(connection, hash: lookup, now: now())
        return connection
    }

    package func receive(
        provider: ProviderKind, secret: String, body: Data, pathEvent: String? = nil, signature: String? = nil
    ) async throws -> Outcome {
        guard let connection = try await connection(forSecret: secret) else { return .unknownSecret }
        guard connection.provider == provider else { return .wrongProvider(expected: connection.provider) }
        if provider == .meta {
            guard try MetaSignature.verify(body: body, header: signature, connection: connection, box: secretBox) else {
                return .badSignature
            }
        }
        guard let parser = parsers[provider] else { return .invalid(reason: "no parser for \(provider.rawValue)") }
        let received = now()
        let text = String(decoding: body, as: UTF8.self)
        let events: [WebhookEvent]
        do {
            events = try parser.parse(body, pathEvent: pathEvent)
        } catch {
            let record = StoredWebhookEvent(
                unitId: connection.unitId, provider: provider, eventType: "invalid", instance: nil,
                dedupeKey: Self.dedupeKey(body), body: text, result: .invalid, error: error.description, receivedAt: received
            )
            _ = try await store.recordWebhookEvent(record)
            return .invalid(reason: error.description)
        }
        let record = StoredWebhookEvent(
            unitId: connection.unitId, provider: provider, eventType: events.first?.kind.rawValue ?? "none",
            instance: events.first?.instance, dedupeKey: Self.dedupeKey(body), body: text, receivedAt: received
        )
        if let batcher,
           var item = Self.batchable(events, record: record, connection: connection, escapingBody: batcher.takesBodiesAsJSON),
           let optsOut = try? await optOutDetection.optsOut(item.message, store: store) {
            // A failed batch stored nothing: this body then goes the one-by-one way below, which
            // stores it as failed if it is the cause. A body already stored goes that way too (and
            // so does one whose unit's keywords could not be read).
            item.message.optsOut = optsOut
            switch try? await batcher.submit(item) {
            case .stored: return .processed(eventId: record.id, result: .applied, events: [.messageStored])
            case .duplicateMessage: return .processed(eventId: record.id, result: .applied, events: [.messageDuplicate])
            case .bodyAlreadyStored, nil: break
            }
        }
        do {
            // A deadlock with another writer (the send worker, another listener) rolls it all back: again.
            return try await ConflictRetry.run { try await store.inIngestTransaction { transaction in
                // A concurrent copy of this body (another listener) waits here until the first commits.
                let stored = try await transaction.recordWebhookEvent(record)
                if let stored, !Self.needsApplying(stored, now: received) {
                    return .duplicate(eventId: stored.id)
                }
                // A new body, or a retry of one whose first attempt failed or died: apply it (idempotent).
                let eventId = stored?.id ?? record.id
                return try await applyAndFinish(events, eventId: eventId, connection: connection, receivedAt: received, in: transaction)
            } }
        } catch {
            // Rolled back: keep the body as failed, so that a retry or a replay applies it. When even that
            // cannot be written (the database is down), the error goes up and the provider retries on the 500.
            let reason = Self.sanitized(error)
            var failed = record
            failed.result = .failed
            failed.error = reason
            failed.attempts = 1
            failed.appliedAt = now()
            if let existing = try await store.recordWebhookEvent(failed) {
                try await store.finishWebhookEvent(id: existing.id, result: .failed, error: reason, at: now())
                return .failed(eventId: existing.id, reason: reason)
            }
            return .failed(eventId: failed.id, reason: reason)
        }
    }

    /// Applies the events of a stored body and records the outcome, in one transaction; a failure is
    /// recorded on its own afterwards. Used by replay and by `recoverPending`.
    package func apply(_ events: [WebhookEvent], eventId: UUID, connection: WhatsAppConnection, receivedAt: Date) async
        -> Outcome
    {
        do {
            return try await ConflictRetry.run { try await store.inIngestTransaction { transaction in
                try await applyAndFinish(events, eventId: eventId, connection: connection, receivedAt: receivedAt, in: transaction)
            } }
        } catch {
            let reason = Self.sanitized(error)
            try? await store.finishWebhookEvent(id: eventId, result: .failed, error: reason, at: now())
            return .failed(eventId: eventId, reason: reason)
        }
    }

    /// The events, then the body's outcome, through `transaction`; throws (to roll back) when one fails.
    private func applyAndFinish(
        _ events: [WebhookEvent], eventId: UUID, connection: WhatsAppConnection, receivedAt: Date,
        in transaction: any WebhookApplyStore
    ) async throws -> Outcome {
        var results: [EventResult] = []
        let applier = EventApplier(store: transaction, connection: connection, receivedAt: receivedAt, optOut: optOutDetection)
        for event in events {
            results.append(try await applier.apply(event))
        }
        let result = Self.summary(results)
        try await transaction.finishWebhookEvent(id: eventId, result: result, error: nil, at: now())
        return .processed(eventId: eventId, result: result, events: results)
    }

    private var optOutDetection: OptOutDetection { OptOutDetection(cache: optOutCache, now: now()) }

    /// The batch form of a body, when it is one plain inbound message for the URL's own number:
    /// from a phone (no LID to reconcile), not from the account itself (no receipts to apply).
    static func batchable(
        _ events: [WebhookEvent], record: StoredWebhookEvent, connection: WhatsAppConnection, escapingBody: Bool = true
    ) -> InboundWebhook? {
        guard events.count == 1, case .inboundMessage(let message) = events[0], !message.isGroup, !message.fromMe,
              message.from != nil, message.lid == nil, message.instance == connection.instanceName else { return nil }
        var applied = record
        applied.result = .applied
        applied.attempts = 1
        applied.appliedAt = record.receivedAt
        return InboundWebhook(
            record: applied, message: EventApplier.incoming(message, for: connection, receivedAt: record.receivedAt),
            escapingBody: escapingBody
        )
    }

    /// How long a body may stay `pending` before a retry of it re-applies it: shorter, and two
    /// listeners receiving the same body at once would both apply it (harmless, but counted twice);
    /// a listener killed mid-apply leaves it pending, and `recoverPending` picks it up at start.
    static let inFlightWindow: TimeInterval = 60

    /// Whether a stored copy of a body still needs applying: it failed, or stayed pending too long.
    static func needsApplying(_ stored: StoredWebhookEvent, now: Date) -> Bool {
        switch stored.result {
        case .failed: true
        case .pending: now.timeIntervalSince(stored.receivedAt) > inFlightWindow
        default: false
        }
    }

    /// applied when anything changed; unknown_instance when an event named another instance; ignored otherwise.
    static func summary(_ results: [EventResult]) -> WebhookEventResult {
        if results.contains(where: {
            switch $0 {
            case .connection, .messageStored, .messageDuplicate, .status: true
            case .ignored, .unknownInstance: false
            }
        }) { return .applied }
        if results.contains(where: { if case .unknownInstance = $0 { true } else { false } }) { return .unknownInstance }
        return .ignored
    }

    /// Lowercase hex SHA-256 of the body: a provider's retry repeats the body byte for byte.
    package static func dedupeKey(_ body: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: body) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// A one-line reason without internals (the store's errors are already translated).
    static func sanitized(_ error: any Error) -> String {
        if let error = error as? CRMError { return error.message }
        if let error = error as? StoreError { return "the database refused the change (\(error))" }
        return "unexpected error (\(type(of: error)))"
    }
}
