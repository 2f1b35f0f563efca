import Foundation

/// What a user may do. super_admin: every unit; unit_admin: everything in its unit;
/// agent: its unit's contacts, conversations and messages.
package enum Role: String, Sendable, Equatable, Codable, CaseIterable {
    case superAdmin = "super_admin"
    case unitAdmin = "unit_admin"
    case agent

    /// Only super admins stand above units; every other role belongs to exactly one unit.
    package var needsUnit: Bool { self != .superAdmin }

    package init(parsing text: String) throws {
        let normalized = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "-", with: "_")
        guard let role = Role(rawValue: normalized) else {
            throw CRMError.invalidInput(
                "Unknown role '\(text)': use super_admin, unit_admin or agent."
            )
        }
        self = role
    }
}
