import CRMCore
import Foundation

/// Decodes webhook bodies with `JSONDecoder` into small `Decodable` shapes that declare only
/// the fields the CRM reads: everything else (media keys, thumbnails, pricing…) is skipped by
/// the scanner without being turned into Swift values, and declared fields get exact JSON
/// type checks for free (an id sent as a number is rejected, not coerced).
enum WebhookJSON {
    /// Decodes `body` as `T`, turning every decoding failure into a `WebhookParseError` that
    /// names the offending field.
    static func decode<T: Decodable>(
        _ type: T.Type,
        from body: Data,
        userInfo: [CodingUserInfoKey: any Sendable] = [:]
    ) throws(WebhookParseError) -> T {
        let decoder = JSONDecoder()
        decoder.userInfo = userInfo
        do {
            return try decoder.decode(T.self, from: body)
        } catch let error as WebhookParseError {
            throw error
        } catch let error as DecodingError {
            throw parseError(for: error)
        } catch {
            throw .notJSON
        }
    }

    /// Maps `JSONDecoder`'s errors onto the listener's vocabulary.
    static func parseError(for error: DecodingError) -> WebhookParseError {
        switch error {
        case .keyNotFound(let key, let context):
            return .missingField(path: path(context.codingPath + [key]))
        case .valueNotFound(_, let context):
            return .missingField(path: path(context.codingPath))
        case .typeMismatch(_, let context):
            return .wrongType(path: path(context.codingPath))
        case .dataCorrupted(let context):
            // Syntax errors are reported at the root; our own checks always name a field.
            if context.codingPath.isEmpty { return .notJSON }
            return .invalidValue(path: path(context.codingPath), reason: context.debugDescription)
        @unknown default:
            return .notJSON
        }
    }

    /// `entry[0].changes[1].value`-style path for error messages.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var result = ""
        for key in codingPath {
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                if !result.isEmpty { result += "." }
                result += key.stringValue
            }
        }
        return result
    }
}
