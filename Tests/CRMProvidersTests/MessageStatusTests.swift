import CRMCore
import Testing

/// The forward-only rule, as a full table: every (current, next) pair is listed once.
@Suite("Message status transitions")
struct MessageStatusTests {
    static let table: [(MessageStatus, MessageStatus, Bool)] = [
        (.queued, .queued, false), (.queued, .sent, true), (.queued, .delivered, true), (.queued, .read, true), (.queued, .failed, true),
        (.sent, .queued, false), (.sent, .sent, false), (.sent, .delivered, true), (.sent, .read, true), (.sent, .failed, true),
        (.delivered, .queued, false), (.delivered, .sent, false), (.delivered, .delivered, false), (.delivered, .read, true),
        (.delivered, .failed, false),
        (.read, .queued, false), (.read, .sent, false), (.read, .delivered, false), (.read, .read, false), (.read, .failed, false),
        (.failed, .queued, false), (.failed, .sent, false), (.failed, .delivered, false), (.failed, .read, false),
        (.failed, .failed, false),
    ]

    @Test("canAdvance(to:) follows the table", arguments: table)
    func canAdvance(current: MessageStatus, next: MessageStatus, allowed: Bool) {
        #expect(current.canAdvance(to: next) == allowed)
    }

    @Test("The table covers every pair")
    func tableIsComplete() {
        let pairs = Set(Self.table.map { "\($0.0)->\($0.1)" })
        #expect(pairs.count == MessageStatus.allCases.count * MessageStatus.allCases.count)
        #expect(Self.table.count == pairs.count)
    }

    @Test("Predecessors, for the store's conditional UPDATE")
    func predecessors() {
        #expect(MessageStatus.queued.allowedPredecessors == [])
        #expect(MessageStatus.sent.allowedPredecessors == [.queued])
        #expect(MessageStatus.delivered.allowedPredecessors == [.queued, .sent])
        #expect(MessageStatus.read.allowedPredecessors == [.queued, .sent, .delivered])
        #expect(MessageStatus.failed.allowedPredecessors == [.queued, .sent])
    }

    @Test("Read and failed are terminal")
    func terminal() {
        #expect(MessageStatus.allCases.filter(\.isTerminal) == [.read, .failed])
    }

    @Test("Out-of-order receipts settle on the furthest status", arguments: [
        ([MessageStatus.read, .delivered, .sent], MessageStatus.read),
        ([.delivered, .sent, .read, .delivered], .read),
        ([.sent, .failed, .delivered], .failed),
        ([.delivered, .failed], .delivered),
        ([.sent, .sent, .queued], .sent),
    ])
    func outOfOrder(receipts: [MessageStatus], final: MessageStatus) {
        var status = MessageStatus.queued
        for receipt in receipts where status.canAdvance(to: receipt) {
            status = receipt
        }
        #expect(status == final)
    }
}
