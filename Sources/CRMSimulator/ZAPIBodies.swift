/// Z-API's REST answers (shapes of `zapi/api/*.json`) and error bodies (`{"error": "…"}`).
enum ZAPIBodies {
    static func status(_ instance: SimulatedInstance) -> JSONValue {
        let connected = instance.state == .open
        return ["connected": .bool(connected),
                "error": .string(connected ? "You are already connected." : "You are not connected."),
                "smartphoneConnected": .bool(connected)]
    }

    static func value(_ value: JSONValue) -> JSONValue { ["value": value] }

    /// `GET /device` once paired (docs: instance/device.md).
    static func device(_ instance: SimulatedInstance) -> JSONValue {
        ["phone": .optional(instance.ownerPhone), "imgUrl": nil, "about": "",
         "name": .optional(instance.profileName),
         "device": ["sessionName": "Z-API", "device_model": "Z-API"],
         "originalDevice": "android", "sessionId": 1, "isBusiness": false]
    }

    static func sendText(zaapId: String, messageId: String) -> JSONValue {
        ["zaapId": .string(zaapId), "messageId": .string(messageId), "id": .string(messageId)]
    }

    static func error(_ message: String) -> JSONValue { ["error": .string(message)] }

    /// No instance with this id and token (docs' status table: 404, "check instanceId and token").
    static let instanceNotFound = SimulatorReply(status: 404, body: error("Instance not found"))
    /// Without `Client-Token` on an account that requires it (`error-client-token-missing.json`;
    /// the status is the docs' 401 "invalid token, check the Client-Token header").
    static let clientTokenMissing = SimulatorReply(status: 401, body: error("null not allowed"))
    /// A wrong `Client-Token`: the same rule with the value sent.
    static func clientTokenRefused(_ sent: String) -> SimulatorReply { SimulatorReply(status: 401, body: error("\(sent) not allowed")) }
    static let notConnected = SimulatorReply(status: 400, body: error("You are not connected."))
    static let malformedJSON = SimulatorReply(status: 400, body: error("Invalid JSON body"))
}
