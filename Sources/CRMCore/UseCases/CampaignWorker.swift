import Foundation
import Logging

/// The listener's campaign worker: sends every running campaign (`crm campaigns dispatch
/// --detach`, `crm campaigns resume`), one `CampaignDispatcher` per campaign, beside any other
/// process that dispatches it. It looks for running campaigns every `pollInterval`; a campaign
/// whose unit is not connected waits (logged once).
package struct CampaignWorker: Sendable {
    package typealias Store = CampaignStore & ConnectionStore & UnitStore

    let store: any Store
    let makeProvider: OutboundWorker.ProviderFactory
    let dispatcherConfiguration: CampaignDispatcher.Configuration
    let pollInterval: Duration
    let logger: Logger

    package init(
        store: any Store, makeProvider: @escaping OutboundWorker.ProviderFactory,
        dispatcherConfiguration: CampaignDispatcher.Configuration = .init(), pollInterval: Duration = .seconds(2), logger: Logger
    ) {
        self.store = store
        self.makeProvider = makeProvider
        self.dispatcherConfiguration = dispatcherConfiguration
        self.pollInterval = pollInterval
        self.logger = logger
    }

    /// Sends until `isStopping()`; then each dispatcher gives back what it has not started and
    /// finishes its sends in flight. The campaigns stay running, for the next listener.
    package func run(isStopping: @escaping @Sendable () -> Bool) async {
        await withTaskGroup(of: UUID?.self) { group in
            var active: Set<UUID> = []
            var waiting: Set<UUID> = []
            group.addTask { nil }
            while let finished = await group.next() {
                if let finished {
                    active.remove(finished)
                    continue
                }
                // The poll's tick.
                if isStopping() || Task.isCancelled { break }
                do {
                    for campaign in try await store.runningCampaigns() where !active.contains(campaign.id) {
                        guard let started = await start(campaign, waiting: &waiting, isStopping: isStopping) else { continue }
                        active.insert(campaign.id)
                        group.addTask {
                            await started()
                            return campaign.id
                        }
                    }
                } catch {
                    logger.error("campaign worker cannot read the campaigns", metadata: ["error": "\(error)"])
                }
                group.addTask {
                    try? await Task.sleep(for: pollInterval)
                    return nil
                }
            }
            while await group.next() != nil {}
        }
    }

    /// The work of sending `campaign`, or `nil` when its unit cannot send now.
    private func start(_ campaign: Campaign, waiting: inout Set<UUID>, isStopping: @escaping @Sendable () -> Bool) async
        -> (@Sendable () async -> Void)?
    {
        let id = campaign.id.uuidString.lowercased()
        do {
            guard let connection = try await store.connection(unitId: campaign.unitId), connection.status.state == .connected,
                  let unit = try await store.unit(id: campaign.unitId)
            else {
                if waiting.insert(campaign.id).inserted {
                    logger.warning("campaign waits until its unit is connected", metadata: ["campaign": "\(id)"])
                }
                return nil
            }
            waiting.remove(campaign.id)
            let opened = try await makeProvider(connection)
            let dispatcher = CampaignDispatcher(
                store: store, provider: opened.provider, connection: connection,
                timeZone: TimeZone(identifier: unit.timezone) ?? .current, configuration: dispatcherConfiguration, logger: logger)
            return { [logger] in
                logger.notice("campaign dispatch starts", metadata: ["campaign": "\(id)", "unit": "\(unit.slug)"])
                let ending = await dispatcher.run(campaign, isStopping: isStopping)
                await opened.close()
                logger.notice("campaign dispatch ends", metadata: ["campaign": "\(id)", "ending": "\(ending.rawValue)"])
            }
        } catch {
            if waiting.insert(campaign.id).inserted {
                logger.error("campaign cannot be sent", metadata: ["campaign": "\(id)", "error": "\(error)"])
            }
            return nil
        }
    }
}
