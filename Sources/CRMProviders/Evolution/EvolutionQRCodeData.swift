/// `qrcode.updated` data: either a new code `{qrcode: {code, pairingCode, base64}}`, or, once
/// QRCODE_LIMIT codes went unscanned, `{message, statusCode: 500}` (followed by a
/// `connection.update` `refused`).
enum EvolutionQRCodeData: Decodable {
    case code(qr: String, pairingCode: String?)
    case limitReached(statusCode: Int?)

    private enum CodingKeys: String, CodingKey {
        case qrcode, statusCode
    }

    private struct QRCode: Decodable {
        let code: String
        let pairingCode: String?
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.qrcode) {
            let qrcode = try container.decode(QRCode.self, forKey: .qrcode)
            guard !qrcode.code.isEmpty else {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: container.codingPath + [CodingKeys.qrcode, PathKey("code")],
                    debugDescription: "empty QR code string"
                ))
            }
            self = .code(qr: qrcode.code, pairingCode: MessageContent.optionalText(qrcode.pairingCode))
        } else if container.contains(.statusCode) {
            self = .limitReached(statusCode: try container.decodeIfPresent(Int.self, forKey: .statusCode))
        } else {
            throw DecodingError.keyNotFound(
                CodingKeys.qrcode,
                .init(codingPath: container.codingPath, debugDescription: "no QR code and no status")
            )
        }
    }
}
