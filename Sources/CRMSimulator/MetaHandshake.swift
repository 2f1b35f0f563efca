import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Meta's webhook verification: a GET on the callback URL with `hub.mode=subscribe`,
/// `hub.verify_token` and a random `hub.challenge`; it passes when the receiver answers 200 with
/// the challenge as its body (whitespace around it tolerated).
enum MetaHandshake {
    static func verify(url: String, verifyToken: String, client: HTTPClient, timeoutMs: Int) async -> MetaWebhookVerification {
        let challenge = MetaIdentifiers.challenge()
        let query = [("hub.mode", "subscribe"), ("hub.challenge", challenge), ("hub.verify_token", verifyToken)]
            .map { "\($0.0)=\(escape($0.1))" }.joined(separator: "&")
        var request = HTTPClientRequest(url: url + (url.contains("?") ? "&" : "?") + query)
        request.method = .GET
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(timeoutMs)))
            let body = try await response.body.collect(upTo: 64 << 10)
            let status = Int(response.status.code)
            let text = String(decoding: body.readableBytesView, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard status == 200 else {
                return MetaWebhookVerification(
                    passed: false, status: status, detail: "HTTP Status Code = \(status); HTTP Message = \(response.status.reasonPhrase)")
            }
            guard text == challenge else {
                return MetaWebhookVerification(passed: false, status: status, detail: "The URL couldn't be validated. Response does not match challenge")
            }
            return MetaWebhookVerification(passed: true, status: status, detail: "ok")
        } catch {
            return MetaWebhookVerification(passed: false, status: nil, detail: "Couldn't connect to server")
        }
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters, so that `+`, `&` or `=`
    /// in a token reach the receiver as themselves.
    static func escape(_ value: String) -> String {
        var unreserved = CharacterSet(charactersIn: "-._~")
        unreserved.formUnion(CharacterSet(charactersIn: "a"..."z"))
        unreserved.formUnion(CharacterSet(charactersIn: "A"..."Z"))
        unreserved.formUnion(CharacterSet(charactersIn: "0"..."9"))
        return value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }
}
