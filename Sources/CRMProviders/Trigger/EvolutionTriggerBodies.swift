import Foundation

/// Evolution API 2.3 webhook bodies (`sendDataWebhook`): `{event, instance, data, destination,
/// date_time, sender, server_url, apikey}`, one event per request.
enum EvolutionTriggerBodies {
    /// Evolution's default `SERVER_URL`.
    static let serverURL = "http://localhost:8080"
    /// A 1×1 PNG: the listener reads `qrcode.code`, never the image Evolution draws from it.
    static let placeholderPNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAsTj2FAAAAABJRU5ErkJggg=="

    /// `sender` is the owner's JID, absent until the instance has opened once; `apikey` is
    /// `null` as when the server does not expose instance tokens.
    static func envelope(_ event: String, _ data: TriggerJSON, _ sample: TriggerSample) -> TriggerJSON {
        var fields: [TriggerJSON.Field] = [
            .init(key: "event", value: .string(event)),
            .init(key: "instance", value: .string(sample.instance)),
            .init(key: "data", value: data),
            .init(key: "destination", value: .string(sample.webhookURL ?? "http://localhost:8080/webhooks/whatsapp/evolution")),
            .init(key: "date_time", value: .string(dateTime(sample.now))),
        ]
        if let owner = sample.accountPhone {
            fields.append(.init(key: "sender", value: .string(owner + "@s.whatsapp.net")))
        }
        fields.append(.init(key: "server_url", value: .string(serverURL)))
        fields.append(.init(key: "apikey", value: .null))
        return .object(fields)
    }

    /// A contact's text (`fromMe: false`, status `DELIVERY_ACK`, from an Android phone) or the
    /// echo of our own send (`fromMe: true`, `PENDING`, Baileys' web id), 2.1.2+ text form.
    static func upsert(_ sample: TriggerSample, fromMe: Bool) -> TriggerJSON {
        [
            "key": [
                "remoteJid": .string(sample.contactPhone + "@s.whatsapp.net"),
                "fromMe": .bool(fromMe),
                "id": .string(sample.externalId),
            ],
            "pushName": .string(fromMe ? "Você" : TriggerSample.contactName),
            "status": fromMe ? "PENDING" : "DELIVERY_ACK",
            "message": ["conversation": .string(fromMe ? TriggerSample.outboundText : TriggerSample.inboundText)],
            "messageType": "conversation",
            "messageTimestamp": .int(sample.unixSeconds),
            "instanceId": .string(TriggerIDs.uuid(derivedFrom: sample.instance)),
            "source": fromMe ? "web" : "android",
        ]
    }

    /// A 2.3 `messages.update` receipt for one of our messages.
    static func receipt(_ sample: TriggerSample) -> TriggerJSON {
        [
            "keyId": .string(sample.externalId),
            "remoteJid": .string(sample.contactPhone + "@s.whatsapp.net"),
            "fromMe": true,
            "status": "DELIVERY_ACK",
            "instanceId": .string(TriggerIDs.uuid(derivedFrom: sample.instance)),
            "messageId": .string(TriggerIDs.cuid()),
        ]
    }

    /// `state: open`; 2.2.1+ add the owner's `wuid` and profile when the number is known.
    static func connectionOpen(_ sample: TriggerSample) -> TriggerJSON {
        var fields: [TriggerJSON.Field] = [.init(key: "instance", value: .string(sample.instance))]
        if let owner = sample.accountPhone {
            fields.append(.init(key: "wuid", value: .string(owner + "@s.whatsapp.net")))
            fields.append(.init(key: "profileName", value: "crm"))
            fields.append(.init(key: "profilePictureUrl", value: .null))
        }
        fields.append(.init(key: "state", value: "open"))
        fields.append(.init(key: "statusReason", value: 200))
        return .object(fields)
    }

    /// A fresh code in Baileys' `2@ref,noiseKey,identityKey,advSecret` form.
    static func qrCode(_ sample: TriggerSample) -> TriggerJSON {
        let code = "2@" + TriggerIDs.base64(bytes: 66) + "," + TriggerIDs.base64(bytes: 32) + ","
            + TriggerIDs.base64(bytes: 32) + "," + TriggerIDs.base64(bytes: 32)
        return [
            "qrcode": [
                "instance": .string(sample.instance),
                "pairingCode": nil,
                "code": .string(code),
                "base64": .string(placeholderPNG),
            ],
        ]
    }

    /// `2025-10-21T12:00:01.118Z`.
    static func dateTime(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
