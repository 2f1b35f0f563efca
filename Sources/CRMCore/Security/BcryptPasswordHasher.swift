import HummingbirdBcrypt

/// bcrypt, the adaptive hash the original backend used; cost 12 by default, never below 10.
public struct BcryptPasswordHasher: PasswordHasher {
    public static let minimumCost: UInt8 = 10
    public static let defaultCost: UInt8 = 12
    public let cost: UInt8

    public init(cost: UInt8 = defaultCost) {
        self.cost = max(cost, Self.minimumCost)
    }

    public func hash(_ password: String) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    public func verify(_ password: String, hash: String) -> Bool {
        Bcrypt.verify(password, hash: hash)
    }
}
