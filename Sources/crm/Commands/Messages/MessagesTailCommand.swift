import ArgumentParser
import CRMCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `crm messages tail --unit UNIT [--contact PHONE]`: the latest messages, then new ones as they arrive.
struct MessagesTailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print a unit's latest messages, then each new one as it arrives, until interrupted.",
        discussion: """
            Prints the last \(backlog) messages (oldest first), then asks the database every second for \
            messages not printed yet (also those stored late, up to \(Int(MessageFollower.lookback)) seconds behind \
            the newest one printed). Ctrl-C (or SIGTERM) stops it with exit status 0. \
            With --json, each message is one compact JSON object on its own line (JSON Lines).

            Examples:
              crm messages tail --unit loja-centro
              crm messages tail --unit loja-centro --contact 5511998765432 --json | jq -r .body
            """
    )

    /// How many past messages are printed first.
    static let backlog = 10

    @Option(help: "The unit's id or slug.")
    var unit: String

    @Option(help: "Only messages with this contact: the phone with its country code (+55 11 99876-5432 or 5511998765432).")
    var contact: String?

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    func run() async throws {
        let phone = try contact.map(MessagingArguments.phone)
        // Watching before anything is printed: a signal at any moment after the first line stops cleanly.
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM])
        defer { signals.stop() }
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let unit = try await context.units.find(self.unit)
            let filter = MessageFilter(unitId: unit.id, contactPhone: phone, limit: Self.backlog)
            let store = context.messageReads
            let json = context.output.json
            if !json && Terminal.stdoutIsTerminal {
                context.output.notice("following the messages of \(unit.slug); Ctrl-C to stop")
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await Self.follow(store, filter, json: json) }
                group.addTask { await signals.next() }
                defer { group.cancelAll() }
                // The first to finish: a signal (then following is cancelled) or a failed query (then it is reported).
                try await group.next()
            }
        }
    }

    /// Prints the backlog, then polls every second for what is new, until cancelled.
    private static func follow(_ store: any MessageReadStore, _ filter: MessageFilter, json: Bool) async throws {
        var follower = MessageFollower(store: store, filter: filter)
        for record in try await follower.start() { try write(record, json: json) }
        while true {
            try await Task.sleep(for: .seconds(1))
            for record in try await follower.poll() { try write(record, json: json) }
        }
    }

    /// Written unbuffered: whoever reads the pipe sees each message as soon as it is found.
    private static func write(_ record: MessageRecord, json: Bool) throws {
        let line = json ? try MessageText.jsonLine(record) : MessageText.line(record)
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
