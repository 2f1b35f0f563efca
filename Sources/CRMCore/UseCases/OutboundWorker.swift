import Foundation
import Logging

/// The listener's outbound worker: sends the messages `crm send --queue` left queued, and those a
/// crashed `crm send` left behind (their lease expired), with `crm send`'s rules (`OutboundDelivery`).
///
/// It claims batches of due messages (a lease per message, so that several workers share one
/// database without sending a message twice) and keeps up to `concurrency` provider calls in
/// flight. It never sleeps between a message's attempts: a failure that may pass is recorded with
/// `next_attempt_at`, and the message is claimed again when it is due. Messages of a unit that is
/// not connected are not claimed at all (no attempt is spent); the worker logs such a unit once.
package struct OutboundWorker: Sendable {
    package typealias Store = OutboundQueueStore & OutboundStore & ConnectionStore
    /// Opens the provider adapter for a unit's connection (its credentials unsealed).
    package typealias ProviderFactory = @Sendable (WhatsAppConnection) async throws -> OpenedProvider

    package struct Configuration: Sendable {
        /// Provider calls in flight at most.
        package var concurrency: Int
        /// The batch claimed ahead of the sends (the concurrency when that is larger); the next claim
        /// comes when half a batch of room is free, so that claims stay few under load.
        package var minimumBatch: Int
        /// Pause before looking again when nothing was due (a full batch is followed at once).
        package var idlePoll: Duration
        /// Pause after the queue could not be read (the database is down).
        package var errorPause: Duration
        /// How often units whose messages wait for a connection are looked up, for the log.
        package var waitingCheckInterval: Duration
        /// How long a unit whose provider cannot be opened (a missing key or setting) is left aside.
        package var unitCooldown: Duration

        package init(
            concurrency: Int = 32, minimumBatch: Int = 32, idlePoll: Duration = .milliseconds(200), errorPause: Duration = .seconds(1),
            waitingCheckInterval: Duration = .seconds(30), unitCooldown: Duration = .seconds(30)
        ) {
            self.concurrency = max(1, concurrency)
            self.minimumBatch = max(1, minimumBatch)
            self.idlePoll = idlePoll
            self.errorPause = errorPause
            self.waitingCheckInterval = waitingCheckInterval
            self.unitCooldown = unitCooldown
        }
    }

    let store: any Store
    let delivery: OutboundDelivery
    let makeProvider: ProviderFactory
    let configuration: Configuration
    let logger: Logger
    let now: @Sendable () -> Date
    /// Told of every recorded outcome, with the provider it went through (the listener's /metrics).
    let onOutcome: @Sendable (ProviderKind, OutboundDelivery.Outcome) -> Void
    /// The lease owner this worker's claims carry.
    let owner = "worker-\(UUID().uuidString.lowercased())"

    package init(
        store: any Store, makeProvider: @escaping ProviderFactory, configuration: Configuration = Configuration(), logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() },
        backoff: @escaping @Sendable (Int) -> Duration = OutboundDelivery.defaultBackoff,
        onOutcome: @escaping @Sendable (ProviderKind, OutboundDelivery.Outcome) -> Void = { _, _ in }
    ) {
        self.store = store
        // Sends that finish together are recorded in one transaction.
        self.delivery = OutboundDelivery(store: GroupCommitOutboundStore(store), now: now, backoff: backoff)
        self.makeProvider = makeProvider
        self.configuration = configuration
        self.logger = logger
        self.now = now
        self.onOutcome = onOutcome
    }

    private enum Event: Sendable {
        case delivered
        case claimed(OutboundClaimer.Batch, asked: Int)
        case tick
    }

    /// Sends until `isStopping()` says so (or the task is cancelled), then stops claiming, gives
    /// back the claimed messages it has not started, lets the calls in flight finish and record
    /// their outcome, closes the provider clients and returns.
    ///
    /// Claims run beside the sends: the next batch is claimed while the last one is being sent,
    /// and waits in `ready` (leased) until a send slot frees up.
    package func run(isStopping: @escaping @Sendable () -> Bool) async {
        let claimer = OutboundClaimer(worker: self)
        let concurrency = configuration.concurrency
        let batchSize = max(concurrency, configuration.minimumBatch)
        var ready: [OutboundClaimer.Job] = []
        await withTaskGroup(of: Event.self) { group in
            var inFlight = 0
            var claiming = false
            var mayClaim = true
            var ticking = false
            while !isStopping() && !Task.isCancelled {
                while inFlight < concurrency, !ready.isEmpty {
                    let job = ready.removeFirst()
                    group.addTask {
                        await send(job)
                        return .delivered
                    }
                    inFlight += 1
                }
                // Room for at least half a batch: claim what fills it.
                let room = concurrency + batchSize - inFlight - ready.count
                if mayClaim && !claiming && room >= max(1, batchSize / 2) {
                    claiming = true
                    group.addTask { .claimed(await claimer.claim(limit: room), asked: room) }
                }
                switch await group.next() {
                case .delivered: inFlight -= 1
                case .claimed(let batch, let asked):
                    claiming = false
                    ready += batch.jobs
                    if batch.claimed < asked || batch.jobs.isEmpty {
                        // Nothing more is due: look again after a pause.
                        mayClaim = false
                        if !ticking {
                            ticking = true
                            let pause = batch.failed ? configuration.errorPause : configuration.idlePoll
                            group.addTask {
                                try? await Task.sleep(for: pause)
                                return .tick
                            }
                        }
                    }
                case .tick: (ticking, mayClaim) = (false, true)
                case nil: mayClaim = true
                }
            }
            // Stopping: the claim under way lands in `ready`; what was not started goes back to the queue.
            while claiming, let event = await group.next() {
                if case .claimed(let batch, _) = event {
                    claiming = false
                    ready += batch.jobs
                }
            }
            await claimer.release(ready)
            await group.waitForAll()
        }
        await claimer.closeProviders()
    }

    /// One message, sent and recorded.
    private func send(_ job: OutboundClaimer.Job) async {
        let id = job.message.id.uuidString.lowercased()
        do {
            guard let phone = job.phone else {
                // A contact known only by its LID: nothing to send to, whatever the attempt.
                let reason = "The contact has no phone number to send to."
                try await store.recordFailed(id: job.message.id, attempts: job.message.retryCount, code: nil, error: reason, at: now())
                onOutcome(job.connection.provider, .failed(attempts: job.message.retryCount, error: .invalidInput(reason)))
                logger.warning("outbound message failed", metadata: ["message": "\(id)", "error": "\(reason)"])
                return
            }
            let outcome = try await delivery.deliver(job.message, to: phone, connection: job.connection, provider: job.provider)
            onOutcome(job.connection.provider, outcome)
            switch outcome {
            case .sent(_, let attempts):
                logger.debug("outbound message sent", metadata: ["message": "\(id)", "attempts": "\(attempts)"])
            case .retry(let attempts, let after, let reason):
                logger.info("outbound message will be retried", metadata: [
                    "message": "\(id)", "attempts": "\(attempts)", "retryInMs": "\(Int(after.seconds * 1000))", "error": "\(reason)",
                ])
            case .failed(let attempts, let error):
                logger.warning("outbound message failed", metadata: [
                    "message": "\(id)", "attempts": "\(attempts)", "error": "\(error.message)",
                ])
            }
        } catch {
            // The database refused the record: the lease expires and the message is claimed again.
            logger.error("outbound message outcome not recorded", metadata: ["message": "\(id)", "error": "\(error)"])
        }
    }
}
