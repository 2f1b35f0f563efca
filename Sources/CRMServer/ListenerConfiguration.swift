import CRMCore
import Foundation

/// How `crm webhook serve` listens and what it serves.
package struct ListenerConfiguration: Sendable {
    package var host: String
    package var port: Int
    /// Bodies larger than this are refused with 413 (providers send a few KiB).
    package var maxBodyBytes: Int
    /// Longest time in-flight requests get to finish after SIGTERM or SIGINT.
    package var shutdownGracePeriod: Duration

    package init(host: String = "127.0.0.1", port: Int = 3000, maxBodyBytes: Int = 1 << 20, shutdownGracePeriod: Duration = .seconds(8)) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.shutdownGracePeriod = shutdownGracePeriod
    }
}
