import CRMCore
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// The campaign worker as a service of the listener's group: on SIGTERM or SIGINT its
/// dispatchers stop claiming and finish their sends in flight, within the group's grace period.
struct CampaignWorkerService: Service {
    let worker: CampaignWorker
    let logger: Logger

    func run() async throws {
        let stopping = NIOLockedValueBox(false)
        await withGracefulShutdownHandler {
            await worker.run(isStopping: { stopping.withLockedValue { $0 } })
        } onGracefulShutdown: {
            stopping.withLockedValue { $0 = true }
            logger.notice("stopping: the campaign worker claims no more and finishes its sends in flight")
        }
    }
}
