import ArgumentParser
import CRMCore
import Foundation

/// `crm doctor [--json]`: checks the configuration and what crm must reach, and says what to fix.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the configuration and what crm must reach (database, migrations, keys, providers, clock).",
        discussion: """
            Each check prints ok, warning, failed or skipped, with what to do. It checks: the database \
            answers; migrations are current; CRM_SECRET_KEY is present and opens the stored credentials; \
            BASE_URL is a public https URL; each unit's provider answers with the configured keys, and its \
            state agrees with the database's; the clock agrees with the database server's (PostgreSQL). \
            Exit 0 when nothing failed (warnings allowed), 78 otherwise.

            Examples:
              crm doctor
              crm doctor --json | jq '.checks[] | select(.status != "ok")'
            """
    )

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    struct Report: Encodable {
        var healthy: Bool
        var checks: [DoctorCheck]
    }

    func run() async throws {
        // In the console, the session's database unless another is named.
        let checks = await DoctorChecks(databaseOption: databaseOptions.database ?? CommandContext.session?.option).run()
        let healthy = !checks.contains { $0.status == .failed }
        try outputOptions.output.emit(Report(healthy: healthy, checks: checks)) {
            let marks: [DoctorCheck.Status: String] = [.ok: "ok     ", .warning: "warning", .failed: "FAILED ", .skipped: "skipped"]
            var lines = checks.map { check in
                "\(marks[check.status] ?? "")  \(check.name): \(check.detail)" + (check.fix.map { "\n           → \($0)" } ?? "")
            }
            lines.append(healthy ? "\nNothing failed." : "\nSome checks failed: fix them, then run crm doctor again.")
            return lines.joined(separator: "\n")
        }
        // The report said it all: exit 78 (configuration) without another message.
        if !healthy { throw ExitCode(ExitStatus.configuration.rawValue) }
    }
}
