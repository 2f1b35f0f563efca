import CRMCore
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// The outbound worker as a service of the listener's group. On SIGTERM or SIGINT it stops
/// claiming and lets the sends in flight finish and record their outcome; the group's grace
/// period bounds that, then cancels what is left (a cancelled send's lease expires and the
/// message is claimed again).
struct OutboundWorkerService: Service {
    let worker: OutboundWorker
    let logger: Logger

    func run() async throws {
        let stopping = NIOLockedValueBox(false)
        await withGracefulShutdownHandler {
            await worker.run(isStopping: { stopping.withLockedValue { $0 } })
        } onGracefulShutdown: {
            stopping.withLockedValue { $0 = true }
            logger.notice("stopping: the outbound worker claims no more and finishes its sends in flight")
        }
    }
}

extension MetricsRegistry {
    /// Counts one recorded send outcome: `crm_outbound_sends_total{provider,result}` and, for a
    /// scheduled retry, `crm_outbound_retries_total{provider}`.
    package func recordOutbound(_ provider: ProviderKind, _ outcome: OutboundDelivery.Outcome) {
        let result: String = switch outcome {
        case .sent: "sent"
        case .retry: "retry"
        case .failed: "failed"
        }
        increment(CRMMetrics.outboundSends, labels: ["provider": provider.rawValue, "result": result])
        if case .retry = outcome { increment(CRMMetrics.outboundRetries, labels: ["provider": provider.rawValue]) }
    }
}
