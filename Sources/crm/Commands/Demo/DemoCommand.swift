import ArgumentParser
import CRMCore
import CRMSimulator
import CRMStore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `crm demo`: the whole product in a few seconds, with nothing but this binary. Everything runs
/// in this process on loopback and goes away at the end.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Show the whole product in a few seconds: pairing, sending, receipts, a reply, the figures.",
        discussion: """
            Nothing to install or configure: crm makes a temporary SQLite database, starts the provider \
            simulator (a stand-in for Evolution API and a phone) and the listener (crm webhook serve) on free \
            loopback ports in this process, with a throwaway secret key and API key. Then, step by step: a \
            unit, its WhatsApp number paired (the QR code drawn here, the scan simulated), a message sent \
            and its delivered and read receipts, a contact's reply, and crm stats. Each line is read back \
            from the database.

            At the end both servers stop and the database is removed; --keep keeps it and prints the \
            commands to explore it. A step that does not finish within --step-timeout seconds ends the \
            demo (exit 75); Ctrl-C ends it too (exit 1). Either way nothing is left running.

            Examples:
              crm demo
              crm demo --keep
              crm demo --pace 2          # a pause after each step, to present it
              crm demo --json | jq '.outbound.status'
            """
    )

    @Flag(help: "Keep the demo's database and print the commands to explore it.")
    var keep = false

    @Option(help: ArgumentHelp("Pause this many seconds after each step (0 to 10), to present the demo.", valueName: "seconds"))
    var pace: Double = 0

    @Option(help: ArgumentHelp("Give up when a step takes longer than this (1 to 300).", valueName: "seconds"))
    var stepTimeout = 15

    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        guard (0...10).contains(pace) else { throw ValidationError("--pace must be between 0 and 10 seconds.") }
        guard (1...300).contains(stepTimeout) else { throw ValidationError("--step-timeout must be between 1 and 300 seconds.") }
    }

    func run() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let json = outputOptions.json
        let narrator = DemoNarrator(onStandardError: json)
        let folder = try DemoFolder.create()
        let play = DemoPlay(
            folder: folder, narrator: narrator, deadline: DemoDeadline(limit: .seconds(stepTimeout)),
            pace: .milliseconds(Int(pace * 1000)), outputOptions: outputOptions
        )
        narrator.say("crm demo: the whole product in this process. Everything stops at the end.", "")
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM])
        let result = await Self.untilSignal(signals) { try await play.run() }
        signals.stop()
        if !keep { folder.remove() }
        let outcome: DemoScript.Outcome
        switch result {
        case .success(let value):
            outcome = value
        case .failure(let error):
            if error is DemoInterrupted {
                let database = keep ? "its database is kept in \(folder.databasePath)" : "its temporary database is removed"
                throw CRMError(.notConfirmed, "Interrupted: the demo's servers are stopped and \(database).")
            }
            if keep { Terminal.writeError("crm: the demo's database is kept in \(folder.databasePath)") }
            throw error
        }
        let elapsed = (clock.now - started).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        let summary = DemoSummary(outcome, database: folder.databasePath, kept: keep, seconds: seconds)
        try outputOptions.output.emit(summary) { "" }
        narrator.say("")
        if keep {
            narrator.say("Done in \(String(format: "%.1f", seconds)) s: the servers are stopped; the database is kept. Explore it:", "")
            narrator.say(summary.commands.map { "  " + $0 }.joined(separator: "\n"), "")
            narrator.say(
                "Or set CRM_DATABASE_URL=\(DemoSummary.shellQuoted(folder.databaseURL)) and leave out --database. "
                    + "Remove it with: rm -r \(DemoSummary.shellQuoted(folder.path))"
            )
        } else {
            narrator.say(
                "Done in \(String(format: "%.1f", seconds)) s: the servers are stopped and the temporary database is removed.",
                "Keep it with `crm demo --keep`, then explore it with crm messages and crm stats."
            )
        }
    }

    /// Runs `body` until it ends or SIGINT/SIGTERM arrives; on a signal `body` is cancelled (its
    /// servers stop and its database closes as it unwinds) and the result is `DemoInterrupted`.
    static func untilSignal<T: Sendable>(_ signals: SignalWatcher, _ body: @escaping @Sendable () async throws -> T)
        async -> Result<T, any Error>
    {
        await withTaskGroup(of: Result<T, any Error>?.self) { group in
            group.addTask {
                do {
                    return .success(try await body())
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                guard await signals.next() != nil else { return nil }
                return .failure(DemoInterrupted())
            }
            var first: Result<T, any Error>?
            while let next = await group.next() {
                guard let result = next, first == nil else { continue }
                first = result
                group.cancelAll()
                signals.stop()
            }
            // `body` unwinds before the group ends: its error (a cancellation) gives way to the interruption.
            return first ?? .failure(DemoInterrupted())
        }
    }
}

/// Ctrl-C or SIGTERM during the demo.
struct DemoInterrupted: Error {}

/// The demo's run, from an empty folder to the outcome: the database, the servers, the script.
struct DemoPlay: Sendable {
    let folder: DemoFolder
    let narrator: DemoNarrator
    let deadline: DemoDeadline
    let pace: Duration
    let outputOptions: OutputOptions

    func run() async throws -> DemoScript.Outcome {
        var database = DatabaseOptions()
        database.database = folder.databaseURL
        return try await CommandContext.with(database, outputOptions, noticesAsLog: true) { context in
            let migrations = try await context.database.migrator.status()
            narrator.step("Temporary database created: \(folder.databasePath)", [
                "SQLite, schema version \(migrations.last?.version ?? 0) (\(migrations.filter(\.isApplied).count) migrations applied)",
            ])
            // A key made up for this run and forgotten after it (it seals the unit's webhook secret).
            let box = try SecretBox.fromEnvironment([SecretBox.keyVariable: SecretBox.generateKeyText()])
            // Receipts a quarter of a second apart: quick, yet each status is a separate webhook.
            let settings = SimulatorSettings(autoPairAfterSeconds: nil, qrRotationSeconds: nil, ackDelayMs: 250)
            return try await DemoServers.with(
                ingestion: context.listenerIngestion(secretBox: { box }), database: context.database, settings: settings
            ) { servers in
                narrator.step("Provider simulator and listener started in this process", [
                    "provider simulator: \(servers.simulatorURL) (Evolution API v2 and a phone)",
                    "listener:           \(servers.listenerURL) (crm webhook serve)",
                ])
                let script = DemoScript(
                    context: context, servers: servers, box: box, narrator: narrator, deadline: deadline, pace: pace
                )
                return try await script.run()
            }
        }
    }
}
