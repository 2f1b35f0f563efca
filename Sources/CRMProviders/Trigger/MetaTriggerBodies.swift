/// WhatsApp Cloud API webhook bodies: one entry (the WhatsApp Business Account), one change
/// (`field: messages`) whose `value` names the number in `metadata.phone_number_id`.
enum MetaTriggerBodies {
    /// Meta's sample display number, used when the unit's own number is not known.
    static let placeholderDisplayNumber = "15550000000"

    static func notification(_ fields: [TriggerJSON.Field], _ sample: TriggerSample) -> TriggerJSON {
        let value: [TriggerJSON.Field] = [
            .init(key: "messaging_product", value: "whatsapp"),
            .init(key: "metadata", value: [
                "display_phone_number": .string(sample.accountPhone ?? placeholderDisplayNumber),
                "phone_number_id": .string(sample.instance),
            ]),
        ] + fields
        return [
            "object": "whatsapp_business_account",
            "entry": [[
                "id": .string(TriggerIDs.digits(derivedFrom: sample.instance, count: 15)),
                "changes": [["value": .object(value), "field": "messages"]],
            ]],
        ]
    }

    /// `contacts` (profile name, wa_id), then the text message; timestamps are strings.
    static func inboundText(_ sample: TriggerSample) -> [TriggerJSON.Field] {
        [
            .init(key: "contacts", value: [[
                "profile": ["name": .string(TriggerSample.contactName)],
                "wa_id": .string(sample.contactPhone),
            ]]),
            .init(key: "messages", value: [[
                "from": .string(sample.contactPhone),
                "id": .string(sample.externalId),
                "timestamp": .string(String(sample.unixSeconds)),
                "text": ["body": .string(TriggerSample.inboundText)],
                "type": "text",
            ]]),
        ]
    }

    /// A `delivered` status with its conversation and pricing blocks.
    static func delivered(_ sample: TriggerSample) -> [TriggerJSON.Field] {
        [
            .init(key: "statuses", value: [[
                "id": .string(sample.externalId),
                "status": "delivered",
                "timestamp": .string(String(sample.unixSeconds)),
                "recipient_id": .string(sample.contactPhone),
                "conversation": [
                    "id": .string(TriggerIDs.hex(32).lowercased()),
                    "origin": ["type": "service"],
                ],
                "pricing": ["billable": true, "pricing_model": "CBP", "category": "service"],
            ]]),
        ]
    }
}
