import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension SimulatorReply {
    /// Compact JSON, as Evolution (Express) answers.
    var response: Response {
        Response(
            status: HTTPResponse.Status(code: status),
            headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body.encoded()))
        )
    }
}

extension Request {
    /// The `apikey` header Evolution authenticates with.
    var apiKey: String? { headers[HTTPField.Name("apikey")!] }

    /// The body parsed as JSON; `.object([])` when empty, `nil` when not JSON.
    func jsonBody() async throws -> JSONValue? {
        var request = self
        let buffer = try await request.collectBody(upTo: 4 << 20)
        guard buffer.readableBytes > 0 else { return .object([]) }
        return JSONValue.decode(Data(buffer.readableBytesView))
    }
}

/// The body Express sends for a request that is not JSON.
let malformedJSONReply = SimulatorReply.error(EvolutionErrors.badRequest("Unexpected token in JSON"))

/// A body that claims to be JSON but is cut short, as a broken proxy or a truncated answer delivers it.
func garbageJSON(status: Int) -> Response {
    Response(
        status: HTTPResponse.Status(code: status),
        headers: [.contentType: "application/json; charset=utf-8"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":"))
    )
}

/// An HTML error page, as a reverse proxy writes it when Evolution behind it is down.
func htmlPage(status: Int) -> Response {
    let phrase = EvolutionErrors.reasonPhrase(status)
    let html = "<html>\r\n<head><title>\(status) \(phrase)</title></head>\r\n<body>\r\n<center><h1>\(status) \(phrase)</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    return Response(
        status: HTTPResponse.Status(code: status),
        headers: [.contentType: "text/html"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: html))
    )
}
