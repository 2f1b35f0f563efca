import ArgumentParser

/// `crm campaigns`: one message to many contacts, paced and crash-safe.
struct CampaignsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaigns",
        abstract: "Create, dispatch and follow campaigns (one text to many contacts, paced).",
        discussion: "See docs/campaigns.md for the pacing defaults, the funnel and what happens on a crash.",
        subcommands: [
            CampaignsCreateCommand.self, CampaignsDispatchCommand.self, CampaignsListCommand.self, CampaignsShowCommand.self,
            CampaignsPauseCommand.self, CampaignsResumeCommand.self, CampaignsCancelCommand.self, CampaignsRetryCommand.self,
        ]
    )
}
