import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The API's JSON: camelCase keys, ISO 8601 dates (UTC, whole seconds), keys sorted.
enum APIJSON {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// Reads a JSON body of at most `limit` bytes into `T`; a missing or mistyped field is a 400
    /// that names it, a larger body a 413.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, "payload_too_large", "The request body is larger than \(limit) bytes.")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as APIError {
            throw error  // a body's own check, already worded
        } catch DecodingError.keyNotFound(let key, _) {
            throw APIError.invalidRequest("The field '\(key.stringValue)' is missing.")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw APIError.invalidRequest("The field '\(field)' has the wrong type.")
        } catch {
            throw APIError.invalidRequest("The body is not the JSON object this endpoint takes.")
        }
    }
}

extension Response {
    static func apiJSON(_ object: some Encodable, status: HTTPResponse.Status) -> Response {
        let data = (try? APIJSON.encoder().encode(object)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}

extension UUID {
    /// Ids as the API writes them: lowercase.
    var text: String { uuidString.lowercased() }
}
