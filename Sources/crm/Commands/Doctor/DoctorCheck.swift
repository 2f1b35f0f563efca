import Foundation

/// One finding of `crm doctor`: what was checked, how it went, and what to do about it.
struct DoctorCheck: Encodable, Sendable {
    enum Status: String, Encodable, Sendable {
        case ok, warning, failed, skipped
    }

    var name: String
    var status: Status
    var detail: String
    /// What to do; nil when there is nothing to do.
    var fix: String?

    static func ok(_ name: String, _ detail: String) -> Self { Self(name: name, status: .ok, detail: detail, fix: nil) }
    static func warning(_ name: String, _ detail: String, fix: String) -> Self { Self(name: name, status: .warning, detail: detail, fix: fix) }
    static func failed(_ name: String, _ detail: String, fix: String) -> Self { Self(name: name, status: .failed, detail: detail, fix: fix) }
    static func skipped(_ name: String, _ detail: String) -> Self { Self(name: name, status: .skipped, detail: detail, fix: nil) }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(status, forKey: .status)
        try container.encode(detail, forKey: .detail)
        try container.encode(fix, forKey: .fix)
    }

    enum CodingKeys: String, CodingKey { case name, status, detail, fix }
}
