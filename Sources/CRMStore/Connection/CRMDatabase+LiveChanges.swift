import CRMCore
import Foundation

/// The database as the live feed's change signal: this process's commits at once (SQLite and
/// PostgreSQL), and on PostgreSQL every process's through LISTEN on a connection of its own.
extension CRMDatabase: LiveChangeSignal {
    package var signalsOtherProcesses: Bool {
        if case .postgres = location { true } else { false }
    }

    package func changes() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        guard let announcer = (driver as? AnnouncingDriver)?.announcer else {
            continuation.finish()
            return stream
        }
        announcer.observe(continuation)
        if case .postgres(let settings) = location {
            let listener = PostgresChangeListener(settings: settings, logger: logger)
            let listening = Task { await listener.run(wake: { continuation.yield() }) }
            let previous = continuation.onTermination
            continuation.onTermination = { reason in
                listening.cancel()
                previous?(reason)
            }
        }
        return stream
    }
}
