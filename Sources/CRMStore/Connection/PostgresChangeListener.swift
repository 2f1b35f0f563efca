import CRMCore
import Foundation
import Logging
import PostgresNIO

/// Follows `NOTIFY crm_live_events` (sent by `ChangeAnnouncer` in every crm process writing to
/// the database) on a connection of its own, so that a listener's live events hear of writes made
/// by other listeners and by crm commands at once. Needs a session: a direct connection or a
/// pooler in session mode, not one in transaction mode.
struct PostgresChangeListener: Sendable {
    let settings: PostgresSettings
    let logger: Logger
    static let longestRetryDelay: Duration = .seconds(30)

    /// Calls `wake` on each notice, and once each time it (re)connects: notices sent while it
    /// was away are lost, so whoever follows reads once to catch up. After a failure it waits
    /// (1 s, doubling up to 30 s) and connects again. Returns when its task is cancelled.
    func run(wake: @escaping @Sendable () -> Void) async {
        var delay: Duration = .seconds(1)
        var lost = false
        while !Task.isCancelled {
            do {
                let connection = try await PostgresDriver.openConnection(settings, logger: logger)
                do {
                    try await connection.listen(on: ChangeAnnouncer.channel) { notices in
                        if lost { logger.notice("live events: listening to PostgreSQL notices again") }
                        lost = false
                        delay = .seconds(1)
                        wake()
                        for try await _ in notices { wake() }
                    }
                } catch {
                    await Self.close(connection)
                    throw error
                }
                await Self.close(connection)
            } catch {
                if Task.isCancelled { return }
                if !lost {
                    logger.warning(
                        "live events: the PostgreSQL LISTEN connection failed; events of other processes come by polling until it is back",
                        metadata: ["error": "\((error as? CRMError)?.message ?? "connection lost")"])
                }
                lost = true
            }
            if Task.isCancelled { return }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, Self.longestRetryDelay)
        }
    }

    /// postgres-nio's close has been seen never to finish under load: give it a few seconds.
    private static func close(_ connection: PostgresConnection) async {
        _ = await Task { try? await connection.close() }.finishes(within: .seconds(5))
    }
}
