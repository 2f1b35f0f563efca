import CRMTestSupport
import Foundation
import NIOHTTP1
import Testing

/// The API's errors are written for its clients: the rules are `crm`'s (shared use cases), but an
/// answer never tells an HTTP client to pass a command-line option or run a command.
@Suite("HTTP API: error wording")
struct APIErrorWordingTests {
    @Test("refusals name the request's fields, never a command-line option or a crm command")
    func noCommandLineWords() async throws {
        try await APIFixture.with(.sqlite) { f in
            let root = try await f.token("root@example.com")
            let admin = try await f.token("admin@loja.example")
            let loja = try #require(f.units["loja"]), outra = try #require(f.units["outra"])
            let refusals: [(String, APIFixture.Reply)] = [
                ("a duplicate unit", try await f.request(.POST, "/units", json: ["name": "Loja"], token: root)),
                ("a unit name with no letters", try await f.request(.POST, "/units", json: ["name": "!!!"], token: root)),
                ("no opt-out keyword", try await f.request(.PATCH, "/units/\(loja)", json: ["optOutKeywords": [String]()], token: root)),
                ("an agent without a unit", try await f.request(
                    .POST, "/users", json: ["email": "a1@example.com", "password": "senha-longa-123", "role": "agent"], token: root)),
                ("a super admin with a unit", try await f.request(
                    .POST, "/users", json: ["email": "a2@example.com", "password": "senha-longa-123", "role": "super_admin", "unitId": loja],
                    token: root)),
                ("an empty campaign text", try await f.request(
                    .POST, "/api/campaigns", json: ["name": "Aviso", "text": "", "recipients": [["phone": "5511970000001"]]], token: admin)),
                ("a campaign without recipients", try await f.request(
                    .POST, "/api/campaigns", json: ["name": "Aviso", "text": "Oi", "recipients": [[String: Any]]()], token: admin)),
                ("an empty message", try await f.request(.POST, "/messages", json: ["phone": "5511970000001", "message": ""], token: admin)),
                ("a message to an unconnected unit", try await f.request(
                    .POST, "/messages", json: ["phone": "5511970000001", "message": "Oi"], token: admin)),
                ("status without a connection", try await f.request(.GET, "/units/\(outra)/whatsapp/status", token: root)),
                ("a QR code without a connection", try await f.request(.GET, "/units/\(outra)/whatsapp/qrcode", token: root)),
                ("a disconnect without a connection", try await f.request(.DELETE, "/units/\(outra)/whatsapp/disconnect", token: root)),
            ]
            for (what, reply) in refusals {
                let message = (reply.json["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect((400..<500).contains(reply.status) && !message.isEmpty, "\(what): \(reply)")
                #expect(!message.contains("--") && !message.contains("crm "), "\(what): \(message)")
            }
        }
    }
}
