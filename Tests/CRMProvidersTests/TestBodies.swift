import Foundation

/// Small helpers to build webhook bodies inline, so that each focused test shows the exact
/// JSON it feeds the parser.
enum TestBodies {
    /// An Evolution envelope around `data` (a JSON fragment); `event: nil` leaves the field out.
    static func evolution(
        event: String?,
        data: String,
        instance: String = #""unit-acme""#,
        sender: String? = "5511999990000@s.whatsapp.net"
    ) -> Data {
        var fields: [String] = []
        if let event { fields.append(#""event":"\#(event)""#) }
        fields.append(#""instance":\#(instance)"#)
        fields.append(#""data":\#(data)"#)
        if let sender { fields.append(#""sender":"\#(sender)""#) }
        fields.append(#""date_time":"2025-10-22T10:00:00.000Z""#)
        return Data("{\(fields.joined(separator: ","))}".utf8)
    }

    /// An Evolution `messages.upsert` whose `key` is the given JSON fragment.
    static func evolutionUpsert(key: String, message: String = #"{"conversation":"Oi"}"#) -> Data {
        evolution(event: "messages.upsert", data: #"{"key":\#(key),"pushName":"Maria","message":\#(message),"messageTimestamp":1761130000}"#)
    }

    /// A Meta body with one entry and one `messages` change whose `value` is the fragment.
    static func meta(value: String) -> Data {
        Data(#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":\#(value)}]}]}"#.utf8)
    }

    /// `metadata` for Meta values.
    static let metaMetadata = #""metadata":{"display_phone_number":"5511940000000","phone_number_id":"112233445566778"}"#

    static func data(_ json: String) -> Data {
        Data(json.utf8)
    }
}
