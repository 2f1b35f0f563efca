import ArgumentParser
import CRMCore
import Foundation

/// The `crm` command: administration of a multi-tenant WhatsApp CRM.
@main
struct CRM: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crm",
        abstract: "Administer a multi-tenant WhatsApp CRM: units, users, WhatsApp numbers, messages and campaigns.",
        discussion: """
            Every command that reads or writes takes --json (one JSON document on stdout) and \
            --database URL (default: an embedded SQLite file in ~/.local/share/crm).

            New here? `crm demo` shows the whole product in a few seconds, with nothing to set up.

            Examples:
              crm demo
              crm units create "São Paulo Centro"
              printf '%s' "$PASSWORD" | crm users create --email ana@example.com --role unit_admin \\
                  --unit sao-paulo-centro --password-stdin
              crm users list --unit sao-paulo-centro --json
            """,
        version: CRMVersion.current,
        subcommands: [
            DemoCommand.self, UnitsCommand.self, UsersCommand.self, WhatsAppCommand.self, SendCommand.self, MessagesCommand.self, ConversationsCommand.self,
            ContactsCommand.self, CampaignsCommand.self, WebhookCommand.self, ServeCommand.self, StatsCommand.self, DoctorCommand.self,
            DatabaseCommand.self, QRCommand.self, ConsoleCommand.self,
            SimulatorCommand.self,
        ]
    )

    /// Parses, runs, and turns every error into a one-line message and a documented exit code.
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)  // help, --version and usage errors, as swift-argument-parser prints them
        }
        do {
            var runnable = command
            if var asyncCommand = runnable as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try runnable.run()
            }
        } catch {
            ErrorReporter.exit(with: error)
        }
    }
}
