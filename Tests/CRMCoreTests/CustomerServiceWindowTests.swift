import CRMCore
import Foundation
import Testing

/// Meta's 24-hour window and the send rules built on it: pure functions, edges first.
@Suite("Customer service window and send rules")
struct CustomerServiceWindowTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    let hour: TimeInterval = 3600

    @Test func openJustBeforeTwentyFourHoursClosedAtExactlyTwentyFour() {
        let open = CustomerServiceWindow.state(lastInboundAt: now - 24 * hour + 1, now: now)
        #expect(open == .open(closesAt: now + 1))
        #expect(open.isOpen)
        #expect(CustomerServiceWindow.state(lastInboundAt: now - 24 * hour + 0.001, now: now).isOpen)
        let edge = CustomerServiceWindow.state(lastInboundAt: now - 24 * hour, now: now)
        #expect(edge == .closed(lastInboundAt: now - 24 * hour))
        #expect(!edge.isOpen)
        #expect(CustomerServiceWindow.state(lastInboundAt: now - 25 * hour, now: now) == .closed(lastInboundAt: now - 25 * hour))
        #expect(CustomerServiceWindow.state(lastInboundAt: now - hour, now: now) == .open(closesAt: now + 23 * hour))
    }

    @Test func closedWhenTheContactNeverWrote() {
        #expect(CustomerServiceWindow.state(lastInboundAt: nil, now: now) == .closed(lastInboundAt: nil))
    }

    @Test func aLastMessageAheadOfOurClockCountsAsRecent() {
        #expect(CustomerServiceWindow.state(lastInboundAt: now + 60, now: now).isOpen)
    }

    // MARK: SendPolicy

    let template = OutboundContent.template(MessageTemplate(name: "pedido_enviado", language: "pt_BR", parameters: ["Maria"]))

    func refusal(
        _ provider: ProviderKind, _ content: OutboundContent = .text("Oi"), optedOut: Bool = false, lastInbound: Date?,
        force: Bool = false, known: Bool = true
    ) -> SendRefusal? {
        let recipient = known ? SendRecipient(optedOut: optedOut, lastInboundAt: lastInbound) : nil
        return SendPolicy.refusal(provider: provider, content: content, recipient: recipient, force: force, now: now)
    }

    @Test func metaFreeTextNeedsTheWindowTemplatesDoNot() {
        #expect(refusal(.meta, lastInbound: now - hour) == nil)
        #expect(refusal(.meta, lastInbound: now - 25 * hour) == .outsideServiceWindow(lastInboundAt: now - 25 * hour))
        #expect(refusal(.meta, lastInbound: nil) == .outsideServiceWindow(lastInboundAt: nil))
        #expect(refusal(.meta, lastInbound: nil, known: false) == .outsideServiceWindow(lastInboundAt: nil), "a number crm never saw")
        #expect(refusal(.meta, template, lastInbound: now - 25 * hour) == nil)
        #expect(refusal(.meta, template, lastInbound: nil, known: false) == nil)
    }

    @Test func otherProvidersHaveNoWindowAndNoTemplates() {
        for provider in [ProviderKind.evolution, .zapi] {
            #expect(refusal(provider, lastInbound: nil, known: false) == nil)
            #expect(refusal(provider, lastInbound: now - 30 * 24 * hour) == nil)
            #expect(refusal(provider, template, lastInbound: now - hour) == .templateUnsupported(provider))
        }
    }

    @Test func optedOutIsRefusedUnlessForcedAndForceDoesNotOpenTheWindow() {
        #expect(refusal(.evolution, optedOut: true, lastInbound: nil) == .optedOut)
        #expect(refusal(.evolution, optedOut: true, lastInbound: nil, force: true) == nil)
        #expect(refusal(.meta, template, optedOut: true, lastInbound: nil) == .optedOut)
        #expect(refusal(.meta, optedOut: true, lastInbound: now - 25 * hour, force: true) == .outsideServiceWindow(lastInboundAt: now - 25 * hour))
        #expect(refusal(.meta, optedOut: true, lastInbound: now - hour, force: true) == nil)
    }

    // MARK: MessageTemplate

    @Test func templateSummaryShowsNameLanguageAndParameters() throws {
        let template = try MessageTemplate(name: "pedido_enviado", language: "pt_BR", parameters: ["Maria", "4521"]).validated()
        #expect(template.summary == "template pedido_enviado (pt_BR): Maria | 4521")
        #expect(MessageTemplate(name: "hello_world", language: "en_US").summary == "template hello_world (en_US)")
    }

    @Test(arguments: [
        ("Pedido", "pt_BR", ["a"]), ("pedido-enviado", "pt_BR", []), ("", "en", []), ("ok", "pt-BR", []), ("ok", "portuguese", []),
        ("ok", "pt_br", []), ("ok", "en", [""]), ("ok", "en", ["a\nb"]), ("ok", "en", ["tab\there"]),
        ("ok", "en", [String(repeating: "x", count: 1_025)]),
    ])
    func invalidTemplatesAreRefused(name: String, language: String, parameters: [String]) {
        #expect {
            try MessageTemplate(name: name, language: language, parameters: parameters).validated()
        } throws: { error in
            (error as? CRMError)?.kind == .invalidInput
        }
    }

    @Test(arguments: ["en", "pt_BR", "es_419", "zh_HK", "fil"])
    func languageCodesMetaUsesAreAccepted(code: String) throws {
        _ = try MessageTemplate(name: "hello_world", language: code).validated()
    }
}
