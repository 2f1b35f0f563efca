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
        /// Pause before looking again when nothing was due (a full batch is followed at once).
        package var idlePoll: Duration
        /// Pause after the queue could not be read (the database is down).
        package var errorPause: Duration
        /// How often units whose messages wait for a connection are looked up, for the log.
        package var waitingCheckInterval: Duration
        /// How long a unit whose provider cannot be opened (a missing key or setting) is left aside.
        package var unitCooldown: Duration

        package init(
            concurrency: Int = 16, idlePoll: Duration = .milliseconds(200), errorPause: Duration = .seconds(1),
            waitingCheckInterval: Duration = .seconds(30), unitCooldown: Duration = .seconds(30)
        ) {
            self.concurrency = max(1, concurrency)
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
        self.delivery = OutboundDelivery(store: store, now: now, backoff: backoff)
        self.makeProvider = makeProvider
        self.configuration = configuration
        self.logger = logger
        self.now = now
        self.onOutcome = onOutcome
    }

    private enum Event: Sendable {
        case delivered
        case tick
    }

    /// Sends until `isStopping()` says so (or the task is cancelled), then stops claiming, lets the
    /// calls in flight finish and record their outcome, closes the provider clients and returns.
    package func run(isStopping: @escaping @Sendable () -> Bool) async {
        var state = LoopState()
        let refill = max(1, configuration.concurrency / 2)
        await withTaskGroup(of: Event.self) { group in
            var inFlight = 0
            var mayClaim = true
            var ticking = false
            var pause = configuration.idlePoll
            while !isStopping() && !Task.isCancelled {
                await reportWaitingUnits(&state)
                let room = configuration.concurrency - inFlight
                // Claim in batches of at least half the room, so that claims stay few under load.
                if mayClaim && (room >= refill || inFlight == 0) {
                    let batch = await claim(limit: room, &state)
                    for job in batch.jobs {
                        group.addTask {
                            await send(job)
                            return .delivered
                        }
                        inFlight += 1
                    }
                    if batch.claimed < room || batch.jobs.isEmpty {
                        mayClaim = false
                        pause = batch.failed ? configuration.errorPause : configuration.idlePoll
                    }
                }
                if !mayClaim && !ticking {
                    ticking = true
                    group.addTask { [pause] in
                        try? await Task.sleep(for: pause)
                        return .tick
                    }
                }
                switch await group.next() {
                case .delivered: inFlight -= 1
                case .tick: (ticking, mayClaim) = (false, true)
                case nil: mayClaim = true
                }
            }
            await group.waitForAll()
        }
        await state.providers.closeAll()
    }

    /// One message, sent and recorded.
    private func send(_ job: Job) async {
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
