import Hummingbird

extension WebhookServer {
    /// A route the listener serves: its method and its path as OpenAPI spells it (`/units/{unitId}`).
    package struct ServedRoute: Hashable, Sendable, CustomStringConvertible {
        package var method: String
        package var path: String
        package var description: String { "\(method) \(path)" }
    }

    /// Every route this listener's router has (the API's with `--enable-api`), read from the router
    /// itself, so that a test can hold docs/openapi.yaml to what is really served.
    package var servedRoutes: [ServedRoute] {
        // Hummingbird writes a captured segment `{name}`, as OpenAPI does.
        router().routes.map { ServedRoute(method: $0.method.rawValue, path: $0.path.description) }
    }
}
