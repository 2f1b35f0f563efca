/// A WhatsApp Cloud API webhook body: `{object, entry: [{id, changes: [{field, value}]}]}`.
/// One body can carry several entries and changes, and several phone numbers.
struct MetaNotification: Decodable {
    /// `whatsapp_business_account` for WhatsApp.
    static let whatsAppObject = "whatsapp_business_account"

    /// Empty for other products' bodies (`page`, `instagram`…), whose entries have other
    /// shapes and change nothing here.
    let entry: [Entry]

    private enum CodingKeys: String, CodingKey {
        case object, entry
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let object = try container.decodeIfPresent(String.self, forKey: .object)
        if object == nil || object == Self.whatsAppObject {
            entry = try container.decode([Entry].self, forKey: .entry)
        } else {
            entry = []
        }
    }

    struct Entry: Decodable {
        let changes: [Change]
    }

    /// One change. Only the `messages` field (and the coexistence echoes) concern the CRM;
    /// other fields (template reviews, account updates…) have other `value` shapes and are
    /// not decoded at all.
    struct Change: Decodable {
        let field: String?
        let value: MetaChangeValue?

        private enum CodingKeys: String, CodingKey {
            case field, value
        }

        static let appliedFields: Set<String> = ["messages", "smb_message_echoes"]

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            field = try container.decodeIfPresent(String.self, forKey: .field)
            if field.map(Self.appliedFields.contains) ?? true {
                value = try container.decode(MetaChangeValue.self, forKey: .value)
            } else {
                value = nil
            }
        }
    }
}
