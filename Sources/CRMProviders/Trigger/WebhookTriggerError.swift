/// Why a trigger body could not be built. The descriptions never echo the phone number.
package enum WebhookTriggerError: Error, Sendable, Hashable, CustomStringConvertible {
    case missingMetaAppSecret(WebhookTriggerEvent)
    case invalidContactPhone
    case emptyInstance
    case emptyExternalId

    package var description: String {
        switch self {
        case .missingMetaAppSecret(let event):
            "\(event.rawValue) must be signed like Meta signs its webhooks: the unit's Meta credentials (app secret) are needed; set them for the unit first"
        case .invalidContactPhone:
            "the contact phone must be digits only, country code first, without + (e.g. 5511999990001)"
        case .emptyInstance:
            "the unit has no provider instance (Evolution instance name, Z-API instance id or Meta phone number id)"
        case .emptyExternalId:
            "the message id must not be empty"
        }
    }
}
