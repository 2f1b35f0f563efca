import Foundation
import QRCode

/// Evolution's REST response bodies (shapes of `evolution/api/*.response.json`).
enum EvolutionBodies {
    /// The code as the PNG data URL Evolution and Z-API send beside it (`base64`), drawn with
    /// crm's QR encoder (a reader can check it decodes to `code`).
    static func pngDataURL(_ code: String) -> String {
        guard let symbol = try? QRCode(text: code) else { return "data:image/png;base64," }
        return "data:image/png;base64," + Data(symbol.png(scale: 4, quietZone: 4)).base64EncodedString()
    }

    static func qrcode(_ instance: SimulatedInstance) -> JSONValue {
        ["pairingCode": nil, "code": .string(instance.qrCode), "base64": .string(pngDataURL(instance.qrCode)), "count": .int(instance.qrCount)]
    }

    static func create(_ instance: SimulatedInstance) -> JSONValue {
        [
            "instance": [
                "instanceName": .string(instance.name),
                "instanceId": .string(instance.id),
                "integration": .string(instance.integration),
                "webhookWaBusiness": nil,
                "accessTokenWaBusiness": "",
                "status": .string(instance.state.rawValue),
            ],
            "hash": .string(instance.token),
            "webhook": [
                "webhookUrl": .optional(instance.webhook?.url),
                "webhookByEvents": .bool(instance.webhook?.byEvents ?? false),
                "webhookBase64": .bool(instance.webhook?.base64 ?? false),
            ],
            "websocket": [:], "rabbitmq": [:], "nats": [:], "sqs": [:],
            "settings": [
                "rejectCall": false, "msgCall": "", "groupsIgnore": false, "alwaysOnline": false,
                "readMessages": false, "readStatus": false, "syncFullHistory": false, "wavoipToken": "",
            ],
            "qrcode": qrcode(instance),
        ]
    }

    static func state(_ instance: SimulatedInstance) -> JSONValue {
        ["instance": ["instanceName": .string(instance.name), "state": .string(instance.state.rawValue)]]
    }

    static func success(_ message: String) -> JSONValue {
        ["status": "SUCCESS", "error": false, "response": ["message": .string(message)]]
    }

    static func fetchInstance(_ instance: SimulatedInstance) -> JSONValue {
        [
            "id": .string(instance.id),
            "name": .string(instance.name),
            "connectionStatus": .string(instance.state.rawValue),
            "ownerJid": .optional(instance.senderJid),
            "profileName": .optional(instance.profileName),
            "profilePicUrl": nil,
            "integration": .string(instance.integration),
            "number": nil,
            "businessId": nil,
            "token": .string(instance.token),
            "clientName": "evolution_simulator",
            "disconnectionReasonCode": nil,
            "disconnectionObject": nil,
            "disconnectionAt": nil,
            "createdAt": .string(WireClock.isoString(instance.createdAt)),
            "updatedAt": .string(WireClock.isoString(instance.updatedAt)),
            "_count": ["Message": .int(instance.sentCount), "Contact": 0, "Chat": 0],
        ]
    }

    static func webhook(_ config: WebhookConfig, instance: SimulatedInstance) -> JSONValue {
        [
            "id": .string(config.id),
            "url": .string(config.url),
            "headers": config.headers.isEmpty
                ? .null : .object(config.headers.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }),
            "enabled": .bool(config.enabled),
            "events": .array(config.events.map(JSONValue.string)),
            "webhookByEvents": .bool(config.byEvents),
            "webhookBase64": .bool(config.base64),
            "createdAt": .string(WireClock.isoString(config.createdAt)),
            "updatedAt": .string(WireClock.isoString(config.updatedAt)),
            "instanceId": .string(instance.id),
        ]
    }

    /// The message object both the sendText response and the `send.message` echo carry.
    static func sentMessage(_ sent: SentMessage, instanceId: String) -> JSONValue {
        [
            "key": ["remoteJid": .string(PhoneNumber.jid(sent.to)), "fromMe": true, "id": .string(sent.externalId)],
            "pushName": "Você",
            "status": "PENDING",
            "message": ["conversation": .string(sent.text)],
            "contextInfo": [
                "mentionedJid": [], "groupMentions": [],
                "ephemeralSettingTimestamp": ["low": 0, "high": 0, "unsigned": false],
                "disappearingMode": ["initiator": 0],
            ],
            "messageType": "conversation",
            "messageTimestamp": .int(WireClock.seconds(sent.at)),
            "instanceId": .string(instanceId),
            "source": "web",
        ]
    }
}
