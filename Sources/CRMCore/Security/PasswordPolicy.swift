/// The rules a new password must meet before it is hashed.
package enum PasswordPolicy {
    package static let minimumLength = 8
    /// bcrypt reads at most 72 bytes; a longer password would be silently truncated, so it is refused.
    package static let maximumBytes = 72

    package static func validate(_ password: String) throws {
        guard password.count >= minimumLength else {
            throw CRMError.invalidInput(
                "The password is too short: use at least \(minimumLength) characters."
            )
        }
        guard password.utf8.count <= maximumBytes else {
            throw CRMError.invalidInput(
                "The password is too long: bcrypt uses at most \(maximumBytes) bytes; choose a shorter one."
            )
        }
    }
}
