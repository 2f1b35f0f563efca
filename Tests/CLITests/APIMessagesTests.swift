import CRMCore
import CRMSimulator
import CRMTestSupport
import Foundation
import NIOHTTP1
import Testing

/// The HTTP API's messages over loopback, on each database: sending with `crm send`'s idempotency
/// and rules, reading with filters and cursor pages, and the roles on each endpoint.
@Suite("HTTP API: messages")
struct APIMessagesTests {
    @Test("POST /messages: the same clientMessageId answers the same message; another body with it is 409; the worker sends it once",
          arguments: TestDatabaseKind.available)
    func sendIdempotently(kind: TestDatabaseKind) async throws {
        try await APIFixture.with(kind, connect: true) { f in
            let token = try await f.token("agent@loja.example")
            let body: [String: Any] = ["phone": "+55 11 99876-5432", "message": "Seu pedido saiu.", "clientMessageId": "pedido-4521"]
            let first = try await f.request(.POST, "/messages", json: body, token: token)
            #expect(first.status == 202, "\(first)")
            #expect(first.headers["idempotent-replayed"] == "false")
            let id = try #require(first.json["id"] as? String)
            #expect(first.headers["location"] == "/messages/\(id)")
            #expect(first.json["unitId"] as? String == f.units["loja"])
            #expect(first.json["clientMessageId"] as? String == "pedido-4521")
            #expect((first.json["contact"] as? [String: Any])?["phone"] as? String == APIFixture.contact)

            let again = try await f.request(.POST, "/messages", json: body, token: token)
            #expect(again.status == 202 && again.json["id"] as? String == id, "\(again)")
            #expect(again.headers["idempotent-replayed"] == "true")

            var changed = body
            changed["message"] = "Outro texto"
            let conflict = try await f.request(.POST, "/messages", json: changed, token: token)
            #expect(conflict.status == 409 && conflict.code == "idempotency_conflict", "\(conflict)")

            try await f.outbound.eventually("the worker sent it", f.listener) {
                let shown = try await f.request(.GET, "/messages/\(id)", token: token)
                return ["sent", "delivered", "read"].contains(shown.json["status"] as? String ?? "")
            }
            let sends = await f.outbound.pairing.simulator.sentMessages().filter { $0.text == "Seu pedido saiu." }
            #expect(sends.count == 1 && sends.first?.to == APIFixture.contact)
            #expect(try await f.outbound.count("SELECT count(*) AS n FROM messages WHERE client_message_id = 'pedido-4521'") == 1)

            // The same new key from five clients at once: one message, one provider call, four replays.
            let replies = try await withThrowingTaskGroup(of: APIFixture.Reply.self) { group in
                for _ in 0..<5 {
                    group.addTask {
                        let body = ["phone": APIFixture.contact, "message": "Ao mesmo tempo", "clientMessageId": "parallel-1"]
                        return try await f.request(.POST, "/messages", json: body, token: token)
                    }
                }
                return try await group.reduce(into: [APIFixture.Reply]()) { $0.append($1) }
            }
            #expect(replies.allSatisfy { $0.status == 202 }, "\(replies)")
            #expect(Set(replies.compactMap { $0.json["id"] as? String }).count == 1)
            #expect(replies.filter { $0.headers["idempotent-replayed"] == "false" }.count == 1)
            try await f.outbound.eventually("the parallel message sent", f.listener) {
                await f.outbound.pairing.simulator.sentMessages().contains { $0.text == "Ao mesmo tempo" }
            }
            #expect(await f.outbound.pairing.simulator.sentMessages().filter { $0.text == "Ao mesmo tempo" }.count == 1)

            // Without a key each post is a new message; bad input stores nothing.
            let plain = try await f.request(.POST, "/messages", json: ["phone": APIFixture.contact, "message": "Oi"], token: token)
            #expect(plain.status == 202 && plain.json["id"] as? String != id, "\(plain)")
            let badPhone = try await f.request(.POST, "/messages", json: ["phone": "12", "message": "Oi"], token: token)
            #expect(badPhone.status == 400 && badPhone.code == "invalid_phone", "\(badPhone)")
            let empty = try await f.request(.POST, "/messages", json: ["phone": APIFixture.contact, "message": "  "], token: token)
            #expect(empty.status == 400 && empty.code == "invalid_request", "\(empty)")
            #expect(try await f.outbound.count("SELECT count(*) AS n FROM messages") == 3)
        }
    }

    @Test("the roles on the messages endpoints: own unit, another unit (404), and a super admin's unitId",
          arguments: TestDatabaseKind.available)
    func roleMatrix(kind: TestDatabaseKind) async throws {
        try await APIFixture.with(kind, connect: true) { f in
            let loja = try #require(f.units["loja"]), outra = try #require(f.units["outra"])
            let outraMessage = try await seedMessage(f, unit: "outra")
            let lojaMessage = try await seedMessage(f, unit: "loja")
            var tokens: [String: String] = [:]
            for user in APIFixture.users { tokens[user.email] = try await f.token(user.email) }

            // (who, unitId in the request (nil: none), expected POST status, expected GET /messages status)
            let cases: [(String, String?, Int, Int)] = [
                ("root@example.com", loja, 202, 200),
                ("root@example.com", outra, 409, 200),  // allowed, but outra has no WhatsApp connection
                ("root@example.com", nil, 400, 400),  // a super admin names the unit
                ("admin@loja.example", loja, 202, 200),
                ("admin@loja.example", nil, 202, 200),  // its own unit
                ("admin@loja.example", outra, 404, 404),
                ("agent@loja.example", loja, 202, 200),
                ("agent@loja.example", nil, 202, 200),
                ("agent@loja.example", outra, 404, 404),
                ("agent@outra.example", loja, 404, 404),
                ("agent@outra.example", nil, 409, 200),  // its own unit, not connected
                ("agent@loja.example", UUID().uuidString.lowercased(), 404, 404),
                ("agent@loja.example", "not-a-uuid", 404, 404),
            ]
            for (index, (who, unit, post, list)) in cases.enumerated() {
                var body: [String: Any] = ["phone": APIFixture.contact, "message": "Matriz \(index)"]
                if let unit { body["unitId"] = unit }
                let sent = try await f.request(.POST, "/messages", json: body, token: tokens[who])
                #expect(sent.status == post, "POST by \(who) in \(unit ?? "no unit"): \(sent)")
                if sent.status == 404 { #expect(sent.code == "not_found" && !sent.text.contains(outra)) }
                let query = unit.map { "?unitId=\($0)" } ?? ""
                let listed = try await f.request(.GET, "/messages\(query)", token: tokens[who])
                #expect(listed.status == list, "GET by \(who) in \(unit ?? "no unit"): \(listed)")
                if list == 200 {
                    let unit = unit ?? (who.contains("outra") ? outra : loja)
                    let units = Set(((listed.json["messages"] as? [[String: Any]]) ?? []).compactMap { $0["unitId"] as? String })
                    #expect(units.isSubset(of: [unit]), "only the unit's messages: \(units)")
                }
            }
            // GET /messages/:id: another unit's message is not found.
            let shows: [(String, String, Int)] = [
                ("root@example.com", outraMessage, 200), ("root@example.com", lojaMessage, 200),
                ("admin@loja.example", lojaMessage, 200), ("admin@loja.example", outraMessage, 404),
                ("agent@loja.example", lojaMessage, 200), ("agent@loja.example", outraMessage, 404),
                ("agent@outra.example", outraMessage, 200), ("agent@outra.example", lojaMessage, 404),
                ("agent@loja.example", UUID().uuidString, 404), ("agent@loja.example", "nope", 404),
            ]
            for (who, id, status) in shows {
                let shown = try await f.request(.GET, "/messages/\(id)", token: tokens[who])
                #expect(shown.status == status, "GET /messages/\(id) by \(who): \(shown)")
            }
            let unconnected = try await f.request(
                .POST, "/messages", json: ["unitId": outra, "phone": APIFixture.contact, "message": "x"], token: tokens["root@example.com"])
            #expect(unconnected.code == "unit_not_connected")
        }
    }

    @Test("GET /messages: newest first, filters, and cursor pages without gaps or repeats", arguments: TestDatabaseKind.available)
    func listAndPage(kind: TestDatabaseKind) async throws {
        try await APIFixture.with(kind) { f in
            let now = Date()
            let loja = try #require(f.units["loja"].flatMap(UUID.init(uuidString:)))
            let ids = try await f.base.seed { seed -> [String] in
                let maria = try await seed.contact(unit: loja, phone: APIFixture.contact, name: "Maria", at: now - 3600)
                let joao = try await seed.contact(unit: loja, phone: "5521987654321", name: "João", at: now - 3600)
                var ids: [UUID] = []
                for minute in 0..<5 {
                    let contact = minute % 2 == 0 ? maria : joao
                    let outbound = minute == 3
                    ids.append(try await seed.message(
                        contact, direction: outbound ? .outbound : .inbound, state: outbound ? .failed : nil, body: "m\(minute)",
                        at: now - Double(50 - minute) * 60))
                }
                return ids.reversed().map { $0.uuidString.lowercased() }  // newest first
            }
            let token = try await f.token("agent@loja.example")
            var seen: [String] = []
            var cursor: String?
            repeat {
                let path = "/messages?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await f.request(.GET, path, token: token)
                #expect(page.status == 200, "\(page)")
                let messages = page.json["messages"] as? [[String: Any]] ?? []
                #expect(messages.count <= 2)
                seen += messages.compactMap { $0["id"] as? String }
                cursor = page.json["nextCursor"] as? String
            } while cursor != nil && seen.count < 10
            #expect(seen == ids)

            func count(_ query: String) async throws -> Int {
                let reply = try await f.request(.GET, "/messages?\(query)", token: token)
                #expect(reply.status == 200, "\(query): \(reply)")
                return (reply.json["messages"] as? [Any])?.count ?? -1
            }
            #expect(try await count("direction=inbound") == 4)
            #expect(try await count("direction=outbound&status=failed") == 1)
            #expect(try await count("contact=%2B55%2011%2099876-5432") == 3)
            let since = ISO8601DateFormatter().string(from: now - 47.5 * 60)
            #expect(try await count("since=\(since)") == 2)
            for bad in ["limit=0", "limit=201", "cursor=garbage", "status=bogus", "direction=up", "since=yesterday", "contact=12"] {
                let reply = try await f.request(.GET, "/messages?\(bad)", token: token)
                #expect(reply.status == 400 && reply.code == "invalid_request", "\(bad): \(reply)")
            }
        }
    }

    /// One inbound message of the unit, written with plain SQL; its id.
    private func seedMessage(_ f: APIFixture, unit slug: String) async throws -> String {
        let unit = try #require(f.units[slug].flatMap(UUID.init(uuidString:)))
        return try await f.base.seed { seed in
            let contact = try await seed.contact(unit: unit, phone: "5531912345678", name: "Semente", at: Date() - 60)
            return try await seed.message(contact, body: "semente \(slug)", at: Date() - 30).uuidString.lowercased()
        }
    }
}
