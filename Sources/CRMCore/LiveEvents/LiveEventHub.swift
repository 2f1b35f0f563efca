import Foundation
import Logging

/// One listener's reader of the live feed, shared by all its `GET /events` subscribers: it reads
/// the changes once (not once per subscriber) and hands each subscriber those of its units.
///
/// It reads when the change signal says something was committed (this process's writes at once;
/// on PostgreSQL every process's, through LISTEN/NOTIFY) and, as a safety net and for writes no
/// signal covers (SQLite written by another process), every `pollInterval`. Every `tick` each
/// subscriber also gets an empty batch, so that its stream can send heartbeats and end on time.
package actor LiveEventHub {
    /// What one subscriber may see.
    package struct Filter: Sendable {
        /// `nil`: every unit (a super admin).
        package var unitIds: Set<UUID>?
        package var campaigns: Bool

        package init(unitIds: Set<UUID>?, campaigns: Bool) {
            self.unitIds = unitIds
            self.campaigns = campaigns
        }

        func admits(_ event: LiveEvent) -> Bool {
            (unitIds?.contains(event.unitId) ?? true) && (campaigns || event.kind != .campaignProgress)
        }
    }

    package struct Configuration: Sendable {
        /// How often to read when no signal came.
        package var pollInterval: Duration
        /// How often subscribers get an empty batch.
        package var tick: Duration = .seconds(1)
        /// Campaign progress (a count of each campaign's recipients) is read at most this often.
        package var campaignInterval: Duration = .seconds(1)
        /// Batches a subscriber may fall behind by before its stream is ended (its client
        /// reconnects with Last-Event-ID and catches up from the database).
        package var subscriberBuffer = 256

        package init(pollInterval: Duration) { self.pollInterval = pollInterval }
    }

    package nonisolated let feed: LiveEventFeed
    let signal: (any LiveChangeSignal)?
    let configuration: Configuration
    let logger: Logger

    private var subscribers: [UUID: (filter: Filter, continuation: AsyncStream<[LiveEvent]>.Continuation)] = [:]
    /// The hub's own cursor over every unit; `nil` while nobody listens (nothing is read then).
    private var subscription: LiveEventFeed.Subscription?
    private var changed = false
    private var lastPoll = ContinuousClock.now
    private var lastCampaignPoll = ContinuousClock.now - .seconds(3_600)
    private var failing = false
    private var stopped = false

    package init(feed: LiveEventFeed, signal: (any LiveChangeSignal)?, configuration: Configuration, logger: Logger) {
        self.feed = feed
        self.signal = signal
        self.configuration = configuration
        self.logger = logger
    }

    /// The default poll interval: short where other processes' writes are seen only by polling.
    package static func defaultPollInterval(for signal: (any LiveChangeSignal)?) -> Duration {
        signal?.signalsOtherProcesses == true ? .seconds(5) : .milliseconds(500)
    }

    /// Starts delivering to a new subscriber the events it may see, from now on. Its stream ends
    /// when the hub stops, or when it falls `subscriberBuffer` batches behind.
    package func subscribe(_ filter: Filter) -> (id: UUID, events: AsyncStream<[LiveEvent]>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(
            of: [LiveEvent].self, bufferingPolicy: .bufferingOldest(configuration.subscriberBuffer))
        guard !stopped else {
            continuation.finish()
            return (id, stream)
        }
        if subscription == nil { subscription = LiveEventFeed.Subscription(from: Date(), resuming: false) }
        subscribers[id] = (filter, continuation)
        continuation.onTermination = { _ in Task { await self.unsubscribe(id) } }
        return (id, stream)
    }

    package func unsubscribe(_ id: UUID) {
        subscribers.removeValue(forKey: id)?.continuation.finish()
        if subscribers.isEmpty { subscription = nil }
    }

    package var subscriberCount: Int { subscribers.count }

    /// Reads and delivers until the task is cancelled; then ends every subscriber's stream.
    package func run() async {
        let (wakes, wake) = AsyncStream.makeStream(of: Bool.self, bufferingPolicy: .bufferingNewest(4))
        await withTaskGroup(of: Void.self) { group in
            if let signal {
                group.addTask {
                    for await _ in signal.changes() { wake.yield(true) }
                }
            }
            let tick = min(configuration.tick, configuration.pollInterval)
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: tick)
                    wake.yield(false)
                }
            }
            for await signalled in wakes {
                if signalled { changed = true }
                await step(ticked: !signalled)
                if Task.isCancelled { break }
            }
            group.cancelAll()
        }
        wake.finish()
        stopped = true
        for (_, subscriber) in subscribers { subscriber.continuation.finish() }
        subscribers = [:]
        subscription = nil
    }

    /// Reads when due and hands the events out; on a tick, an empty batch to everyone.
    private func step(ticked: Bool) async {
        let now = ContinuousClock.now
        if subscription != nil, changed || now - lastPoll >= configuration.pollInterval {
            changed = false
            lastPoll = now
            await readAndDeliver()
        }
        if ticked { deliver([]) }
    }

    private func readAndDeliver() async {
        let campaigns = subscribers.values.contains { $0.filter.campaigns }
            && ContinuousClock.now - lastCampaignPoll >= configuration.campaignInterval
        if campaigns { lastCampaignPoll = .now }
        // A burst larger than a page: read on at once rather than a poll interval later.
        for round in 0..<10 {
            guard var current = subscription else { return }
            let events: [LiveEvent]
            do {
                events = try await feed.poll(&current, unitIds: nil, campaigns: campaigns && round == 0)
                if failing {
                    failing = false
                    logger.notice("live events: reading the changes works again")
                }
            } catch {
                if Task.isCancelled { return }
                if !failing {
                    failing = true
                    logger.warning("live events: cannot read the changes; retrying", metadata: ["error": "\((error as? CRMError)?.message ?? "the database did not answer")"])
                }
                return
            }
            // Subscribers may have come and gone while reading; a hub that lost them all starts afresh.
            guard subscription != nil else { return }
            subscription = current
            deliver(events)
            guard events.count >= feed.pageSize else { return }
        }
    }

    private func deliver(_ events: [LiveEvent]) {
        for (id, subscriber) in subscribers {
            let theirs = events.isEmpty ? [] : events.filter(subscriber.filter.admits)
            if !events.isEmpty, theirs.isEmpty { continue }
            if case .dropped = subscriber.continuation.yield(theirs) {
                logger.notice("live events: a subscriber fell behind; its stream ends and its client resumes with Last-Event-ID")
                unsubscribe(id)
            }
        }
    }
}
