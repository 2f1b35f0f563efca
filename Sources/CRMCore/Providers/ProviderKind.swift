/// The WhatsApp gateways the CRM talks to. The raw value is the `{provider}` segment of the
/// webhook route (`/webhooks/whatsapp/{provider}/{secret}`) and the value stored in the database.
package enum ProviderKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Evolution API (v1 and v2), a self-hosted Baileys gateway; the primary provider.
    case evolution
    /// Meta's WhatsApp Cloud API (Graph API).
    case meta
    /// Z-API, a hosted gateway that pairs by QR like Evolution.
    case zapi
}
