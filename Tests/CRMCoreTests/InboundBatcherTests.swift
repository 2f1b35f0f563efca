import CRMCore
import Foundation
import Logging
import Synchronization
import Testing

/// The batcher alone, over a store that answers after a delay it is told: how arrivals are grouped,
/// and the warning a slow batch leaves in the log. The real stores' batches are tested in CRMStoreTests.
@Suite("InboundBatcher")
struct InboundBatcherTests {
    /// Answers every item `.stored` after `delay`, and remembers the size of each batch.
    actor SlowStore: InboundBatchStore {
        let delay: Duration
        private(set) var batchSizes: [Int] = []
        init(delay: Duration) { self.delay = delay }
        nonisolated let takesBodiesAsJSON = false

        func storeInboundBatch(_ items: [InboundWebhook]) async throws -> [InboundBatchResult] {
            batchSizes.append(items.count)
            try await Task.sleep(for: delay)
            return items.map { _ in .stored(messageId: UUID()) }
        }
    }

    /// Refuses every batch, with an error whose text a log must not show.
    actor FailingStore: InboundBatchStore {
        struct Refused: Error, CustomStringConvertible {
            var description: String { "INSERT INTO webhook_events … postgres://crm:pw-secret@db" }
        }
        nonisolated let takesBodiesAsJSON = false
        func storeInboundBatch(_ items: [InboundWebhook]) async throws -> [InboundBatchResult] { throw Refused() }
    }

    /// Keeps the lines logged through it.
    final class CapturedLog: Sendable {
        let lines = Mutex<[(level: Logger.Level, message: String)]>([])

        var logger: Logger {
            Logger(label: "batcher-test") { _ in Handler(log: self) }
        }

        struct Handler: LogHandler {
            let log: CapturedLog
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .trace
            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }
            func log(event: LogEvent) {
                log.lines.withLock { $0.append((event.level, "\(event.message)")) }
            }
        }
    }

    static func item(_ index: Int) -> InboundWebhook {
        let unit = UUID(), now = Date(), raw = "{\"id\":\"M\(index)\"}"
        let record = StoredWebhookEvent(
            unitId: unit, provider: .evolution, eventType: "inboundMessage", instance: "crm-loja",
            dedupeKey: WebhookIngestion.dedupeKey(Data(raw.utf8)), body: raw, result: .applied, attempts: 1,
            receivedAt: now, appliedAt: now
        )
        return InboundWebhook(record: record, message: IncomingMessage(
            unitId: unit, provider: .evolution, externalId: "M\(index)", phone: "551198765\(String(format: "%04d", index))",
            lid: nil, senderName: nil, fromMe: false, kind: .text, body: "oi", sentAt: now, receivedAt: now
        ))
    }

    /// Submits `count` items at once and waits for every answer.
    static func submitAll(_ batcher: InboundBatcher, count: Int) async throws -> [InboundBatchResult] {
        try await withThrowingTaskGroup(of: InboundBatchResult.self) { group in
            for index in 0..<count { group.addTask { try await batcher.submit(item(index)) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test("arrivals while a batch is written go together in the next one, up to the maximum")
    func grouping() async throws {
        let store = SlowStore(delay: .milliseconds(100))
        let batcher = InboundBatcher(store: store, maxBatch: 8)
        let results = try await Self.submitAll(batcher, count: 30)
        #expect(results.count == 30)
        let sizes = await store.batchSizes
        #expect(sizes.reduce(0, +) == 30 && sizes.allSatisfy { $0 <= 8 }, "\(sizes)")
        #expect(sizes.count < 30, "every item went alone: \(sizes)")
    }

    @Test("a batch slower than the threshold is logged once as a warning with its size and time; a fast one is not")
    func slowBatchWarning() async throws {
        let captured = CapturedLog()
        let slow = InboundBatcher(store: SlowStore(delay: .milliseconds(200)), logger: captured.logger, slowBatch: .milliseconds(50))
        _ = try await slow.submit(Self.item(1))
        let warnings = captured.lines.withLock { $0 }
        #expect(warnings.count == 1 && warnings[0].level == .warning, "\(warnings)")
        #expect(warnings.first?.message.hasPrefix("Storing 1 inbound webhook took ") == true, "\(warnings)")
        let milliseconds = warnings.first.flatMap { Int($0.message.split(separator: " ")[5]) } ?? -1
        #expect(milliseconds >= 200, "\(warnings)")

        let quiet = CapturedLog()
        let fast = InboundBatcher(store: SlowStore(delay: .zero), logger: quiet.logger, slowBatch: .seconds(5))
        _ = try await Self.submitAll(fast, count: 5)
        #expect(quiet.lines.withLock { $0.isEmpty })
    }

    @Test("a failed batch is logged as a warning naming the error's type only, at most once per interval")
    func failedBatchWarning() async throws {
        let captured = CapturedLog()
        let batcher = InboundBatcher(store: FailingStore(), logger: captured.logger, failureWarningInterval: .seconds(3600))
        for index in 0..<3 {
            await #expect(throws: FailingStore.Refused.self) { try await batcher.submit(Self.item(index)) }
        }
        let warnings = captured.lines.withLock { $0 }
        #expect(warnings.count == 1 && warnings.first?.level == .warning, "\(warnings)")
        #expect(warnings.first?.message.contains("A batch of 1 inbound webhook could not be stored (CRMCoreTests.InboundBatcherTests.FailingStore.Refused)") == true, "\(warnings)")
        #expect(warnings.allSatisfy { !$0.message.contains("pw-secret") && !$0.message.contains("INSERT") })

        // With no interval, each failure is reported, each counting itself.
        let every = CapturedLog()
        let eager = InboundBatcher(store: FailingStore(), logger: every.logger, failureWarningInterval: .zero)
        for index in 0..<2 { _ = try? await eager.submit(Self.item(index)) }
        #expect(every.lines.withLock { $0.map(\.message) }.map { $0.hasSuffix("since the last such warning: 1.") } == [true, true])
    }
}
