/// Wakes the live event feed when data changed, sooner than its next poll: for the writes of
/// this process at once, and on PostgreSQL for every process sharing the database (NOTIFY).
package protocol LiveChangeSignal: Sendable {
    /// Yields (coalesced: one pending wake at most) after writes were committed; ends when the
    /// consuming task is cancelled.
    func changes() -> AsyncStream<Void>
    /// Whether other processes' writes are signalled too (PostgreSQL's LISTEN/NOTIFY). When not
    /// (SQLite), the feed finds them only by polling.
    var signalsOtherProcesses: Bool { get }
}
