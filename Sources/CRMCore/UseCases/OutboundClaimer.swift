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

/// The worker's claiming side: claims batches, resolves each unit's connection and provider
/// adapter (kept between batches), sets aside units whose adapter cannot be opened, and logs the
/// units that wait for a connection. An actor: a claim runs beside the sends, one at a time.
actor OutboundClaimer {
    /// A claimed message ready to go: its unit's connection and provider resolved.
    struct Job: Sendable {
        var message: Message
        var phone: String?
        var connection: WhatsAppConnection
        var provider: any WhatsAppProvider
    }

    /// One claim: the jobs to start, how many messages were claimed (some may have been given
    /// back), and whether the queue could not be read.
    struct Batch: Sendable {
        var jobs: [Job] = []
        var claimed = 0
        var failed = false
    }

    /// How long a connected unit's connection is used before it is read again.
    static let connectionMaxAge: TimeInterval = 2

    private let worker: OutboundWorker
    /// The provider adapters opened, one per unit, reused while the unit's provider, instance and
    /// credentials stay the same.
    private var providers: [UUID: (key: ProviderKey, opened: OpenedProvider)] = [:]
    /// Adapters replaced meanwhile: closed only when the worker stops (sends in flight may use them).
    private var retiredProviders: [OpenedProvider] = []
    /// Each unit's connection as last read, and when.
    private var connections: [UUID: (connection: WhatsAppConnection, readAt: Date)] = [:]
    /// Units left aside until the date: their provider could not be opened.
    private var coolingUnits: [UUID: Date] = [:]
    /// Units whose provider failure was logged (logged again only after it worked once).
    private var reportedUnits: Set<UUID> = []
    /// Units whose wait for a connection was logged.
    private var waitingUnits: Set<UUID> = []
    private var nextWaitingCheck = Date.distantPast
    private var claimFailing = false

    init(worker: OutboundWorker) {
        self.worker = worker
    }

    private var store: any OutboundWorker.Store { worker.store }
    private var logger: Logger { worker.logger }

    /// Claims up to `limit` due messages and resolves each unit's connection and provider. A unit
    /// whose provider cannot be opened gets its messages back in the queue, untouched, and is left
    /// aside for `unitCooldown`.
    func claim(limit: Int) async -> Batch {
        await reportWaitingUnits()
        let date = worker.now()
        coolingUnits = coolingUnits.filter { $0.value > date }
        let claimed: [QueuedOutbound]
        do {
            claimed = try await store.claimDueOutbound(
                limit: limit, owner: worker.owner, until: date.addingTimeInterval(OutboundDelivery.leaseSeconds), now: date,
                excludingUnits: Set(coolingUnits.keys))
            if claimFailing { logger.notice("outbound worker reads the queue again") }
            claimFailing = false
        } catch {
            if !claimFailing { logger.error("outbound worker cannot read the queue", metadata: ["error": "\(error)"]) }
            claimFailing = true
            return Batch(failed: true)
        }
        var batch = Batch(claimed: claimed.count)
        for (unitId, messages) in Dictionary(grouping: claimed, by: \.message.unitId) {
            do {
                guard let connection = try await connection(of: unitId, at: date), connection.status.state == .connected else {
                    // Disconnected since the claim: back to the queue, to wait like the unit's other messages.
                    try await store.releaseOutbound(ids: messages.map(\.message.id), owner: worker.owner, at: date)
                    continue
                }
                let provider = try await provider(for: connection)
                reportedUnits.remove(unitId)
                batch.jobs += messages.map { Job(message: $0.message, phone: $0.phone, connection: connection, provider: provider) }
            } catch {
                if reportedUnits.insert(unitId).inserted {
                    logger.error("outbound worker cannot send a unit's queued messages; they stay queued", metadata: [
                        "unitId": "\(unitId.uuidString.lowercased())", "error": "\(error)",
                        "retryInSeconds": "\(Int(worker.configuration.unitCooldown.seconds))",
                    ])
                }
                coolingUnits[unitId] = date.addingTimeInterval(worker.configuration.unitCooldown.seconds)
                try? await store.releaseOutbound(ids: messages.map(\.message.id), owner: worker.owner, at: date)
            }
        }
        batch.jobs.sort { ($0.message.queuedAt ?? $0.message.createdAt) < ($1.message.queuedAt ?? $1.message.createdAt) }
        return batch
    }

    /// Gives back claimed messages that were not started (the worker is stopping).
    func release(_ jobs: [Job]) async {
        guard !jobs.isEmpty else { return }
        do {
            try await store.releaseOutbound(ids: jobs.map(\.message.id), owner: worker.owner, at: worker.now())
        } catch {
            logger.warning("claimed messages not given back; they are sent once their lease expires", metadata: [
                "count": "\(jobs.count)", "error": "\(error)",
            ])
        }
    }

    func closeProviders() async {
        for opened in providers.values.map(\.opened) + retiredProviders { await opened.close() }
        providers = [:]
        retiredProviders = []
    }

    /// What makes an opened adapter still right for a unit.
    struct ProviderKey: Equatable {
        var provider: ProviderKind
        var instance: String
        var credentials: Data?
    }

    private func provider(for connection: WhatsAppConnection) async throws -> any WhatsAppProvider {
        let key = ProviderKey(provider: connection.provider, instance: connection.instanceName, credentials: connection.sealedCredentials)
        if let entry = providers[connection.unitId], entry.key == key { return entry.opened.provider }
        let opened = try await worker.makeProvider(connection)
        if let old = providers.updateValue((key, opened), forKey: connection.unitId) { retiredProviders.append(old.opened) }
        return opened.provider
    }

    /// The unit's connection, read again at most every `connectionMaxAge` while it is connected: a
    /// batch follows another every few milliseconds under load, and the claim itself checks the
    /// stored status every time. Any other state is read again at once.
    private func connection(of unitId: UUID, at date: Date) async throws -> WhatsAppConnection? {
        if let cached = connections[unitId], cached.connection.status.state == .connected,
           date.timeIntervalSince(cached.readAt) < Self.connectionMaxAge
        {
            return cached.connection
        }
        let connection = try await store.connection(unitId: unitId)
        connections[unitId] = connection.map { ($0, date) }
        return connection
    }

    /// Logs, once each, the units whose queued messages wait for a connection (looked up every
    /// `waitingCheckInterval`); a unit is logged again if it waits again after being connected.
    private func reportWaitingUnits() async {
        let date = worker.now()
        guard date >= nextWaitingCheck else { return }
        nextWaitingCheck = date.addingTimeInterval(worker.configuration.waitingCheckInterval.seconds)
        guard let waiting = try? await store.outboundAwaitingConnection() else { return }
        for unit in waiting where !waitingUnits.contains(unit.unitId) {
            logger.notice("queued messages wait until the unit is connected", metadata: [
                "unit": "\(unit.slug)", "queued": "\(unit.queued)", "hint": "crm whatsapp connect --unit \(unit.slug)",
            ])
        }
        waitingUnits = Set(waiting.map(\.unitId))
    }
}
