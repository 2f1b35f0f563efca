import CRMCore
import Foundation

/// A provider adapter for one unit, and the HTTP client it owns (shut it down when done).
package struct ProviderHandle: Sendable {
    package let provider: any WhatsAppProvider
    private let shutdownClient: @Sendable () async throws -> Void

    init(_ provider: any WhatsAppProvider, shutdown: @escaping @Sendable () async throws -> Void) {
        self.provider = provider
        self.shutdownClient = shutdown
    }

    package func shutdown() async {
        try? await shutdownClient()
    }

    /// Runs `body` with the provider and shuts its HTTP client down afterwards, whatever happens.
    package func use<T>(_ body: (any WhatsAppProvider) async throws -> T) async throws -> T {
        do {
            let result = try await body(provider)
            await shutdown()
            return result
        } catch {
            await shutdown()
            throw error
        }
    }
}

/// Builds the adapter a unit's settings call for. Evolution's server and key are global
/// (`EVOLUTION_API_URL`, `EVOLUTION_API_KEY`); Meta and Z-API carry theirs in the unit's credentials.
package enum ProviderClients {
    package static let evolutionURLVariable = "EVOLUTION_API_URL"
    package static let evolutionKeyVariable = "EVOLUTION_API_KEY"

    /// Seconds a provider request may take (15 by default): `CRM_PROVIDER_TIMEOUT`.
    package static let timeoutVariable = "CRM_PROVIDER_TIMEOUT"

    /// `maxConnections`: requests to the provider at once (8 by default).
    package static func make(
        _ settings: ProviderSettings, environment: [String: String] = ProcessInfo.processInfo.environment, maxConnections: Int? = nil
    ) throws -> ProviderHandle {
        var http = try httpConfiguration(environment)
        if let maxConnections { http.maxConnections = maxConnections }
        switch settings {
        case .evolution:
            guard let url = nonEmpty(environment[evolutionURLVariable]) else {
                throw CRMError.configuration(
                    "\(evolutionURLVariable) is not set: set it to your Evolution API server, e.g. https://evolution.example.com."
                )
            }
            guard let key = nonEmpty(environment[evolutionKeyVariable]) else {
                throw CRMError.configuration(
                    "\(evolutionKeyVariable) is not set: set it to the Evolution server's AUTHENTICATION_API_KEY."
                )
            }
            let client = try EvolutionClient(configuration: EvolutionClientConfiguration(baseURL: url, apiKey: key, http: http))
            return ProviderHandle(client, shutdown: { try await client.shutdown() })
        case .meta(let credentials):
            let client = try MetaClient(configuration: MetaClientConfiguration(credentials: credentials, http: http))
            return ProviderHandle(client, shutdown: { try await client.shutdown() })
        case .zapi(let credentials):
            let client = try ZAPIClient(configuration: ZAPIClientConfiguration(credentials: credentials, http: http))
            return ProviderHandle(client, shutdown: { try await client.shutdown() })
        }
    }

    /// The default timeouts, with the request timeout from `CRM_PROVIDER_TIMEOUT` when set.
    package static func httpConfiguration(_ environment: [String: String]) throws -> ProviderHTTPConfiguration {
        var http = ProviderHTTPConfiguration()
        if let text = nonEmpty(environment[timeoutVariable]) {
            guard let seconds = Double(text), seconds >= 0.1, seconds <= 600 else {
                throw CRMError.configuration("\(timeoutVariable) must be a number of seconds between 0.1 and 600, not '\(text.prefix(40))'.")
            }
            http.requestTimeout = .milliseconds(Int(seconds * 1000))
            http.connectTimeout = min(http.connectTimeout, http.requestTimeout)
        }
        return http
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }
}
