import Foundation
import Logging
import Synchronization

/// Sends one running campaign until no recipient is left, it is paused or cancelled (by this
/// process or another), or `isStopping()` says so.
///
/// It claims a few recipients at a time (leased, so that other dispatchers of the campaign take
/// others), reserves the unit's send slots for them (`CampaignStore.reserveSendSlots`, shared by
/// every process), and sends each group whose slots fall together (a "wave") when its time comes:
/// the attempt is committed before the provider call (`startAttempts`; with no rate limit, in the
/// claim's own transaction, and a second wave is readied while the first is at the provider), the
/// outcomes after. A failure that may pass puts the recipient back with its next attempt due later;
/// the third failed attempt fails it. A live dispatcher renews its claims; a dead one's expire, and are taken
/// back as pending (not started) or uncertain (started).
package struct CampaignDispatcher: Sendable {
    package struct Configuration: Sendable {
        /// Provider calls in flight at most; as many recipients claimed (waiting for their slot or
        /// being sent), or twice as many with no rate limit (the next wave, ready).
        package var concurrency: Int
        /// How long a claim lasts unless renewed, and how often this dispatcher renews its own.
        package var lease: Duration
        package var renewInterval: Duration
        /// How often the campaign's status is read (a pause or cancel from another process).
        package var statusInterval: Duration
        /// Pause before claiming again when nothing was due.
        package var idlePause: Duration
        /// Pause after the database failed.
        package var errorPause: Duration

        package init(
            concurrency: Int = 32, lease: Duration = .seconds(15), renewInterval: Duration = .seconds(5),
            statusInterval: Duration = .seconds(1), idlePause: Duration = .milliseconds(250), errorPause: Duration = .seconds(1)
        ) {
            self.concurrency = max(1, concurrency)
            self.lease = lease
            self.renewInterval = renewInterval
            self.statusInterval = statusInterval
            self.idlePause = idlePause
            self.errorPause = errorPause
        }
    }

    /// Why `run` returned.
    package enum Ending: String, Sendable, Equatable {
        case completed, paused, cancelled, stopped
    }

    /// What the dispatcher is waiting for, for the operator.
    package enum Event: Sendable, Equatable {
        case outsideWindow(opensAt: Date)
        case storeUnavailable(String)
    }

    let store: any CampaignStore
    let provider: any WhatsAppProvider
    let connection: WhatsAppConnection
    let timeZone: TimeZone
    let configuration: Configuration
    let logger: Logger
    let now: @Sendable () -> Date
    let backoff: @Sendable (Int) -> Duration
    /// This dispatcher's name. Each claim's lease owner is `owner:N`, N counting its claims: a
    /// recipient whose lease lapsed (a stalled process) and that this dispatcher claimed again is
    /// held by the new claim only, so the wave of the old claim cannot send it a second time.
    let owner = "dispatch-\(UUID().uuidString.lowercased())"

    package init(
        store: any CampaignStore, provider: any WhatsAppProvider, connection: WhatsAppConnection, timeZone: TimeZone,
        configuration: Configuration = Configuration(), logger: Logger, now: @escaping @Sendable () -> Date = { Date() },
        backoff: @escaping @Sendable (Int) -> Duration = OutboundDelivery.defaultBackoff
    ) {
        self.store = store
        self.provider = provider
        self.connection = connection
        self.timeZone = timeZone
        self.configuration = configuration
        self.logger = logger
        self.now = now
        self.backoff = backoff
    }

    /// Recipients whose slots fall together, sent at once.
    struct Wave: Sendable {
        var slot: Date
        var recipients: [ClaimedRecipient]
        /// The lease owner of the claim the recipients came from.
        var claim = ""
        /// Their messages, when the attempts were committed with the claim (no rate limit).
        var started: [UUID: Message]?
    }

    private enum Event_: Sendable {
        case waveDone(Int)
        case tick
    }

    /// Sends `campaign` (already marked running) and returns why it stopped. Waves not started
    /// when it stops give their recipients back; waves being sent finish and record their outcome.
    package func run(
        _ campaign: Campaign, isStopping: @escaping @Sendable () -> Bool, onEvent: @escaping @Sendable (Event) -> Void = { _ in }
    ) async -> Ending {
        let halt = HaltFlag()
        let permits = ProviderCallPermits(configuration.concurrency)
        let pacing = campaign.pacing
        // With no rate limit, two waves of `concurrency` at most: one at the provider, the other
        // committing its attempts or recording its outcomes (the permits keep the calls within bounds).
        let inFlightLimit = configuration.concurrency * (pacing.rate.isUnlimited ? 2 : 1)
        let perSecond = Double(pacing.rate.count) / pacing.rate.period.seconds
        var ending = Ending.stopped
        // Renewed on a task of its own: a main loop slowed by a busy database must not let the
        // claims of waves in flight lapse.
        let renewal = Task { [store, owner, configuration, now] in
            while !halt.isSet && !Task.isCancelled {
                try? await Task.sleep(for: configuration.renewInterval)
                let date = now()
                try? await store.renewRecipientClaims(ownerPrefix: owner, until: date.addingTimeInterval(configuration.lease.seconds), now: date)
            }
        }
        defer { renewal.cancel() }
        var claims = 0
        await withTaskGroup(of: Event_.self) { group in
            var inFlight = 0
            var ticking = false
            var lastStatus = Date.distantPast
            var horizon = Date.distantPast
            /// Waits for a wave to finish, or a second at most (so that the status is read meanwhile).
            func waitForProgress() async {
                if !ticking {
                    ticking = true
                    group.addTask {
                        try? await Task.sleep(for: .seconds(1))
                        return .tick
                    }
                }
                switch await group.next() {
                case .waveDone(let count): inFlight -= count
                case .tick: ticking = false
                case nil: break
                }
            }
            func pause(_ duration: Duration) async {
                if inFlight > 0 { await waitForProgress() } else { try? await Task.sleep(for: duration) }
            }

            while !isStopping() && !Task.isCancelled {
                let date = now()
                if date.timeIntervalSince(lastStatus) >= configuration.statusInterval.seconds {
                    do {
                        let status = try await store.campaign(id: campaign.id)?.status ?? .cancelled
                        lastStatus = date
                        if let end = Self.ending(for: status) {
                            ending = end
                            break
                        }
                    } catch {
                        report(error, onEvent)
                        await pause(configuration.errorPause)
                        continue
                    }
                }
                if let window = pacing.window, !window.contains(date, in: timeZone) {
                    onEvent(.outsideWindow(opensAt: window.nextOpening(after: date, in: timeZone)))
                    await pause(.seconds(1))
                    continue
                }
                let room = inFlightLimit - inFlight
                // Slots already reserved more than a second ahead (a batch pause, another dispatcher's
                // turn): claim no further, so that a dispatcher that stops leaves few slots unused.
                guard room > 0, horizon.timeIntervalSince(date) <= 1 else {
                    await waitForProgress()
                    continue
                }
                // About a second of sends ahead: a stopped dispatcher leaves few reserved slots unused.
                let limit = pacing.rate.isUnlimited
                    ? min(room, configuration.concurrency) : min(room, max(1, Int(perSecond.rounded(.up))))
                let claimed: [ClaimedRecipient]
                claims += 1
                let claim = "\(owner):\(claims)"
                var started: [UUID: Message]?
                do {
                    let until = date.addingTimeInterval(configuration.lease.seconds)
                    if pacing.rate.isUnlimited {
                        // Sent at once: the attempts are committed with the claim.
                        let wave = try await store.claimAndStartAttempts(
                            campaignId: campaign.id, limit: limit, owner: claim, until: until, now: date, provider: connection.provider)
                        (claimed, started) = (wave.recipients, wave.messages)
                    } else {
                        claimed = try await store.claimRecipients(campaignId: campaign.id, limit: limit, owner: claim, until: until, now: date)
                    }
                } catch {
                    report(error, onEvent)
                    await pause(configuration.errorPause)
                    continue
                }
                if claimed.isEmpty {
                    if inFlight == 0, (try? await store.completeCampaignIfDone(id: campaign.id, at: date)) == true {
                        ending = .completed
                        break
                    }
                    await pause(configuration.idlePause)
                    continue
                }
                let waves: [Wave]
                if let started {
                    waves = [Wave(slot: date, recipients: claimed, claim: claim, started: started)]
                    horizon = max(horizon, date)
                } else {
                    do {
                        let slots = try await store.reserveSendSlots(unitId: campaign.unitId, count: claimed.count, pacing: pacing, now: date)
                        horizon = max(horizon, slots.last ?? date)
                        waves = Self.waves(claimed, slots: slots, claim: claim)
                    } catch {
                        report(error, onEvent)
                        try? await store.releaseRecipients(ids: claimed.map(\.id), owner: claim, at: date)
                        await pause(configuration.errorPause)
                        continue
                    }
                }
                for wave in waves {
                    let jitter = Self.jitter(pacing)
                    group.addTask {
                        await send(wave, after: jitter, permits: permits, halt: halt, isStopping: isStopping)
                        return .waveDone(wave.recipients.count)
                    }
                    inFlight += wave.recipients.count
                }
            }
            halt.set()
            while await group.next() != nil {}
        }
        return ending
    }

    /// The end a campaign's status calls for; `nil` while it is running.
    static func ending(for status: CampaignStatus) -> Ending? {
        switch status {
        case .running: nil
        case .paused, .draft: .paused
        case .cancelled: .cancelled
        case .completed: .completed
        }
    }

    /// Consecutive recipients whose slots are within 5 ms of the wave's first.
    static func waves(_ recipients: [ClaimedRecipient], slots: [Date], claim: String = "") -> [Wave] {
        var waves: [Wave] = []
        for (recipient, slot) in zip(recipients, slots) {
            if let last = waves.last, slot.timeIntervalSince(last.slot) < 0.005 {
                waves[waves.count - 1].recipients.append(recipient)
            } else {
                waves.append(Wave(slot: slot, recipients: [recipient], claim: claim))
            }
        }
        return waves
    }

    /// A random delay inside the slot: never more than the interval, so the average rate holds.
    static func jitter(_ pacing: CampaignPacing) -> TimeInterval {
        let most = min(pacing.jitter.seconds, pacing.rate.interval.seconds)
        return most > 0 ? Double.random(in: 0...most) : 0
    }

    private func report(_ error: any Error, _ onEvent: @Sendable (Event) -> Void) {
        let message = (error as? CRMError)?.message ?? "the database did not answer"
        logger.error("campaign dispatch: database error", metadata: ["error": "\(error)"])
        onEvent(.storeUnavailable(message))
    }
}

/// Set once when the dispatcher stops: waves that have not started give their recipients back.
final class HaltFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
