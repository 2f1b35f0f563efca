import CRMCore
import CRMTestSupport
import Foundation
import SQLKit
import Testing

@testable import CRMStore

/// What `crm send` reads and writes besides the queue itself: the recipient's opt-out and last
/// inbound time (Meta's window), and template messages (stored, read back, compared by key), on
/// every database kind.
@Suite("Send store contract")
struct SendStoreContractTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    static let maria = "5511998765432"

    func inbound(unit: UUID, id: String, phone: String = maria, fromMe: Bool = false, sentAt: Date) -> IncomingMessage {
        IncomingMessage(
            unitId: unit, provider: .meta, externalId: id, phone: phone, lid: nil, senderName: fromMe ? nil : "Maria",
            fromMe: fromMe, kind: .text, body: "olá \(id)", sentAt: sentAt, receivedAt: t0
        )
    }

    func request(unit: UUID, key: String, template: MessageTemplate?, body: String = "Oi") -> OutboundRequest {
        OutboundRequest(
            unitId: unit, provider: .meta, phone: Self.maria, body: template?.summary ?? body, template: template,
            clientMessageId: key, queuedAt: t0)
    }

    @Test("the last inbound time is the newest inbound message's provider time; our own messages do not count",
          arguments: TestDatabaseKind.stores)
    func lastInbound(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let loja = try await UnitService(store: store).create(name: "Loja")
            let outra = try await UnitService(store: store).create(name: "Outra")
            #expect(try await store.sendRecipient(unitId: loja.id, phone: Self.maria) == nil, "a number crm never saw")

            _ = try await store.storeIncomingMessage(inbound(unit: loja.id, id: "A", sentAt: t0 - 25 * 3600))
            #expect(try await store.sendRecipient(unitId: loja.id, phone: Self.maria)
                    == SendRecipient(optedOut: false, lastInboundAt: t0 - 25 * 3600))
            // A newer one moves it; an older one arriving late, and our own (fromMe) messages, do not.
            _ = try await store.storeIncomingMessage(inbound(unit: loja.id, id: "B", sentAt: t0 - 3600))
            _ = try await store.storeIncomingMessage(inbound(unit: loja.id, id: "C", sentAt: t0 - 30 * 3600))
            _ = try await store.storeIncomingMessage(inbound(unit: loja.id, id: "D", fromMe: true, sentAt: t0))
            let recipient = try #require(try await store.sendRecipient(unitId: loja.id, phone: Self.maria))
            #expect(recipient.lastInboundAt.map { abs($0.timeIntervalSince(t0 - 3600)) < 0.001 } == true, "\(recipient)")
            #expect(try await store.sendRecipient(unitId: outra.id, phone: Self.maria) == nil, "another unit's contact is not this one")

            // A contact crm created for a send (never wrote) has no last inbound time.
            _ = try await store.enqueueOutbound(OutboundRequest(
                unitId: loja.id, provider: .meta, phone: "5521987654321", body: "Oi", clientMessageId: "k1", queuedAt: t0))
            #expect(try await store.sendRecipient(unitId: loja.id, phone: "5521987654321") == SendRecipient(optedOut: false, lastInboundAt: nil))
        }
    }

    @Test("an opted-out contact reads as opted out", arguments: TestDatabaseKind.stores)
    func optedOut(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let loja = try await UnitService(store: store).create(name: "Loja")
            _ = try await store.storeIncomingMessage(inbound(unit: loja.id, id: "A", sentAt: t0))
            try await database.withUnsafeSQL { sql in
                try await sql.raw("UPDATE contacts SET opted_out = \(bind: true), opted_out_at = \(bind: t0)").run()
            }
            let recipient = try #require(try await store.sendRecipient(unitId: loja.id, phone: Self.maria))
            #expect(recipient.optedOut)
        }
    }

    @Test("a template message is stored as type template with its parameters; the same key with other parameters is a conflict",
          arguments: TestDatabaseKind.stores)
    func templates(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let loja = try await UnitService(store: store).create(name: "Loja")
            let template = MessageTemplate(name: "pedido_enviado", language: "pt_BR", parameters: ["Maria", "Nº 4521 \"já\""])
            guard case .created(let created) = try await store.enqueueOutbound(request(unit: loja.id, key: "t1", template: template)) else {
                Issue.record("expected a new message")
                return
            }
            #expect(created.kind == .template)
            #expect(created.template == template)
            #expect(created.body == "template pedido_enviado (pt_BR): Maria | Nº 4521 \"já\"")
            #expect(try await store.outboundMessage(id: created.id)?.template == template)
            #expect(try await store.outboundMessage(unitId: loja.id, clientMessageId: "t1")?.id == created.id)
            #expect(try await store.outboundMessage(unitId: loja.id, clientMessageId: "nope") == nil)
            #expect(try await store.message(id: created.id)?.message.template == template, "the read path sees it too")

            #expect(try await store.enqueueOutbound(request(unit: loja.id, key: "t1", template: template)) == .existing(created))
            var other = template
            other.parameters = ["Maria", "4522"]
            guard case .conflict = try await store.enqueueOutbound(request(unit: loja.id, key: "t1", template: other)) else {
                Issue.record("other parameters under the same key must conflict")
                return
            }
            var language = template
            language.language = "en_US"
            guard case .conflict = try await store.enqueueOutbound(request(unit: loja.id, key: "t1", template: language)) else {
                Issue.record("another language under the same key must conflict")
                return
            }
            guard case .conflict = try await store.enqueueOutbound(request(unit: loja.id, key: "t1", template: nil, body: template.summary)) else {
                Issue.record("free text with the template's summary under the same key must conflict")
                return
            }

            guard case .created(let text) = try await store.enqueueOutbound(request(unit: loja.id, key: "x1", template: nil)) else {
                Issue.record("expected a new message")
                return
            }
            #expect(text.kind == .text && text.template == nil)
        }
    }

    @Test("the schema refuses a template on a message that is not of type template", arguments: TestDatabaseKind.available)
    func templateNeedsItsType(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let loja = try await UnitService(store: store).create(name: "Loja")
            guard case .created(let text) = try await store.enqueueOutbound(request(unit: loja.id, key: "x1", template: nil)) else {
                Issue.record("expected a new message")
                return
            }
            let json = kind == .sqlite ? "'{\"name\":\"a\",\"language\":\"en\",\"parameters\":[]}'" : "'{\"name\":\"a\",\"language\":\"en\",\"parameters\":[]}'::jsonb"
            await #expect(throws: (any Error).self) {
                try await database.withUnsafeSQL { sql in
                    try await sql.raw("UPDATE messages SET template = \(unsafeRaw: json) WHERE id = \(bind: text.id)").run()
                }
            }
        }
    }
}
