import Foundation
import Logging

/// A provider adapter opened for the worker, and how to release it (its HTTP client).
package struct OpenedProvider: Sendable {
    package var provider: any WhatsAppProvider
    package var close: @Sendable () async -> Void

    package init(provider: any WhatsAppProvider, close: @escaping @Sendable () async -> Void) {
        self.provider = provider
        self.close = close
    }
}

extension OutboundWorker {
    /// A claimed message ready to go: its unit's connection and provider resolved.
    struct Job: Sendable {
        var message: Message
        var phone: String?
        var connection: WhatsAppConnection
        var provider: any WhatsAppProvider
    }

    /// What the claiming loop remembers between batches.
    struct LoopState {
        var providers = ProviderCache()
        /// Units left aside until the date: their provider could not be opened.
        var coolingUnits: [UUID: Date] = [:]
        /// Units whose provider failure was logged (logged again only after it worked once).
        var reportedUnits: Set<UUID> = []
        /// Units whose wait for a connection was logged.
        var waitingUnits: Set<UUID> = []
        var nextWaitingCheck = Date.distantPast
        var claimFailing = false
    }

    /// One batch: the jobs to start, how many messages were claimed (some may have been released),
    /// and whether the queue could not be read.
    struct Batch {
        var jobs: [Job] = []
        var claimed = 0
        var failed = false
    }

    /// Claims up to `limit` due messages and resolves each unit's connection and provider. A unit
    /// whose provider cannot be opened gets its messages back in the queue, untouched, and is left
    /// aside for `unitCooldown`.
    func claim(limit: Int, _ state: inout LoopState) async -> Batch {
        let date = now()
        state.coolingUnits = state.coolingUnits.filter { $0.value > date }
        let claimed: [QueuedOutbound]
        do {
            claimed = try await store.claimDueOutbound(
                limit: limit, owner: owner, until: date.addingTimeInterval(OutboundDelivery.leaseSeconds), now: date,
                excludingUnits: Set(state.coolingUnits.keys))
            if state.claimFailing { logger.notice("outbound worker reads the queue again") }
            state.claimFailing = false
        } catch {
            if !state.claimFailing { logger.error("outbound worker cannot read the queue", metadata: ["error": "\(error)"]) }
            state.claimFailing = true
            return Batch(failed: true)
        }
        var batch = Batch(claimed: claimed.count)
        for (unitId, messages) in Dictionary(grouping: claimed, by: \.message.unitId) {
            do {
                guard let connection = try await store.connection(unitId: unitId), connection.status.state == .connected else {
                    // Disconnected since the claim: back to the queue, to wait like the unit's other messages.
                    try await store.releaseOutbound(ids: messages.map(\.message.id), owner: owner, at: date)
                    continue
                }
                let provider = try await state.providers.provider(for: connection, make: makeProvider)
                state.reportedUnits.remove(unitId)
                batch.jobs += messages.map { Job(message: $0.message, phone: $0.phone, connection: connection, provider: provider) }
            } catch {
                if state.reportedUnits.insert(unitId).inserted {
                    logger.error("outbound worker cannot send a unit's queued messages; they stay queued", metadata: [
                        "unitId": "\(unitId.uuidString.lowercased())", "error": "\(error)",
                        "retryInSeconds": "\(Int(configuration.unitCooldown.seconds))",
                    ])
                }
                state.coolingUnits[unitId] = date.addingTimeInterval(configuration.unitCooldown.seconds)
                try? await store.releaseOutbound(ids: messages.map(\.message.id), owner: owner, at: date)
            }
        }
        return batch
    }

    /// Logs, once each, the units whose queued messages wait for a connection (looked up every
    /// `waitingCheckInterval`); a unit is logged again if it waits again after being connected.
    func reportWaitingUnits(_ state: inout LoopState) async {
        let date = now()
        guard date >= state.nextWaitingCheck else { return }
        state.nextWaitingCheck = date.addingTimeInterval(configuration.waitingCheckInterval.seconds)
        guard let waiting = try? await store.outboundAwaitingConnection() else { return }
        for unit in waiting where !state.waitingUnits.contains(unit.unitId) {
            logger.notice("queued messages wait until the unit is connected", metadata: [
                "unit": "\(unit.slug)", "queued": "\(unit.queued)", "hint": "crm whatsapp connect --unit \(unit.slug)",
            ])
        }
        state.waitingUnits = Set(waiting.map(\.unitId))
    }
}

/// The provider adapters the worker opened, one per unit, reused while the unit's provider,
/// instance and credentials stay the same. A replaced adapter is closed only when the worker
/// stops: sends in flight may still be using it.
struct ProviderCache {
    private struct Key: Equatable {
        var provider: ProviderKind
        var instance: String
        var credentials: Data?
    }

    private var entries: [UUID: (key: Key, opened: OpenedProvider)] = [:]
    private var retired: [OpenedProvider] = []

    mutating func provider(for connection: WhatsAppConnection, make: OutboundWorker.ProviderFactory) async throws
        -> any WhatsAppProvider
    {
        let key = Key(provider: connection.provider, instance: connection.instanceName, credentials: connection.sealedCredentials)
        if let entry = entries[connection.unitId], entry.key == key { return entry.opened.provider }
        let opened = try await make(connection)
        if let old = entries.updateValue((key, opened), forKey: connection.unitId) { retired.append(old.opened) }
        return opened.provider
    }

    func closeAll() async {
        for opened in entries.values.map(\.opened) + retired { await opened.close() }
    }
}
