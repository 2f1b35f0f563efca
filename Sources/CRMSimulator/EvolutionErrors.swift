/// Evolution's error bodies: always `{"status":N,"error":"<reason phrase>","response":{"message":X}}`.
enum EvolutionErrors {
    static func body(status: Int, message: JSONValue) -> JSONValue {
        ["status": .int(status), "error": .string(reasonPhrase(status)), "response": ["message": message]]
    }

    /// 401: the message is a bare string.
    static let unauthorized = body(status: 401, message: "Unauthorized")

    static func instanceNotFound(_ name: String) -> JSONValue {
        body(status: 404, message: [.string("The \"\(name)\" instance does not exist")])
    }

    static func route(method: String, path: String) -> JSONValue {
        body(status: 404, message: [.string("Cannot \(method) \(path)")])
    }

    static func nameInUse(_ name: String) -> JSONValue {
        body(status: 403, message: [.string("This name \"\(name)\" is already in use.")])
    }

    static func badRequest(_ messages: String...) -> JSONValue {
        body(status: 400, message: .array(messages.map(JSONValue.string)))
    }

    /// JSON-schema validation failures: an array of arrays.
    static func validation(_ message: String) -> JSONValue {
        body(status: 400, message: [[.string(message)]])
    }

    static let connectionClosed = badRequest("Error: Connection Closed")

    static func notConnected(_ name: String) -> JSONValue { badRequest("The \"\(name)\" instance is not connected") }

    static func notOnWhatsApp(_ digits: String) -> JSONValue {
        body(status: 400, message: [["jid": .string(PhoneNumber.jid(digits)), "exists": false, "number": .string(digits)]])
    }

    /// 500: a bare string, as Evolution's exception filter writes it.
    static func serverError(_ status: Int) -> JSONValue { body(status: status, message: .string(reasonPhrase(status))) }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 409: "Conflict"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Error"
        }
    }
}
