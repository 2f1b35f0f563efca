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
    /// Webhook requests per client address: generous, since one Evolution server posts for all its instances.
    package var perClientLimit: RateLimitConfiguration
    /// Webhook requests per unit (per webhook URL).
    package var perUnitLimit: RateLimitConfiguration
    /// Who may read `GET /metrics` (open unless a token or loopback-only is configured).
    package var metricsAccess: MetricsAccess
    /// Reverse proxies whose X-Forwarded-For names the client (loopback by default).
    package var trustedProxies: TrustedProxies

    package init(
        host: String = "127.0.0.1", port: Int = 3000, maxBodyBytes: Int = 1 << 20, shutdownGracePeriod: Duration = .seconds(8),
        perClientLimit: RateLimitConfiguration = RateLimitConfiguration(requestsPerSecond: 2_000, burst: 4_000),
        perUnitLimit: RateLimitConfiguration = RateLimitConfiguration(requestsPerSecond: 500, burst: 1_000),
        metricsAccess: MetricsAccess = .open, trustedProxies: TrustedProxies = .loopbackOnly
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.shutdownGracePeriod = shutdownGracePeriod
        self.perClientLimit = perClientLimit
        self.perUnitLimit = perUnitLimit
        self.metricsAccess = metricsAccess
        self.trustedProxies = trustedProxies
    }
}
