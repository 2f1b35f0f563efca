/// The `value` of a `messages` change: the business number it concerns (`metadata`), then
/// `messages[]` (+ `contacts[]`), `statuses[]`, `errors[]`, or, for numbers that also use the
/// WhatsApp Business app, `message_echoes[]` (messages the business sent from the app).
struct MetaChangeValue: Decodable {
    let metadata: Metadata?
    let contacts: [Contact]?
    let messages: [MetaMessage]?
    let statuses: [MetaStatus]?
    let messageEchoes: [MetaMessage]?

    struct Metadata: Decodable {
        let phoneNumberId: String?

        private enum CodingKeys: String, CodingKey {
            case phoneNumberId = "phone_number_id"
        }
    }

    struct Contact: Decodable {
        let waId: String?
        let profile: Profile?

        struct Profile: Decodable {
            let name: String?
        }

        private enum CodingKeys: String, CodingKey {
            case waId = "wa_id"
            case profile
        }
    }

    private enum CodingKeys: String, CodingKey {
        case metadata, contacts, messages, statuses
        case messageEchoes = "message_echoes"
    }

    /// Whether the value carries anything the CRM applies (an `errors[]`-only value does not).
    var hasEvents: Bool {
        !(messages ?? []).isEmpty || !(statuses ?? []).isEmpty || !(messageEchoes ?? []).isEmpty
    }

    /// The profile name of the contact who wrote from `waId`.
    func profileName(of waId: String) -> String? {
        let contacts = contacts ?? []
        if let match = contacts.first(where: { $0.waId == waId }) { return match.profile?.name }
        return contacts.count == 1 ? contacts.first?.profile?.name : nil
    }
}
