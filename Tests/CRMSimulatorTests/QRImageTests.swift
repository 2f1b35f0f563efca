import CRMTestSupport
import CRMSimulator
import Foundation
import Testing

/// The `base64` PNG the simulator sends beside each QR code is a real image of that code.
@Suite("Simulator QR images")
struct QRImageTests {
    @Test("connect's base64 PNG decodes (zbarimg) to its code")
    func base64DecodesToTheCode() async throws {
        try await SimulatorHarness.with { h in
            let created = try await h.createInstance("image-unit")
            let qrcode = try #require(created.json["qrcode"] as? [String: Any])
            let code = try #require(qrcode["code"] as? String)
            let dataURL = try #require(qrcode["base64"] as? String)
            let prefix = "data:image/png;base64,"
            #expect(dataURL.hasPrefix(prefix))
            let png = try #require(Data(base64Encoded: String(dataURL.dropFirst(prefix.count))))
            #expect(try await decodePNG(png) == code)
        }
    }
}
