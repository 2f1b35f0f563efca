import Foundation

/// The arithmetic of a unit's send slots (the store keeps `next` and `batchSent` between calls):
/// slots `rate.interval` apart, and a `batchPause` after every `batchSize` of them. A unit that
/// sat idle starts from now; one idle for a whole batch pause starts a fresh batch.
package struct SendSlots: Sendable, Equatable {
    /// The earliest time of the next slot.
    package var next: Date
    /// Slots taken in the current batch.
    package var batchSent: Int

    package init(next: Date, batchSent: Int) {
        self.next = next
        self.batchSent = batchSent
    }

    /// Takes `count` slots at or after `now`; returns their times.
    package mutating func reserve(_ count: Int, pacing: CampaignPacing, now: Date) -> [Date] {
        let interval = pacing.rate.interval.seconds
        if next < now {
            if pacing.batchSize != nil, now.timeIntervalSince(next) >= max(pacing.batchPause.seconds, interval) {
                batchSent = 0
            }
            next = now
        }
        var slots: [Date] = []
        slots.reserveCapacity(count)
        for _ in 0..<count {
            slots.append(next)
            next = next.addingTimeInterval(interval)
            batchSent += 1
            if let size = pacing.batchSize, batchSent >= size {
                next = next.addingTimeInterval(pacing.batchPause.seconds)
                batchSent = 0
            }
        }
        return slots
    }
}
