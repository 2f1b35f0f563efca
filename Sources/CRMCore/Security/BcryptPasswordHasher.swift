import HummingbirdBcrypt

/// bcrypt, the adaptive hash the original backend used; cost 12 by default, never below 10.
package struct BcryptPasswordHasher: PasswordHasher {
    package static let minimumCost: UInt8 = 10
    package static let defaultCost: UInt8 = 12
    package let cost: UInt8

    package init(cost: UInt8 = defaultCost) {
        self.cost = max(cost, Self.minimumCost)
    }

    package func hash(_ password: String) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    package func verify(_ password: String, hash: String) -> Bool {
        Bcrypt.verify(password, hash: hash)
    }
}
