import CRMCore
import CRMServer
import CRMStore
import CRMTestSupport
import Foundation
import Logging
import Testing

/// docs/openapi.yaml against the listener: every route the router serves with the API enabled is
/// in the spec, every operation of the spec is served, and the spec is valid OpenAPI 3.1. The
/// provider webhook routes are the providers' (docs/webhooks.md), not the API's: they are left out.
@Suite("OpenAPI description (docs/openapi.yaml)")
struct OpenAPIRoutesTests {
    static let spec = "docs/openapi.yaml"
    static let webhookPrefix = "/webhooks/"
    static let install = "pip install pyyaml openapi-spec-validator (CI: .ci/run)"

    @Test("every route the listener serves with --enable-api is in the spec, and every operation of the spec is served")
    func routesMatchSpec() async throws {
        let served = try await Self.servedRoutes()
        #expect(served.contains("POST /admin/login") && served.contains("GET /units/{unitId}"), "the router's routes: \(served.sorted())")
        let documented = try await Self.specOperations()
        for route in served.subtracting(documented).sorted() {
            Issue.record("\(route) is served but \(Self.spec) does not describe it: add it to the spec")
        }
        for operation in documented.subtracting(served).sorted() {
            Issue.record("\(operation) is in \(Self.spec) but the listener does not serve it")
        }
    }

    @Test("the spec is valid OpenAPI 3.1 (openapi-spec-validator)")
    func specIsValid() async throws {
        let result = try await RepositoryFiles.run(
            "python3", ["-m", "openapi_spec_validator", RepositoryFiles.url(Self.spec).path], seconds: 120)
        #expect(result.status == 0, "openapi-spec-validator refused \(Self.spec) (or is missing: \(Self.install)):\n\(result.output)")
    }

    /// The API's routes as `METHOD /path`, from the router of a listener built as `crm webhook serve
    /// --enable-api` builds it (over an empty database: registering routes reads nothing).
    static func servedRoutes() async throws -> Set<String> {
        try await TestDatabases.with(.sqlite) { database in
            let store = database.store
            let configuration = try APIConfiguration(accessSecret: String(repeating: "k", count: 48))
            let providers = APIProviders(
                openProvider: { _ in throw CRMError.configuration("no provider in this test") },
                secretBox: { throw CRMError.configuration("no key in this test") },
                webhookBase: { "http://127.0.0.1:1" })
            let api = await APIRoutes(
                configuration: configuration, store: store, hasher: BcryptPasswordHasher(cost: BcryptPasswordHasher.minimumCost),
                providers: providers, metrics: MetricsRegistry(),
                events: LiveEventHub(
                    feed: LiveEventFeed(store: store), signal: nil, configuration: .init(pollInterval: .seconds(1)), logger: Logger(label: "openapi-test")))
            let ingestion = WebhookIngestion(store: store, parsers: [], secretBox: { throw CRMError.configuration("no key in this test") })
            let server = WebhookServer(
                configuration: ListenerConfiguration(), ingestion: ingestion, databaseCheck: { true }, logger: Logger(label: "openapi-test"),
                api: api)
            return Set(server.servedRoutes.map(\.description).filter { !$0.contains(" \(webhookPrefix)") })
        }
    }

    /// The spec's operations as `METHOD /path`, read with PyYAML (no YAML parser is a dependency).
    static func specOperations() async throws -> Set<String> {
        let script = """
            import sys, yaml
            methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
            spec = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
            for path, item in spec["paths"].items():
                for method in item:
                    if method in methods:
                        print("OPERATION", method.upper(), path)
            """
        let result = try await RepositoryFiles.run("python3", ["-c", script, RepositoryFiles.url(spec).path])
        guard result.status == 0 else {
            Issue.record("python3 could not read \(spec) (\(install)):\n\(result.output)")
            return []
        }
        return Set(result.output.split(separator: "\n").filter { $0.hasPrefix("OPERATION ") }.map { String($0.dropFirst(10)) })
    }
}
