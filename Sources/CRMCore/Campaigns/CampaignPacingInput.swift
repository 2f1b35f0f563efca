import Foundation

/// A campaign's pacing as given by people — `crm campaigns create`'s options or the HTTP API's
/// fields, as text — checked, then laid over the provider's safe defaults.
package struct CampaignPacingInput: Sendable, Equatable {
    /// How the fields are named in errors: `--batch-pause` on the command line, `batchPause` in JSON.
    package enum Naming: Sendable {
        case options, fields

        func name(_ field: String) -> String {
            switch self {
            case .fields: field
            case .options: "--" + field.map { $0.isUppercase ? "-" + $0.lowercased() : String($0) }.joined()
            }
        }
    }

    package var rate: String?
    package var batchSize: Int?
    package var batchPause: String?
    package var jitter: String?
    package var window: String?

    package init(rate: String? = nil, batchSize: Int? = nil, batchPause: String? = nil, jitter: String? = nil, window: String? = nil) {
        self.rate = rate
        self.batchSize = batchSize
        self.batchPause = batchPause
        self.jitter = jitter
        self.window = window
    }

    /// Batches take a size and a pause together; a size of 0 alone turns them off.
    package func validate(_ naming: Naming) throws {
        let size = naming.name("batchSize"), pause = naming.name("batchPause")
        if let batchSize, batchSize < 0 { throw CRMError.invalidInput("\(size) must be 0 (no batches) or more.") }
        if (batchSize ?? 0 > 0) != (batchPause != nil) {
            throw CRMError.invalidInput("Give \(size) N and \(pause) DURATION together (\(size) 0 alone: no batch pauses).")
        }
    }

    /// The provider's safe defaults, with what was given instead.
    package func pacing(for provider: ProviderKind, _ naming: Naming) throws -> CampaignPacing {
        try validate(naming)
        var pacing = CampaignPacing.defaults(for: provider)
        if let rate { pacing.rate = try SendRate(parsing: rate) }
        if batchSize == 0 {
            pacing.batchSize = nil
            pacing.batchPause = .zero
        } else if let batchSize, let batchPause {
            pacing.batchSize = batchSize
            pacing.batchPause = .seconds(try DurationText.seconds(batchPause, option: naming.name("batchPause")))
        }
        if let jitter {
            let trimmed = jitter.trimmingCharacters(in: .whitespaces)
            pacing.jitter = trimmed == "0" || trimmed == "0s" ? .zero : .seconds(try DurationText.seconds(jitter, option: naming.name("jitter")))
        }
        if let window { pacing.window = try SendWindow(parsing: window) }
        if pacing.rate.isUnlimited { pacing.jitter = .zero }
        return pacing
    }
}
