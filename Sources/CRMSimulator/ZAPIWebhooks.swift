import Foundation

/// The callbacks a Z-API instance posts (shapes of `zapi/webhooks/*.json`); `momment` is epoch ms.
enum ZAPIWebhooks {
    static func now() -> Int { Int(Date().timeIntervalSince1970 * 1_000) }

    static func connected(instanceId: String, phone: String?) -> JSONValue {
        ["type": "ConnectedCallback", "connected": true, "momment": .int(now()),
         "instanceId": .string(instanceId), "phone": .optional(phone)]
    }

    static func disconnected(instanceId: String) -> JSONValue {
        ["momment": .int(now()), "error": "Device has been disconnected", "disconnected": true,
         "type": "DisconnectedCallback", "instanceId": .string(instanceId)]
    }

    /// A text message in a one-to-one chat: a contact's (`fromMe` false), or ours echoed back
    /// with "notify sent by me" (`fromMe` true; `fromApi` when it was sent through the API).
    /// `phone` is always the contact's number.
    static func receivedText(
        instanceId: String, messageId: String, phone: String, connectedPhone: String?, fromMe: Bool, fromApi: Bool,
        contactName: String, text: String, momment: Int
    ) -> JSONValue {
        [
            "isStatusReply": false, "chatLid": nil, "connectedPhone": .optional(connectedPhone),
            "waitingMessage": false, "isEdit": false, "isGroup": false, "isNewsletter": false,
            "instanceId": .string(instanceId), "messageId": .string(messageId), "phone": .string(phone),
            "fromMe": .bool(fromMe), "momment": .int(momment), "status": fromMe ? "SENT" : "RECEIVED",
            "chatName": .string(contactName), "senderPhoto": nil, "senderName": .string(contactName), "photo": nil,
            "broadcast": false, "participantPhone": nil, "participantLid": nil, "forwarded": false,
            "type": "ReceivedCallback", "fromApi": .bool(fromApi), "text": ["message": .string(text)],
        ]
    }

    /// Z-API handed our send to WhatsApp (`on-message-send`).
    static func delivery(instanceId: String, phone: String, zaapId: String, messageId: String) -> JSONValue {
        ["phone": .string(phone), "zaapId": .string(zaapId), "messageId": .string(messageId),
         "type": "DeliveryCallback", "instanceId": .string(instanceId), "momment": .int(now())]
    }

    /// SENT, RECEIVED (delivered), READ… for the messages in `ids`.
    static func messageStatus(instanceId: String, status: String, ids: [String], phone: String) -> JSONValue {
        ["instanceId": .string(instanceId), "status": .string(status), "ids": .array(ids.map(JSONValue.string)),
         "momment": .int(now()), "phoneDevice": 0, "phone": .string(phone), "type": "MessageStatusCallback",
         "isGroup": false]
    }
}
