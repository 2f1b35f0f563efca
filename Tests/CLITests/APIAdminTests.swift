import CRMCore
import CRMStore
import CRMTestSupport
import Foundation
import NIOHTTP1
import Testing

/// Units and users over the API, on each database: `crm units` / `crm users`' use cases behind
/// the roles policy; a user disabled or given another role loses its sessions at once.
@Suite("HTTP API: units and users")
struct APIAdminTests {
    @Test("units: a super admin creates, changes and deletes them; every role sees its own unit only",
          arguments: TestDatabaseKind.available)
    func units(kind: TestDatabaseKind) async throws {
        try await APIFixture.with(kind) { f in
            let root = try await f.token("root@example.com")
            let created = try await f.request(.POST, "/units", json: ["name": "Filial Norte", "countryCode": "351"], token: root)
            #expect(created.status == 201, "\(created)")
            let id = try #require(created.json["id"] as? String)
            #expect(created.headers["location"] == "/units/\(id)")
            #expect(created.json["slug"] as? String == "filial-norte" && created.json["defaultCountryCode"] as? String == "351")
            let duplicate = try await f.request(.POST, "/units", json: ["name": "Filial Norte"], token: root)
            #expect(duplicate.status == 409 && duplicate.code == "conflict", "\(duplicate)")
            let invalid = try await f.request(.POST, "/units", json: ["name": "X", "slug": "Not A Slug"], token: root)
            #expect(invalid.status == 400 && invalid.code == "invalid_request", "\(invalid)")
            #expect((try await f.request(.GET, "/units", token: root).json["units"] as? [Any])?.count == 3)

            let changed = try await f.request(
                .PATCH, "/units/\(id)", json: ["timezone": "Europe/Lisbon", "optOutKeywords": ["SAIR", "Parar"]], token: root)
            #expect(changed.status == 200 && changed.json["timezone"] as? String == "Europe/Lisbon", "\(changed)")
            #expect(changed.json["optOutKeywords"] as? [String] == ["SAIR", "Parar"] && changed.json["defaultOptOutKeywords"] as? Bool == false)
            let defaults = try await f.request(.PATCH, "/units/\(id)", json: ["optOutKeywords": NSNull()], token: root)
            #expect(defaults.json["defaultOptOutKeywords"] as? Bool == true, "\(defaults)")
            #expect(try await f.request(.PATCH, "/units/\(id)", json: [:], token: root).code == "invalid_request")
            let badZone = try await f.request(.PATCH, "/units/\(id)", json: ["timezone": "Mars/Olympus"], token: root)
            #expect(badZone.status == 400, "\(badZone)")
            #expect(try await f.request(.GET, "/units/\(id)", token: root).json["timezone"] as? String == "Europe/Lisbon")

            #expect(try await f.request(.DELETE, "/units/\(id)", token: root).status == 204)
            #expect(try await f.request(.GET, "/units/\(id)", token: root).status == 404)
            #expect(try await f.request(.DELETE, "/units/\(id)", token: root).status == 404)

            let admin = try await f.token("admin@loja.example")
            let own = try await f.request(.GET, "/units", token: admin)
            #expect((own.json["units"] as? [[String: Any]])?.compactMap { $0["slug"] as? String } == ["loja"], "\(own)")
            let agent = try await f.token("agent@outra.example")
            #expect(try await f.request(.GET, "/units/\(f.units["outra"]!)", token: agent).status == 200)
            #expect(try await f.request(.GET, "/units/\(f.units["loja"]!)", token: agent).status == 404)
        }
    }

    @Test("users: a unit admin manages its unit's users only; disabling or a new role ends the user's sessions",
          arguments: TestDatabaseKind.available)
    func users(kind: TestDatabaseKind) async throws {
        try await APIFixture.with(kind) { f in
            let loja = try #require(f.units["loja"]), outra = try #require(f.units["outra"])
            let admin = try await f.token("admin@loja.example")
            let password = "novo-pass-5520"
            f.remember(password)
            let created = try await f.request(
                .POST, "/users", json: ["email": "novo@loja.example", "password": password, "role": "agent", "name": "Novo"], token: admin)
            #expect(created.status == 201, "\(created)")
            let id = try #require(created.json["id"] as? String)
            #expect(created.json["unitId"] as? String == loja && created.json["email"] as? String == "novo@loja.example")
            #expect(created.json["disabled"] as? Bool == false && created.json["passwordHash"] == nil)
            #expect(created.headers["location"] == "/users/\(id)")

            let cases: [([String: Any], Int, String)] = [
                (["email": "x@loja.example", "password": password, "role": "super_admin"], 403, "forbidden"),
                (["email": "x@loja.example", "password": password, "role": "agent", "unitId": outra], 404, "not_found"),
                (["email": "x@loja.example", "password": "short", "role": "agent"], 400, "invalid_request"),
                (["email": "x@loja.example", "password": password, "role": "boss"], 400, "invalid_request"),
                (["email": "NOVO@loja.example", "password": password, "role": "agent"], 409, "conflict"),  // emails are unique without case
                (["email": "not-an-email", "password": password, "role": "agent"], 400, "invalid_request"),
            ]
            for (body, status, code) in cases {
                let reply = try await f.request(.POST, "/users", json: body, token: admin)
                #expect(reply.status == status && reply.code == code, "\(body): \(reply)")
            }
            let listed = try await f.request(.GET, "/users", token: admin)
            let emails = Set((listed.json["users"] as? [[String: Any]] ?? []).compactMap { $0["email"] as? String })
            #expect(emails == ["admin@loja.example", "agent@loja.example", "novo@loja.example"], "\(listed)")
            let rootId = try #require(try await f.outbound.withStore { try await $0.user(email: "root@example.com")?.id.uuidString })
            #expect(try await f.request(.GET, "/users/\(rootId)", token: admin).status == 404)

            // Disabling ends the user's sessions: its access token and its refresh token.
            let login = try await f.login("novo@loja.example", password: password)
            let token = try #require(login.json["accessToken"] as? String)
            let refresh = try #require(login.json["refreshToken"] as? String)
            #expect(try await f.request(.GET, "/messages", token: token).status == 200)
            let disabled = try await f.request(.PATCH, "/users/\(id)", json: ["disabled": true], token: admin)
            #expect(disabled.status == 200 && disabled.json["disabled"] as? Bool == true, "\(disabled)")
            let refused = try await f.request(.GET, "/messages", token: token)
            #expect(refused.status == 401 && refused.code == "session_ended", "\(refused)")
            #expect(try await f.request(.POST, "/admin/refresh", json: ["refreshToken": refresh]).code == "invalid_refresh_token")
            #expect(try await f.login("novo@loja.example", password: password).status == 401)

            // Enabled again, then promoted: the promotion ends the new session too.
            #expect(try await f.request(.PATCH, "/users/\(id)", json: ["disabled": false], token: admin).status == 200)
            let again = try #require(try await f.login("novo@loja.example", password: password).json["accessToken"] as? String)
            let promoted = try await f.request(.PATCH, "/users/\(id)", json: ["role": "unit_admin"], token: admin)
            #expect(promoted.status == 200 && promoted.json["role"] as? String == "unit_admin", "\(promoted)")
            #expect(try await f.request(.GET, "/messages", token: again).code == "session_ended")
            let upward = try await f.request(.PATCH, "/users/\(id)", json: ["role": "super_admin"], token: admin)
            #expect(upward.status == 403 && upward.code == "forbidden", "\(upward)")
            let away = try await f.request(.PATCH, "/users/\(id)", json: ["unitId": outra], token: admin)
            #expect(away.status == 404, "a unit admin moves no one to another unit: \(away)")

            // A new password works, the old one does not.
            let newPassword = "trocada-pass-7781"
            f.remember(newPassword)
            #expect(try await f.request(.PATCH, "/users/\(id)", json: ["password": newPassword], token: admin).status == 200)
            #expect(try await f.login("novo@loja.example", password: password).status == 401)
            #expect(try await f.login("novo@loja.example", password: newPassword).status == 200)

            #expect(try await f.request(.DELETE, "/users/\(id)", token: admin).status == 204)
            #expect(try await f.request(.GET, "/users/\(id)", token: admin).status == 404)
            #expect(try await f.login("novo@loja.example", password: newPassword).status == 401)

            // A super admin moves a user to another unit and makes super admins.
            let root = try await f.token("root@example.com")
            let agentId = try #require(
                try await f.outbound.withStore { try await $0.user(email: "agent@loja.example")?.id.uuidString.lowercased() })
            let moved = try await f.request(.PATCH, "/users/\(agentId)", json: ["unitId": outra], token: root)
            #expect(moved.status == 200 && moved.json["unitId"] as? String == outra && moved.json["role"] as? String == "agent", "\(moved)")
            let made = try await f.request(
                .POST, "/users", json: ["email": "root2@example.com", "password": password, "role": "super_admin"], token: root)
            #expect(made.status == 201 && made.json["unitId"] is NSNull, "\(made)")
            let withUnit = try await f.request(
                .POST, "/users", json: ["email": "root3@example.com", "password": password, "role": "super_admin", "unitId": loja], token: root)
            #expect(withUnit.status == 400, "\(withUnit)")
            #expect((try await f.request(.GET, "/users?unitId=\(outra)", token: root).json["users"] as? [Any])?.count == 2)
        }
    }
}
