import CRMCore
@testable import CRMProviders
import CRMSimulator
import Foundation
import Testing

/// `sendTemplate` through the port: Meta sends approved templates and maps Graph's template
/// errors to permanent, clear `ProviderError`s; Evolution and Z-API refuse without a call.
@Suite("Template sends")
struct TemplateSendTests {
    static let orderUpdate = MetaTemplate(name: "order_update", language: "pt_BR", body: "Olá {{1}}, pedido {{2}} a caminho.")

    @Test func metaSendsAnApprovedTemplateThroughThePort() async throws {
        try await MetaClientTests.withMeta(templates: [Self.orderUpdate]) { client, simulator in
            let provider: any WhatsAppProvider = client
            let wamid = try await provider.sendTemplate(
                instance: MetaClientTests.phoneNumberId, to: "+55 11 99999-0001",
                template: MessageTemplate(name: "order_update", language: "pt_BR", parameters: ["Maria", "1042"]))
            let sent = await simulator.sentMessages()
            #expect(sent.map(\.externalId) == [wamid])
            #expect(sent.first?.template == "order_update/pt_BR")
            #expect(sent.first?.text == "Olá Maria, pedido 1042 a caminho.")
        }
    }

    @Test(arguments: [("order_updat", "pt_BR"), ("order_update", "en_US")])
    func anUnknownTemplateOrLanguageIsAPermanentClearError(name: String, language: String) async throws {
        try await MetaClientTests.withMeta(templates: [Self.orderUpdate]) { client, simulator in
            let error = try #require(await MetaClientTests.failure {
                try await client.sendTemplate(
                    instance: MetaClientTests.phoneNumberId, to: "5511999990001",
                    template: MessageTemplate(name: name, language: language, parameters: ["Maria", "1042"]))
            })
            #expect(error.reason == .rejected)
            #expect(!error.isRetryable, "retrying cannot make a template exist")
            #expect(error.status == 404)
            #expect(error.error.kind == .invalidInput)
            #expect(error.message.contains("'\(name)'") && error.message.contains("132001") && error.message.contains("WhatsApp Manager"))
            #expect(!error.message.contains("does not exist in the translation"), "Graph's own text is not echoed")
            MetaClientTests.expectNoSecrets(error)
            #expect(await simulator.sentMessages().isEmpty)
        }
    }

    @Test func aWrongNumberOfParametersIsAPermanentClearError() async throws {
        try await MetaClientTests.withMeta(templates: [Self.orderUpdate]) { client, _ in
            let error = try #require(await MetaClientTests.failure {
                try await client.sendTemplate(
                    instance: MetaClientTests.phoneNumberId, to: "5511999990001",
                    template: MessageTemplate(name: "order_update", language: "pt_BR", parameters: ["Maria"]))
            })
            #expect(error.reason == .rejected && !error.isRetryable)
            #expect(error.message.contains("132000") && error.message.contains("parameter"))
        }
    }

    /// Nothing listens on port 1: a client that made a call would fail `.unreachable`, not `.unsupported`.
    @Test func evolutionAndZAPIRefuseTemplatesWithoutACall() async throws {
        let template = MessageTemplate(name: "hello_world", language: "en_US")
        let evolution = try EvolutionClient(configuration: EvolutionClientConfiguration(baseURL: "http://127.0.0.1:1", apiKey: "k"))
        let zapi = try ZAPIClient(configuration: ZAPIClientConfiguration(
            baseURL: "http://127.0.0.1:1", credentials: ZAPICredentials(instanceId: "i", instanceToken: "t")))
        for (provider, name) in [(evolution as any WhatsAppProvider, "Evolution API"), (zapi, "Z-API")] {
            do {
                _ = try await provider.sendTemplate(instance: "crm-loja", to: "5511999990001", template: template)
                Issue.record("\(name) must refuse templates")
            } catch let error as ProviderError {
                #expect(error.reason == .unsupported && !error.isRetryable)
                #expect(error.message.contains(name) && error.message.contains("templates"))
            }
        }
        try await evolution.shutdown()
        try await zapi.shutdown()
    }
}
