import CRMCore
import CRMSimulator
import CRMStore
import CRMTestSupport
import Foundation
import NIOConcurrencyHelpers
import NIOHTTP1
import Testing

/// Every endpoint × every role × own unit / another unit, against a table written by hand, on
/// each database. Requests that would destroy what later rows need act on throwaway units and
/// users; a disconnect first makes sure the unit's instance is paired.
@Suite("HTTP API: the role matrix")
struct APIRoleMatrixTests {
    enum Target: String, CaseIterable {
        case own = "own unit"
        case other = "other unit"
    }

    /// One request of the matrix: who asks, about which unit.
    struct Call {
        let f: APIFixture
        let who: String
        let target: Target
        let serial: Int
        /// "loja" for the own unit (a super admin's too), "outra" for the other.
        var slug: String { target == .own ? "loja" : "outra" }
        var unit: String { f.units[slug]! }
        var isRoot: Bool { who == APIRoleMatrixTests.roles[0] }
    }

    struct Endpoint: Sendable {
        var name: String
        var method: HTTPMethod
        var path: @Sendable (Call) async throws -> String
        var body: (@Sendable (Call) -> [String: Any])?
        /// Expected statuses as "own/other" for the super admin, the unit admin and the agent.
        var expected: String
        /// Runs before a request expected to succeed.
        var prepare: (@Sendable (Call) async throws -> Void)?

        init(
            _ name: String, _ expected: String, body: (@Sendable (Call) -> [String: Any])? = nil,
            prepare: (@Sendable (Call) async throws -> Void)? = nil, path: @escaping @Sendable (Call) async throws -> String
        ) {
            let parts = name.split(separator: " ")
            self.name = name
            method = HTTPMethod(rawValue: String(parts[0]))
            self.expected = expected
            self.body = body
            self.prepare = prepare
            self.path = path
        }

        func status(for role: Int, _ target: Target) -> Int {
            let pair = expected.split(separator: " ")[role].split(separator: "/")
            return Int(pair[target == .own ? 0 : 1])!
        }
    }

    static let roles = ["root@example.com", "admin@loja.example", "agent@loja.example"]

    static let endpoints: [Endpoint] = [
        Endpoint("GET /units", "200/200 200/200 200/200") { _ in "/units" },
        Endpoint("POST /units", "201/201 403/403 403/403", body: { ["name": "Matriz \($0.serial)"] }) { _ in "/units" },
        Endpoint("GET /units/:unitId", "200/200 200/404 200/404") { "/units/\($0.unit)" },
        Endpoint("PATCH /units/:unitId", "200/200 403/404 403/404", body: { _ in ["timezone": "America/Sao_Paulo"] }) {
            "/units/\($0.unit)"
        },
        Endpoint("DELETE /units/:unitId", "204/204 403/404 403/404") { call in
            // A super admin deletes a throwaway unit; the others are refused before anything happens.
            guard call.isRoot else { return "/units/\(call.unit)" }
            let unit = try await throwawayUnit(call)
            return "/units/\(unit)"
        },
        Endpoint("GET /users", "200/200 200/404 403/404") { "/users?unitId=\($0.unit)" },
        Endpoint("POST /users", "201/201 201/404 403/404", body: { call in
            ["email": "matriz\(call.serial)@example.com", "password": "matriz-pass-3381", "role": "agent", "unitId": call.unit]
        }) { _ in "/users" },
        Endpoint("GET /users/:userId", "200/200 200/404 403/404") { try await userPath($0) },
        Endpoint("PATCH /users/:userId", "200/200 200/404 403/404", body: { _ in ["disabled": true] }) { try await userPath($0) },
        Endpoint("DELETE /users/:userId", "204/204 204/404 403/404") { try await userPath($0) },
        Endpoint("GET /conversations", "200/200 200/404 200/404") { "/conversations?unitId=\($0.unit)" },
        Endpoint("GET /contacts", "200/200 200/404 200/404") { "/contacts?unitId=\($0.unit)" },
        Endpoint("GET /messages", "200/200 200/404 200/404") { "/messages?unitId=\($0.unit)" },
        Endpoint("GET /messages/:id", "200/200 200/404 200/404") { call in
            let id = try await seededMessage(call)
            return "/messages/\(id)"
        },
        // The other unit has no connected number: the super admin's send is allowed, then refused (409).
        Endpoint("POST /messages", "202/409 202/404 202/404", body: { call in
            ["unitId": call.unit, "phone": APIFixture.contact, "message": "Matriz \(call.serial)"]
        }) { _ in "/messages" },
        // Campaigns come before the WhatsApp endpoints: a dispatch needs "loja" still connected.
        Endpoint("GET /api/campaigns", "200/200 200/404 403/404") { "/api/campaigns?unitId=\($0.unit)" },
        Endpoint("POST /api/campaigns", "201/201 201/404 403/404", body: { call in
            ["unitId": call.unit, "name": "Matriz \(call.serial)", "text": "Oi {{name|você}}", "recipients": [["phone": APIFixture.contact]]]
        }) { _ in "/api/campaigns" },
        Endpoint("GET /api/campaigns/:id", "200/200 200/404 403/404") { try await campaignPath($0) },
        // The other unit has no connected number: the super admin's dispatch is allowed, then refused (409).
        Endpoint("POST /api/campaigns/:id/dispatch", "202/409 202/404 403/404") { try await campaignPath($0, "dispatch") },
        Endpoint("POST /api/campaigns/:id/pause", "200/200 200/404 403/404") { try await campaignPath($0, "pause") },
        Endpoint("POST /api/campaigns/:id/resume", "200/200 200/404 403/404") { try await campaignPath($0, "resume", paused: true) },
        Endpoint("POST /api/campaigns/:id/cancel", "200/200 200/404 403/404") { try await campaignPath($0, "cancel") },
        Endpoint("POST /units/:unitId/whatsapp/connect", "200/200 200/404 403/404") { "/units/\($0.unit)/whatsapp/connect" },
        Endpoint("GET /units/:unitId/whatsapp/status", "200/200 200/404 403/404") { "/units/\($0.unit)/whatsapp/status" },
        Endpoint("GET /units/:unitId/whatsapp/qrcode", "200/200 200/404 403/404") { "/units/\($0.unit)/whatsapp/qrcode" },
        Endpoint("POST /units/:unitId/whatsapp/send", "202/409 202/404 202/404", body: { call in
            ["phone": APIFixture.contact, "message": "Alias \(call.serial)"]
        }) { "/units/\($0.unit)/whatsapp/send" },
        Endpoint("DELETE /units/:unitId/whatsapp/disconnect", "200/200 200/404 403/404", prepare: { try await paired($0) }) {
            "/units/\($0.unit)/whatsapp/disconnect"
        },
    ]

    @Test("every endpoint × super_admin, unit_admin, agent × own unit, other unit", arguments: TestDatabaseKind.available)
    func matrix(kind: TestDatabaseKind) async throws {
        try await APIFixture.with(kind, connect: true) { f in
            var tokens: [String: String] = [:]
            for who in Self.roles { tokens[who] = try await f.token(who) }
            var serial = 0
            var checked = 0
            for endpoint in Self.endpoints {
                for (index, who) in Self.roles.enumerated() {
                    for target in Target.allCases {
                        serial += 1
                        let call = Call(f: f, who: who, target: target, serial: serial)
                        let expected = endpoint.status(for: index, target)
                        if (200..<300).contains(expected), let prepare = endpoint.prepare { try await prepare(call) }
                        let path = try await endpoint.path(call)
                        let reply = try await f.request(endpoint.method, path, json: endpoint.body?(call), token: tokens[who])
                        #expect(reply.status == expected, "\(endpoint.name) by \(who) in the \(target.rawValue): \(reply)")
                        if expected == 404 { #expect(reply.code == "not_found", "\(endpoint.name): \(reply)") }
                        if expected == 403 { #expect(reply.code == "forbidden", "\(endpoint.name): \(reply)") }
                        if reply.status == 404 { #expect(!reply.text.contains(f.units["outra"]!), "a 404 does not echo the other unit") }
                        checked += 1
                    }
                }
            }
            #expect(checked == Self.endpoints.count * 6)
        }
    }

    /// A unit of its own, for a request that deletes it.
    static func throwawayUnit(_ call: Call) async throws -> String {
        try await call.f.outbound.withStore { store in
            try await UnitService(store: store).create(name: "Descartavel \(call.serial)").id.uuidString.lowercased()
        }
    }

    static func userPath(_ call: Call) async throws -> String {
        let id = try await throwawayUser(call)
        return "/users/\(id)"
    }

    /// An agent of the call's unit, for a request that reads, changes or deletes it.
    static func throwawayUser(_ call: Call) async throws -> String {
        let unitId = try #require(UUID(uuidString: call.unit))
        return try await call.f.outbound.withStore { store in
            let user = User(
                id: UUID(), unitId: unitId, email: "descartavel\(call.serial)@example.com", name: nil, role: .agent, disabledAt: nil,
                createdAt: Date(), updatedAt: Date())
            try await store.insertUser(user, passwordHash: "$2b$04$notarealhashnotarealhashnotarealhashnotarealhashnot")
            return user.id.uuidString.lowercased()
        }
    }

    /// A throwaway campaign of the call's unit (a draft, or paused), and the path of `action` on it.
    static func campaignPath(_ call: Call, _ action: String? = nil, paused: Bool = false) async throws -> String {
        let unitId = try #require(UUID(uuidString: call.unit))
        let id = try await call.f.outbound.withStore { store in
            let unit = try #require(try await store.unit(id: unitId))
            let recipient = CampaignCreation.Candidate(phone: "5511977\(String(format: "%06d", call.serial))", name: nil, variables: [:], origin: "#1")
            let created = try await CampaignCreationService(store: store).create(CampaignCreationService.Request(
                unit: unit, name: "Matriz \(call.serial)", text: "Oi", recipients: .listed([recipient], namesFromContacts: false),
                pacing: CampaignPacingInput(rate: "unlimited"), naming: .fields)).created.campaign
            if paused { _ = try await store.changeCampaignStatus(id: created.id, from: [.draft], to: .paused, at: Date()) }
            return created.id.uuidString.lowercased()
        }
        return "/api/campaigns/\(id)" + (action.map { "/\($0)" } ?? "")
    }

    /// An inbound message of the call's unit.
    static func seededMessage(_ call: Call) async throws -> String {
        let unitId = try #require(UUID(uuidString: call.unit))
        return try await call.f.base.seed { seed in
            let contact = try await seed.contact(unit: unitId, phone: "553191234\(1000 + call.serial)", name: "Matriz", at: Date() - 60)
            return try await seed.message(contact, body: "matriz", at: Date() - 30).uuidString.lowercased()
        }
    }

    /// Makes sure the unit's instance is open or waiting for a scan (a closed one cannot be logged
    /// out): a super admin connects it again.
    static func paired(_ call: Call) async throws {
        let instance = await call.f.outbound.pairing.simulator.instance("crm-\(call.slug)")
        guard instance == nil || instance?.state.rawValue == "close" else { return }
        let root = try await call.f.token(roles[0])
        let reply = try await call.f.request(.POST, "/units/\(call.unit)/whatsapp/connect", token: root)
        try #require(reply.status == 200, "\(reply)")
    }
}
