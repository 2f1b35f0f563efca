/// The answer of `AccessPolicy`. Another unit's data is `notFound`, never `forbidden`, so that a
/// refusal does not tell that the unit or the record exists.
package enum AccessDecision: String, Sendable, Hashable {
    case allowed
    /// The target is outside the caller's reach: answer as if it did not exist (HTTP 404).
    case notFound = "not_found"
    /// The target is the caller's own, but its role may not do this (HTTP 403).
    case forbidden
}
