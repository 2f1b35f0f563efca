/// What a request does, as the roles policy sees it. The HTTP API names one per endpoint; the
/// CLI's future remote mode will name the same ones.
package enum AccessAction: String, Sendable, Hashable, CaseIterable {
    /// A unit's own record (name, slug, country code, time zone): every role sees its own unit.
    case readUnit = "read_unit"
    /// A unit's messages, conversations and contacts.
    case readMessages = "read_messages"
    /// Sending a message from a unit's number.
    case sendMessages = "send_messages"
    /// Pairing, checking and disconnecting a unit's WhatsApp number.
    case manageConnections = "manage_connections"
    /// Creating, dispatching, pausing and cancelling a unit's campaigns.
    case manageCampaigns = "manage_campaigns"
    /// Creating, changing and removing the users of a unit (never super admins: see `AccessPolicy.user`).
    case manageUsers = "manage_users"
    /// Creating, renaming and removing units themselves.
    case manageUnits = "manage_units"
}
