import Foundation

/// Re-applying stored bodies: `crm webhook replay` and, at the listener's start, the bodies a
/// killed listener left pending. A replay goes through `apply` exactly like a received body, with
/// the time it was first received, so it is as idempotent as a provider's retry: a message is
/// never stored twice, a receipt never moves a status backward, an old connection event never
/// overrides a newer state.
extension WebhookIngestion {
    /// One stored body re-applied.
    package struct Replay: Sendable, Equatable {
        /// The row as it was before the replay (its former result, attempts and error).
        package var event: StoredWebhookEvent
        /// What applying it did now; `.processed` or `.failed`.
        package var outcome: Outcome
    }

    /// Re-applies the stored body `id`. Throws `notFound` for an unknown id, and the errors of
    /// `replay(_:)` when it cannot be replayed.
    package func replay(eventId id: UUID) async throws -> Replay {
        guard let event = try await store.webhookEvent(id: id) else {
            throw CRMError.notFound("No webhook event \(id.uuidString.lowercased()): check the id (the eventId of the listener's answer).")
        }
        return try await replay(event)
    }

    /// Re-applies a stored body with its provider's parser and its unit's current connection.
    /// An `invalid` body, a unit without a connection, or a connection now on another provider
    /// throw a `CRMError` that says why; a failure while applying is an outcome (`.failed`), as
    /// for a received body.
    package func replay(_ event: StoredWebhookEvent) async throws -> Replay {
        let id = event.id.uuidString.lowercased()
        if event.result == .invalid {
            throw CRMError.invalidInput(
                "Webhook event \(id) was rejected as invalid when it arrived (\(event.error ?? "not the provider's shape")): "
                    + "there is nothing in it to apply, so it cannot be replayed."
            )
        }
        guard let unitId = event.unitId, let connection = try await store.connection(unitId: unitId) else {
            throw CRMError.notFound("Webhook event \(id) belongs to a unit that no longer has a WhatsApp connection: nothing to apply it to.")
        }
        guard connection.provider == event.provider else {
            throw CRMError.conflict(
                "Webhook event \(id) came from \(event.provider.rawValue), but its unit now uses \(connection.provider.rawValue): "
                    + "it is not replayed."
            )
        }
        guard let parser = parsers[event.provider] else {
            throw CRMError.invalidInput("No parser for \(event.provider.rawValue) webhooks: webhook event \(id) cannot be replayed.")
        }
        let events: [WebhookEvent]
        do {
            events = try parser.parse(Data(event.body.utf8), pathEvent: nil)
        } catch {
            // A body accepted through Evolution's by-events URL may name its event only in the path.
            throw CRMError.invalidInput("Webhook event \(id) no longer parses (\(error.description)): it cannot be replayed.")
        }
        let outcome = await apply(events, eventId: event.id, connection: connection, receivedAt: event.receivedAt)
        return Replay(event: event, outcome: outcome)
    }

    /// Applies bodies stored but never applied (a listener killed mid-apply), oldest first, and
    /// returns how many were applied. The listener runs it at start; applying twice is harmless.
    package func recoverPending(limit: Int = 1_000) async throws -> Int {
        var recovered = 0
        for event in try await store.webhookEvents(result: .pending, limit: limit) {
            // One that cannot be replayed (its unit lost its connection) stays pending, for an operator to see.
            guard let replay = try? await replay(event) else { continue }
            if case .processed = replay.outcome { recovered += 1 }
        }
        return recovered
    }
}
