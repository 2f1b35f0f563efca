import Foundation

/// What a send carries: free text, or an approved template (Meta only).
package enum OutboundContent: Sendable, Equatable {
    case text(String)
    case template(MessageTemplate)

    package var template: MessageTemplate? {
        if case .template(let template) = self { template } else { nil }
    }
}

/// What the send rules need to know of the unit's contact with the recipient's number.
package struct SendRecipient: Sendable, Equatable {
    package var optedOut: Bool
    /// The contact's last message to the unit (its provider timestamp), if any.
    package var lastInboundAt: Date?

    package init(optedOut: Bool, lastInboundAt: Date?) {
        self.optedOut = optedOut
        self.lastInboundAt = lastInboundAt
    }
}

/// Why a new message may not be sent. Callers word it for their users (`crm send` names its
/// options; the HTTP API will name its fields).
package enum SendRefusal: Sendable, Equatable {
    /// The contact asked not to receive messages; overridable (`--force`).
    case optedOut
    /// Free text to a Meta number outside the 24-hour window: only a template may go.
    case outsideServiceWindow(lastInboundAt: Date?)
    /// Templates are a Meta Cloud API feature; this unit's provider has none.
    case templateUnsupported(ProviderKind)
}

/// The rules a new outbound message must pass before it is stored, in one pure function, so that
/// `crm send`, the HTTP API and the workers apply the same ones.
package enum SendPolicy {
    /// `nil` when the message may be stored and sent. `recipient` is `nil` when crm has never
    /// seen the number (not opted out; no inbound message, so Meta's window is closed). `force`
    /// overrides an opt-out only.
    package static func refusal(
        provider: ProviderKind, content: OutboundContent, recipient: SendRecipient?, force: Bool, now: Date
    ) -> SendRefusal? {
        if content.template != nil, provider != .meta { return .templateUnsupported(provider) }
        if recipient?.optedOut == true, !force { return .optedOut }
        if provider == .meta, content.template == nil,
           case .closed(let last) = CustomerServiceWindow.state(lastInboundAt: recipient?.lastInboundAt, now: now) {
            return .outsideServiceWindow(lastInboundAt: last)
        }
        return nil
    }
}
