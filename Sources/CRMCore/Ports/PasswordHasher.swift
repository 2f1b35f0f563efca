/// Hashes and checks passwords. The use cases never see how.
package protocol PasswordHasher: Sendable {
    func hash(_ password: String) -> String
    func verify(_ password: String, hash: String) -> Bool
}
