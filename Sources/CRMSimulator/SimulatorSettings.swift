/// How the simulated phone behaves; set at start and changed live with `POST /_simulator/settings`.
package struct SimulatorSettings: Sendable, Hashable {
    /// Pair a new instance this many seconds after its first QR, as if someone scanned it;
    /// `nil` waits for `POST /_simulator/instances/{name}/scan`.
    package var autoPairAfterSeconds: Double?
    /// Rotate the QR of an unpaired instance this often (Evolution/WhatsApp: about 20 s); `nil` never.
    package var qrRotationSeconds: Double?
    /// Pause between `send.message` and each receipt (server ack, delivered, read); 0 for benchmarks.
    package var ackDelayMs: Int
    /// Numbers (digits) that "are not on WhatsApp": sends to them fail with Evolution's `exists: false` body.
    package var numbersNotOnWhatsApp: Set<String>
    /// Whether a send also produces the READ receipt (a recipient who never opens it: set false).
    package var sendsReadReceipt: Bool
    /// The share of send calls (0…1) answered with a 500 before anything is sent: a flaky gateway.
    package var sendFailureRate: Double

    package init(
        autoPairAfterSeconds: Double? = nil,
        qrRotationSeconds: Double? = nil,
        ackDelayMs: Int = 0,
        numbersNotOnWhatsApp: Set<String> = [],
        sendsReadReceipt: Bool = true,
        sendFailureRate: Double = 0
    ) {
        self.autoPairAfterSeconds = autoPairAfterSeconds
        self.qrRotationSeconds = qrRotationSeconds
        self.ackDelayMs = ackDelayMs
        self.numbersNotOnWhatsApp = numbersNotOnWhatsApp
        self.sendsReadReceipt = sendsReadReceipt
        self.sendFailureRate = min(1, max(0, sendFailureRate))
    }

    /// The settings as the control surface shows them.
    var json: JSONValue {
        [
            "autoPairAfterSeconds": autoPairAfterSeconds.map(JSONValue.double) ?? .null,
            "qrRotationSeconds": qrRotationSeconds.map(JSONValue.double) ?? .null,
            "ackDelayMs": .int(ackDelayMs),
            "numbersNotOnWhatsApp": .array(numbersNotOnWhatsApp.sorted().map(JSONValue.string)),
            "sendsReadReceipt": .bool(sendsReadReceipt),
            "sendFailureRate": .double(sendFailureRate),
        ]
    }

    /// Applies the keys present in a control request; absent keys keep their value, `null` clears a timer.
    mutating func apply(_ body: JSONValue) {
        if let value = body["autoPairAfterSeconds"] { autoPairAfterSeconds = value.secondsValue }
        if let value = body["qrRotationSeconds"] { qrRotationSeconds = value.secondsValue }
        if let value = body["ackDelayMs"]?.intValue { ackDelayMs = max(0, value) }
        if let values = body["numbersNotOnWhatsApp"]?.arrayValue {
            numbersNotOnWhatsApp = Set(values.compactMap { $0.stringValue.map(PhoneNumber.digits) })
        }
        if let value = body["sendsReadReceipt"]?.boolValue { sendsReadReceipt = value }
        if let value = body["sendFailureRate"] {
            let rate: Double? = switch value {
            case .int(let i): Double(i)
            case .double(let d): d
            default: nil
            }
            if let rate { sendFailureRate = min(1, max(0, rate)) }
        }
    }
}

extension JSONValue {
    /// A positive number of seconds, or `nil` (absent, null, zero or negative: "off").
    var secondsValue: Double? {
        let seconds: Double? = switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
        return seconds.flatMap { $0 > 0 ? $0 : nil }
    }
}
