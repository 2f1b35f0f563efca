import ArgumentParser
import CRMCore
import Foundation

/// `crm whatsapp configure --unit UNIT --provider evolution|meta|zapi [provider options]`
struct WhatsAppConfigureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "configure",
        abstract: "Choose a unit's WhatsApp provider and store its credentials, sealed.",
        discussion: """
            Tokens are sealed with CRM_SECRET_KEY (AES-256-GCM) before they reach the database and are \
            never printed back whole: only their last 4 characters. Prefer --token-stdin to a token on the \
            command line, where it would stay in the shell history.

            Evolution API uses the global EVOLUTION_API_URL and EVOLUTION_API_KEY; the unit only needs an \
            instance name, "crm-<unit slug>" by default.

            Examples:
              crm whatsapp configure --unit loja --provider evolution
              printf '%s' "$META_TOKEN" | crm whatsapp configure --unit loja --provider meta \\
                  --phone-number-id 112233445566778 --token-stdin --app-secret "$APP_SECRET" --verify-token "$VERIFY"
              printf '%s' "$ZAPI_TOKEN" | crm whatsapp configure --unit loja --provider zapi \\
                  --instance-id 3C4A5B6D7E8F --token-stdin --client-token "$ZAPI_CLIENT_TOKEN"
            """
    )

    enum Provider: String, ExpressibleByArgument, CaseIterable {
        case evolution, meta, zapi
    }

    @Option(help: "The unit's id or slug.")
    var unit: String

    @Option(help: "evolution, meta or zapi.")
    var provider: Provider

    @Option(help: "Evolution: the instance name (default crm-<unit slug>).")
    var instance: String?

    @Option(help: "Meta: the phone number id (digits).")
    var phoneNumberId: String?

    @Option(help: "Meta: the access token (prefer --token-stdin).")
    var accessToken: String?

    @Option(help: "Meta: the app secret that signs webhooks.")
    var appSecret: String?

    @Option(help: "Meta: the verify token you will enter in the app's webhook settings.")
    var verifyToken: String?

    @Option(help: "Meta: the Graph API version (e.g. v21.0).")
    var graphVersion: String?

    @Option(help: "Z-API: the instance id.")
    var instanceId: String?

    @Option(help: "Z-API: the instance token (prefer --token-stdin).")
    var instanceToken: String?

    @Option(help: "Z-API: the account's security token (Client-Token), when enabled.")
    var clientToken: String?

    @Option(help: "Meta or Z-API: another API base URL (for tests or a proxy).")
    var baseURL: String?

    @Flag(help: "Read the main token (Meta access token, Z-API instance token) from stdin.")
    var tokenStdin = false

    @Flag(help: "Switch provider or instance even while the unit is connected.")
    var force = false

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    struct Result: Encodable {
        var unit: String
        var provider: String
        var instance: String
        var state: String
        var credentials: [String: String]
    }

    func run() async throws {
        let settings = try providerSettings()
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let unit = try await context.units.find(self.unit)
            let configured = try await ConnectionService(store: context.store).configure(
                unit: unit, settings: settings, secretBox: { try SecretBox.fromEnvironment() }, force: force
            )
            let connection = configured.connection
            let result = Result(
                unit: unit.slug, provider: connection.provider.rawValue, instance: connection.instanceName,
                state: connection.status.state.rawValue, credentials: configured.maskedSecrets
            )
            try context.output.emit(result) {
                var lines = ["Unit \(unit.slug) uses \(connection.provider.rawValue) instance \(connection.instanceName) (\(connection.status.state.rawValue))."]
                lines += configured.maskedSecrets.sorted { $0.key < $1.key }.map { "  \($0.key): \($0.value)" }
                return lines.joined(separator: "\n")
            }
        }
    }

    /// Validates the options that belong to the chosen provider and refuses the others.
    private func providerSettings() throws -> ProviderSettings {
        let given: [(String, Any?)] = [
            ("--instance", instance), ("--phone-number-id", phoneNumberId), ("--access-token", accessToken),
            ("--app-secret", appSecret), ("--verify-token", verifyToken), ("--graph-version", graphVersion),
            ("--instance-id", instanceId), ("--instance-token", instanceToken), ("--client-token", clientToken),
            ("--base-url", baseURL), ("--token-stdin", tokenStdin ? true : nil),
        ]
        let allowed: Set<String> = switch provider {
        case .evolution: ["--instance"]
        case .meta: ["--phone-number-id", "--access-token", "--app-secret", "--verify-token", "--graph-version", "--base-url", "--token-stdin"]
        case .zapi: ["--instance-id", "--instance-token", "--client-token", "--base-url", "--token-stdin"]
        }
        if let stray = given.first(where: { $0.1 != nil && !allowed.contains($0.0) }) {
            throw ValidationError("\(stray.0) does not apply to --provider \(provider.rawValue).")
        }
        func required(_ value: String?, _ option: String) throws -> String {
            guard let value, !value.isEmpty else {
                throw ValidationError("--provider \(provider.rawValue) needs \(option).")
            }
            return value
        }
        func token(_ flag: String?, _ option: String) throws -> String {
            if tokenStdin {
                guard flag == nil else { throw ValidationError("Give \(option) or --token-stdin, not both.") }
                return try Terminal.readSecretFromStdin(what: "token")
            }
            return try required(flag, "\(option) or --token-stdin")
        }
        switch provider {
        case .evolution:
            return .evolution(instance: instance)
        case .meta:
            return .meta(MetaCredentials(
                phoneNumberId: try required(phoneNumberId, "--phone-number-id"),
                accessToken: try token(accessToken, "--access-token"),
                appSecret: try required(appSecret, "--app-secret"), verifyToken: try required(verifyToken, "--verify-token"),
                graphVersion: graphVersion, baseURL: baseURL
            ))
        case .zapi:
            return .zapi(ZAPICredentials(
                instanceId: try required(instanceId, "--instance-id"),
                instanceToken: try token(instanceToken, "--instance-token"), clientToken: clientToken, baseURL: baseURL
            ))
        }
    }
}
