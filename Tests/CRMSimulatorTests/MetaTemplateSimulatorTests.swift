import Foundation
import NIOHTTP1
import Testing

/// Template sends on the Graph subset: approved templates go out (their body rendered), anything
/// else is refused in Graph's own shape: 132001 for an unknown name or language, 132000 for a
/// wrong number of body parameters. Nothing refused is recorded as sent.
@Suite struct MetaTemplateSimulatorTests {
    static var pedido: [String: Any] { ["name": "pedido_enviado", "language": "pt_BR", "body": "Olá {{1}}, seu pedido {{2}} saiu."] }

    func sendTemplate(_ h: MetaHarness, name: String, language: String, parameters: [String]) async throws -> SimulatorHarness.Reply {
        var template: [String: Any] = ["name": name, "language": ["code": language]]
        if !parameters.isEmpty {
            template["components"] = [["type": "body", "parameters": parameters.map { ["type": "text", "text": $0] }]]
        }
        return try await h.call(.POST, "/v23.0/\(MetaHarness.phoneNumberId)/messages", json: [
            "messaging_product": "whatsapp", "recipient_type": "individual", "to": "5511999990001", "type": "template",
            "template": template,
        ])
    }

    @Test func anApprovedTemplateIsSentWithItsBodyRendered() async throws {
        try await MetaHarness.with { h in
            try await h.provision(webhook: false, extra: ["templates": [Self.pedido]])
            let reply = try await sendTemplate(h, name: "pedido_enviado", language: "pt_BR", parameters: ["Maria", "4521"])
            #expect(reply.status == 200, "\(reply.text)")
            let wamid = try #require((reply.json["messages"] as? [[String: Any]])?.first?["id"] as? String)
            let record = try await h.call(.GET, "/_simulator/sent", token: nil).array
            #expect(record.count == 1)
            #expect(record.first?["externalId"] as? String == wamid)
            #expect(record.first?["template"] as? String == "pedido_enviado/pt_BR")
            #expect(record.first?["text"] as? String == "Olá Maria, seu pedido 4521 saiu.")
        }
    }

    @Test func aNewAccountHasHelloWorldOnly() async throws {
        try await MetaHarness.with { h in
            try await h.provision(webhook: false)
            #expect(try await sendTemplate(h, name: "hello_world", language: "en_US", parameters: []).status == 200)
            #expect(try await sendTemplate(h, name: "pedido_enviado", language: "pt_BR", parameters: ["Maria", "4521"]).status == 404)
        }
    }

    @Test func anUnknownTemplateOrLanguageIsGraphs132001() async throws {
        try await MetaHarness.with { h in
            try await h.provision(webhook: false, extra: ["templates": [Self.pedido]])
            for (name, language) in [("pedido_enviad", "pt_BR"), ("pedido_enviado", "en_US")] {
                let reply = try await sendTemplate(h, name: name, language: language, parameters: ["Maria", "4521"])
                #expect(reply.status == 404)
                let error = try #require(reply.json["error"] as? [String: Any])
                #expect(error["code"] as? Int == 132001)
                #expect(error["type"] as? String == "OAuthException")
                #expect(error["message"] as? String == "(#132001) Template name does not exist in the translation")
                #expect((error["error_data"] as? [String: Any])?["details"] as? String == "template name (\(name)) does not exist in \(language)")
                #expect(error["fbtrace_id"] is String)
                // The same keys as a real Graph error with error_data, none invented.
                #expect(MetaFixture.extraKeys(reply.json, comparedTo: try MetaFixture.json("api/error-131030-recipient-not-allowed.json")) == [])
            }
            #expect(try await h.call(.GET, "/_simulator/sent", token: nil).array.isEmpty)
        }
    }

    @Test func aWrongNumberOfParametersIsGraphs132000() async throws {
        try await MetaHarness.with { h in
            try await h.provision(webhook: false, extra: ["templates": [Self.pedido]])
            let reply = try await sendTemplate(h, name: "pedido_enviado", language: "pt_BR", parameters: ["Maria"])
            #expect(reply.status == 400)
            let error = try #require(reply.json["error"] as? [String: Any])
            #expect(error["code"] as? Int == 132000)
            #expect((error["error_data"] as? [String: Any])?["details"] as? String
                    == "body: number of localizable_params (1) does not match the expected number of params (2)")
            #expect(try await h.call(.GET, "/_simulator/sent", token: nil).array.isEmpty)
        }
    }
}
