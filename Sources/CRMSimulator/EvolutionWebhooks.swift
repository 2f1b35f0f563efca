/// The `data` of each webhook event a real instance sends (shapes of `evolution/webhooks/*.json`, v2.3).
enum EvolutionWebhooks {
    static func qrcodeUpdated(_ instance: SimulatedInstance) -> JSONValue {
        ["qrcode": ["instance": .string(instance.name), "pairingCode": nil, "code": .string(instance.qrCode),
                    "base64": .string(EvolutionBodies.pngDataURL(instance.qrCode))]]
    }

    static func connectionUpdate(_ instance: SimulatedInstance, statusReason: Int) -> JSONValue {
        guard instance.state == .open, let owner = instance.senderJid else {
            return ["instance": .string(instance.name), "state": .string(instance.state.rawValue),
                    "statusReason": .int(statusReason)]
        }
        return ["instance": .string(instance.name), "wuid": .string(owner),
                "profileName": .optional(instance.profileName), "profilePictureUrl": nil,
                "state": "open", "statusReason": .int(statusReason)]
    }

    /// A receipt for one of our sends (2.3.x order: `keyId` first, `messageId` is Evolution's DB id).
    static func messagesUpdate(_ sent: SentMessage, status: String, instanceId: String, messageId: String) -> JSONValue {
        ["keyId": .string(sent.externalId), "remoteJid": .string(PhoneNumber.jid(sent.to)), "fromMe": true,
         "status": .string(status), "instanceId": .string(instanceId), "messageId": .string(messageId)]
    }

    /// A contact's text message, as an Android phone sends it.
    static func inboundText(id: String, from: String, pushName: String, text: String, timestamp: Int, instanceId: String) -> JSONValue {
        [
            "key": ["remoteJid": .string(PhoneNumber.jid(from)), "fromMe": false, "id": .string(id), "addressingMode": "pn"],
            "pushName": .string(pushName),
            "status": "DELIVERY_ACK",
            "message": ["conversation": .string(text)],
            "messageType": "conversation",
            "messageTimestamp": .int(timestamp),
            "instanceId": .string(instanceId),
            "source": "android",
        ]
    }
}
