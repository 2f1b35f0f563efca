/// Z-API callbacks (unsigned; `momment` in epoch milliseconds).
enum ZAPITriggerBodies {
    /// A contact's text message, with the fields Z-API's ReceivedCallback documents.
    static func received(_ sample: TriggerSample) -> TriggerJSON {
        [
            "isStatusReply": false,
            "chatLid": nil,
            "connectedPhone": .optional(sample.accountPhone),
            "waitingMessage": false,
            "isEdit": false,
            "isGroup": false,
            "isNewsletter": false,
            "instanceId": .string(sample.instance),
            "messageId": .string(sample.externalId),
            "phone": .string(sample.contactPhone),
            "fromMe": false,
            "momment": .int(sample.unixMilliseconds),
            "status": "RECEIVED",
            "chatName": .string(TriggerSample.contactName),
            "senderPhoto": nil,
            "senderName": .string(TriggerSample.contactName),
            "photo": nil,
            "broadcast": false,
            "participantPhone": nil,
            "participantLid": nil,
            "forwarded": false,
            "type": "ReceivedCallback",
            "fromApi": false,
            "text": ["message": .string(TriggerSample.inboundText)],
        ]
    }

    /// `RECEIVED` (delivered to the phone) for one of our messages.
    static func status(_ sample: TriggerSample) -> TriggerJSON {
        [
            "instanceId": .string(sample.instance),
            "status": "RECEIVED",
            "ids": [.string(sample.externalId)],
            "momment": .int(sample.unixMilliseconds),
            "phoneDevice": 0,
            "phone": .string(sample.contactPhone),
            "type": "MessageStatusCallback",
            "isGroup": false,
        ]
    }

    static func connected(_ sample: TriggerSample) -> TriggerJSON {
        var fields: [TriggerJSON.Field] = [
            .init(key: "type", value: "ConnectedCallback"),
            .init(key: "connected", value: true),
            .init(key: "momment", value: .int(sample.unixMilliseconds)),
            .init(key: "instanceId", value: .string(sample.instance)),
        ]
        if let phone = sample.accountPhone { fields.append(.init(key: "phone", value: .string(phone))) }
        return .object(fields)
    }

    static func disconnected(_ sample: TriggerSample) -> TriggerJSON {
        [
            "momment": .int(sample.unixMilliseconds),
            "error": "Device has been disconnected",
            "disconnected": true,
            "type": "DisconnectedCallback",
            "instanceId": .string(sample.instance),
        ]
    }
}
