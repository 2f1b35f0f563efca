import Foundation
import Testing

@testable import crm

@Suite("JSON dates")
struct JSONDateTests {
    @Test(arguments: [0.0, 1_790_000_000.999, 951_782_400, -86_400.5, 4_102_444_799])
    func matchesFoundation(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let reference = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: seconds.rounded(.down)))
        #expect(ISO8601.string(date) == reference)
    }
}
