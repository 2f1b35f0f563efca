@testable import CRMCore
import Foundation
import Testing

/// Pacing as people give it (the CLI's options, the API's fields), over the provider's defaults.
@Suite("Campaign pacing input")
struct CampaignPacingInputTests {
    @Test("nothing given: the provider's safe defaults; given values replace them; unlimited drops the jitter")
    func overDefaults() throws {
        #expect(try CampaignPacingInput().pacing(for: .evolution, .fields) == CampaignPacing.defaults(for: .evolution))
        #expect(try CampaignPacingInput().pacing(for: .meta, .fields) == CampaignPacing.defaults(for: .meta))
        let given = try CampaignPacingInput(rate: "30/min", batchSize: 50, batchPause: "2m", jitter: "0", window: "09:00-18:00")
            .pacing(for: .evolution, .fields)
        #expect(given.rate.description == "30/min" && given.batchSize == 50 && given.batchPause == .seconds(120) && given.jitter == .zero)
        #expect(given.window?.description == "09:00-18:00")
        let off = try CampaignPacingInput(batchSize: 0).pacing(for: .zapi, .fields)
        #expect(off.batchSize == nil && off.batchPause == .zero)
        #expect(try CampaignPacingInput(rate: "unlimited", jitter: "5s").pacing(for: .evolution, .fields).jitter == .zero)
    }

    @Test("errors name the option on the command line and the field in JSON")
    func naming() throws {
        let half = CampaignPacingInput(batchSize: 10)
        #expect(throws: CRMError.self) { try half.pacing(for: .evolution, .options) }
        #expect(message { try half.validate(.options) }.contains("--batch-size N and --batch-pause DURATION"))
        #expect(message { try half.validate(.fields) }.contains("batchSize N and batchPause DURATION"))
        #expect(message { try CampaignPacingInput(batchSize: 5, batchPause: "soon").validate(.fields) } == "")
        #expect(message { _ = try CampaignPacingInput(batchSize: 5, batchPause: "soon").pacing(for: .evolution, .fields) }
            .hasPrefix("batchPause 'soon' is not a duration"))
        #expect(message { _ = try CampaignPacingInput(jitter: "x").pacing(for: .evolution, .options) }.hasPrefix("--jitter 'x'"))
        #expect(message { try CampaignPacingInput(batchSize: -1).validate(.fields) }.hasPrefix("batchSize must be 0"))
    }

    private func message(_ body: () throws -> Void) -> String {
        do {
            try body()
            return ""
        } catch {
            return (error as? CRMError)?.message ?? "\(error)"
        }
    }
}
