/// Why a webhook body was rejected. The listener answers 400 to all of them (providers do not
/// retry a 400) and counts them; the description names the field without echoing its value,
/// so it is safe to log (no phone numbers or message text).
package enum WebhookParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The body is not JSON at all (empty, truncated, HTML error page…).
    case notJSON
    /// A field the event needs is absent or `null`. The path is dotted, e.g. `data.key.id`.
    case missingField(path: String)
    /// A field has the wrong JSON type (a number where an id string belongs, an object where
    /// `entry` must be an array…).
    case wrongType(path: String)
    /// A field has the right type but a value that cannot be used.
    case invalidValue(path: String, reason: String)

    package var description: String {
        switch self {
        case .notJSON:
            "body is not valid JSON"
        case .missingField(let path):
            "missing field \(Self.display(path))"
        case .wrongType(let path):
            "wrong JSON type for \(Self.display(path))"
        case .invalidValue(let path, let reason):
            "invalid value for \(Self.display(path)): \(reason)"
        }
    }

    private static func display(_ path: String) -> String {
        path.isEmpty ? "the body" : "`\(path)`"
    }
}
