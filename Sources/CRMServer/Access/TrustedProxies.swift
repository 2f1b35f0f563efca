import CRMCore
import Foundation

/// The reverse proxies whose `X-Forwarded-For` the listener believes (`CRM_TRUSTED_PROXIES`,
/// loopback by default: a proxy on the same host, as docs/deploy.md sets one up). A request from a
/// trusted peer is attributed to the right-most address of the header that is not itself a
/// trusted proxy: the client as the last trusted hop saw it. Addresses further left were written by
/// the client and could be anything. A request from any other peer keeps the peer's address, so a
/// client that is not behind the proxy cannot pick its own address to dodge a rate limit.
package struct TrustedProxies: Sendable, Equatable {
    package static let variable = "CRM_TRUSTED_PROXIES"

    /// Exact addresses (IPv4 or IPv6 text) and IPv4 prefixes such as "10.0.0.0/8".
    let addresses: Set<String>
    let networks: [(base: UInt32, mask: UInt32)]
    let loopback: Bool

    package static let loopbackOnly = TrustedProxies(addresses: [], networks: [], loopback: true)
    package static let none = TrustedProxies(addresses: [], networks: [], loopback: false)

    private init(addresses: Set<String>, networks: [(base: UInt32, mask: UInt32)], loopback: Bool) {
        self.addresses = addresses
        self.networks = networks
        self.loopback = loopback
    }

    package static func == (lhs: TrustedProxies, rhs: TrustedProxies) -> Bool {
        lhs.addresses == rhs.addresses && lhs.loopback == rhs.loopback
            && lhs.networks.map(\.base) == rhs.networks.map(\.base) && lhs.networks.map(\.mask) == rhs.networks.map(\.mask)
    }

    /// `loopback`, `none`, or a comma-separated list of addresses and IPv4 networks (loopback is
    /// then trusted only if listed as `loopback`).
    package init(parsing text: String) throws {
        var addresses = Set<String>()
        var networks: [(UInt32, UInt32)] = []
        var loopback = false
        for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !entry.isEmpty {
            if entry == "loopback" { loopback = true; continue }
            if entry == "none" { continue }
            if entry.contains("/") {
                let parts = entry.split(separator: "/")
                guard parts.count == 2, let base = Self.ipv4(String(parts[0])), let bits = Int(parts[1]), (0...32).contains(bits) else {
                    throw Self.invalid(entry)
                }
                let mask: UInt32 = bits == 0 ? 0 : UInt32.max << (32 - UInt32(bits))
                networks.append((base & mask, mask))
            } else if Self.ipv4(entry) != nil || entry.contains(":") {
                addresses.insert(entry)
            } else {
                throw Self.invalid(entry)
            }
        }
        self.init(addresses: addresses, networks: networks, loopback: loopback)
    }

    private static func invalid(_ entry: String) -> CRMError {
        CRMError.configuration("\(variable): '\(entry.prefix(60))' is not an IP address or an IPv4 network (e.g. 10.0.0.0/8); "
            + "write a comma-separated list, `loopback` (the default) or `none`.")
    }

    func trusts(_ address: String) -> Bool {
        if loopback && MetricsAccess.isLoopback(address) { return true }
        if addresses.contains(address.lowercased()) { return true }
        if let value = Self.ipv4(address.hasPrefix("::ffff:") ? String(address.dropFirst(7)) : address) {
            return networks.contains { value & $0.mask == $0.base }
        }
        return false
    }

    /// The client's address: `peer`, or from `X-Forwarded-For` when `peer` is a trusted proxy.
    package func client(peer: String, forwardedFor header: String?) -> String {
        guard let header, trusts(peer) else { return peer }
        let hops = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for hop in hops.reversed() where !trusts(hop) {
            return hop.count <= 45 ? hop : peer
        }
        return hops.first.map { $0.count <= 45 ? $0 : peer } ?? peer
    }

    static func ipv4(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard let byte = UInt8(part) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }
}
