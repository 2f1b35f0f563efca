import Foundation
import Logging

/// Everything the simulator knows: instances, accepted sends, pending faults and settings, plus
/// one ordered webhook queue per instance. One actor, so concurrent requests see a consistent
/// world, and webhooks are queued in the order the state changed.
actor SimulatorState {
    let apiKey: String
    let poster: WebhookPoster
    let logger: Logger
    var settings: SimulatorSettings
    /// The base URL the envelope's `server_url` names; set once the server is bound.
    var serverURL = "http://127.0.0.1"

    var instances: [String: SimulatedInstance] = [:]
    var sent: [SentMessage] = []
    var faults: [(fault: SimulatorFault, remaining: Int)] = []

    private var outboxes: [String: AsyncStream<WebhookDelivery>.Continuation] = [:]
    private var consumers: [String: Task<Void, Never>] = [:]
    /// QR rotation and auto-pair timers of instances waiting for a scan.
    private var pairingTimers: [String: [Task<Void, Never>]] = [:]
    /// Delayed receipts and other one-off work, cancelled on shutdown.
    private var background: [Int: Task<Void, Never>] = [:]
    private var nextBackgroundId = 0
    private var isShutDown = false
    /// Requests held by a `.hold` fault, resumed by `releaseHeld()` or `shutdown`.
    private var held: [CheckedContinuation<Void, Never>] = []
    /// Whether `shutdown` ran: requests held by a delay fault give up.
    var isStopping: Bool { isShutDown }

    init(apiKey: String, settings: SimulatorSettings, poster: WebhookPoster, logger: Logger) {
        self.apiKey = apiKey
        self.settings = settings
        self.poster = poster
        self.logger = logger
    }

    func setServerURL(_ url: String) { serverURL = url }

    // MARK: auth and faults

    /// The global key opens everything; an instance token opens its own instance (and, with no
    /// instance in the path, the listing of its own instance).
    func authorize(_ key: String?, instance: String?, globalOnly: Bool = false) -> Bool {
        guard let key, !key.isEmpty else { return false }
        if key == apiKey { return true }
        if globalOnly { return false }
        if let instance { return instances[instance]?.token == key }
        return instances.values.contains { $0.token == key }
    }

    func addFault(_ fault: SimulatorFault, count: Int) {
        faults.append((fault, max(1, count)))
    }

    func clearFaults() { faults.removeAll() }

    /// The fault the next API call suffers, if any; each call uses up one.
    func takeFault() -> SimulatorFault? {
        guard !faults.isEmpty else { return nil }
        let fault = faults[0].fault
        faults[0].remaining -= 1
        if faults[0].remaining <= 0 { faults.removeFirst() }
        return fault
    }

    /// Whether this send call fails, by `settings.sendFailureRate`.
    func failsThisSend() -> Bool {
        settings.sendFailureRate > 0 && Double.random(in: 0..<1) < settings.sendFailureRate
    }

    /// Suspends the calling request until `releaseHeld()` or `shutdown`.
    func hold() async {
        guard !isShutDown else { return }
        await withCheckedContinuation { held.append($0) }
    }

    /// How many requests a `.hold` fault is holding now.
    var heldCount: Int { held.count }

    func releaseHeld() {
        let waiting = held
        held.removeAll()
        waiting.forEach { $0.resume() }
    }

    // MARK: webhooks

    /// Queues one event for the instance's webhook, wrapped in Evolution's v2 envelope.
    func emit(_ event: String, _ data: JSONValue, for name: String) {
        if instances[name]?.zapi != nil { return emitZAPIEquivalent(of: event, data, for: name) }
        guard let instance = instances[name], let webhook = instance.webhook, webhook.wants(event),
              let outbox = outboxes[name] else { return }
        var envelope: [(String, JSONValue)] = [
            ("event", .string(event)), ("instance", .string(name)), ("data", data),
            ("destination", .string(webhook.url)), ("date_time", .string(WireClock.isoString())),
        ]
        if let sender = instance.senderJid { envelope.append(("sender", .string(sender))) }
        envelope += [("server_url", .string(serverURL)), ("apikey", .string(instance.token))]
        outbox.yield(WebhookDelivery(
            event: event, instance: name, url: webhook.target(for: event),
            headers: webhook.headers, body: JSONValue.object(envelope).encoded()
        ))
    }

    /// Queues a webhook already built (another provider's shape) on the instance's ordered queue.
    func enqueue(_ delivery: WebhookDelivery, for name: String) {
        outboxes[name]?.yield(delivery)
    }

    /// Opens the instance's queue: one consumer posts its webhooks in order.
    func openOutbox(for name: String) {
        let (stream, continuation) = AsyncStream.makeStream(of: WebhookDelivery.self)
        outboxes[name] = continuation
        let poster = self.poster
        consumers[name] = Task { for await delivery in stream { await poster.deliver(delivery) } }
    }

    /// Lets the queue drain what it holds, then ends it.
    func closeOutbox(for name: String) {
        outboxes.removeValue(forKey: name)?.finish()
        consumers.removeValue(forKey: name)
    }

    // MARK: timers and background work

    func startPairingTimers(for name: String) {
        stopPairingTimers(for: name)
        var tasks: [Task<Void, Never>] = []
        if let every = settings.qrRotationSeconds {
            tasks.append(Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(every))
                    guard !Task.isCancelled, let self, await self.rotateIfWaiting(name) else { return }
                }
            })
        }
        if let after = settings.autoPairAfterSeconds {
            tasks.append(Task { [weak self] in
                try? await Task.sleep(for: .seconds(after))
                guard !Task.isCancelled else { return }
                _ = await self?.scan(name, phone: nil, profileName: nil)
            })
        }
        pairingTimers[name] = tasks
    }

    func stopPairingTimers(for name: String) {
        pairingTimers.removeValue(forKey: name)?.forEach { $0.cancel() }
    }

    /// Runs `work` later, tracked so that `shutdown` can cancel it.
    func runInBackground(_ work: @escaping @Sendable () async -> Void) {
        guard !isShutDown else { return }
        let id = nextBackgroundId
        nextBackgroundId += 1
        background[id] = Task { [weak self] in
            await work()
            await self?.backgroundFinished(id)
        }
    }

    private func backgroundFinished(_ id: Int) { background.removeValue(forKey: id) }

    /// Stops timers and pending work, and cancels webhooks not yet delivered.
    func shutdown() {
        isShutDown = true
        releaseHeld()
        pairingTimers.values.flatMap { $0 }.forEach { $0.cancel() }
        pairingTimers.removeAll()
        background.values.forEach { $0.cancel() }
        background.removeAll()
        outboxes.values.forEach { $0.finish() }
        outboxes.removeAll()
        consumers.values.forEach { $0.cancel() }
        consumers.removeAll()
    }
}
