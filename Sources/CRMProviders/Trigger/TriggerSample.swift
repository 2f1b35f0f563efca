import Foundation

/// The values one trigger body is built from.
struct TriggerSample: Sendable {
    var instance: String
    var contactPhone: String
    var externalId: String
    var accountPhone: String?
    var webhookURL: String?
    var now: Date

    /// The sample contact's WhatsApp profile name.
    static let contactName = "Cliente Teste"
    /// A message with an accent and an emoji, as real ones have.
    static let inboundText = "Olá! Vocês entregam no sábado? 📦"
    static let outboundText = "Olá! Seu pedido foi confirmado e sai para entrega no sábado. 🚚"

    var unixSeconds: Int { Int(now.timeIntervalSince1970) }
    var unixMilliseconds: Int { Int((now.timeIntervalSince1970 * 1000).rounded(.down)) }
}
