import Foundation

/// Who words `SendService.prepare`'s refusals: `crm send` (its options named) or the caller.
package enum SendWording: Sendable, Equatable {
    case commandLine
    /// Throw `SendRejection`: the caller words it (the HTTP API names its fields).
    case typed
}

/// Why `SendService.prepare` stored nothing, for callers that word it themselves.
package enum SendRejection: Error, Sendable, Equatable {
    /// The unit's WhatsApp number is not connected.
    case notConnected
    case refused(SendRefusal)
}

/// How `crm send` words a `SendRefusal`: what was refused, why, and the option that does it
/// instead. The number is masked; nothing was stored or sent.
extension SendService {
    func refusalError(_ refusal: SendRefusal, unit: BusinessUnit, phone: String) -> CRMError {
        let contact = PhoneDisplay.masked(phone)
        switch refusal {
        case .optedOut:
            return CRMError.invalidInput(
                "\(contact) has opted out of messages from unit \(unit.slug); nothing was sent. "
                    + "Add --force to send anyway (only if they asked for this message).")
        case .outsideServiceWindow(let last):
            let since = last.map { "the contact's last message was \(Self.elapsed(from: $0, to: now())) ago" }
                ?? "the contact has never written to this number"
            return CRMError.invalidInput(
                "Meta accepts free text only within 24 hours of the contact's last message, and \(since); nothing was sent. "
                    + "Send an approved template instead: --template NAME --language CODE [--param VALUE]...")
        case .templateUnsupported(let provider):
            return CRMError.invalidInput(
                "Unit \(unit.slug) sends through \(Self.name(of: provider)), which has no message templates "
                    + "(--template is for Meta Cloud API units); send free text with --text; nothing was sent.")
        }
    }

    /// "25 hours", "3 days".
    static func elapsed(from start: Date, to end: Date) -> String {
        let hours = Int(max(0, end.timeIntervalSince(start)) / 3600)
        return hours < 48 ? "\(hours) hours" : "\(hours / 24) days"
    }

    static func name(of provider: ProviderKind) -> String {
        switch provider {
        case .evolution: "Evolution API"
        case .meta: "Meta Cloud API"
        case .zapi: "Z-API"
        }
    }
}
