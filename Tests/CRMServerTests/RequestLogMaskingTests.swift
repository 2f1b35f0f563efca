import Testing

@testable import CRMServer

/// The request log line's path: a webhook URL's secret segment never reaches a log.
@Suite("Request log path masking")
struct RequestLogMaskingTests {
    @Test("the secret segment of a webhook path is masked; everything else is kept", arguments: [
        ("/webhooks/whatsapp/evolution/s3cr3t", "/webhooks/whatsapp/evolution/****"),
        ("/webhooks/whatsapp/evolution/s3cr3t/messages-upsert", "/webhooks/whatsapp/evolution/****/messages-upsert"),
        ("/webhooks/whatsapp/meta/s3cr3t/", "/webhooks/whatsapp/meta/****/"),
        ("/webhooks/whatsapp/zapi/", "/webhooks/whatsapp/zapi/****"),
        ("/webhooks/whatsapp//s3cr3t", "/webhooks/whatsapp//****"),
        ("/webhooks/whatsapp/évolution/sécret/x", "/webhooks/whatsapp/évolution/****/x"),
        ("/webhooks/whatsapp/evolution", "/webhooks/whatsapp/evolution"),
        ("/webhooks/whatsapp", "/webhooks/whatsapp"),
        ("/webhooks/other/evolution/s3cr3t", "/webhooks/other/evolution/s3cr3t"),
        ("/api/messages", "/api/messages"),
        ("/", "/"),
        ("", ""),
    ])
    func masked(path: String, expected: String) {
        #expect(RequestLogMiddleware.maskedPath(path) == expected)
    }
}
