/// What a handler answers: an HTTP status and a JSON body. The state actor returns these so
/// that every rule (404, 403, 400…) lives next to the state it checks.
struct SimulatorReply: Sendable {
    var status: Int
    var body: JSONValue

    static func ok(_ body: JSONValue) -> Self { .init(status: 200, body: body) }
    static func created(_ body: JSONValue) -> Self { .init(status: 201, body: body) }
    /// An Evolution error body, whose `status` field is the HTTP status.
    static func error(_ body: JSONValue) -> Self { .init(status: body["status"]?.intValue ?? 500, body: body) }
    /// An error of the control surface (not Evolution's API): `{"error": "..."}`.
    static func control(_ status: Int, _ message: String) -> Self { .init(status: status, body: ["error": .string(message)]) }
}
