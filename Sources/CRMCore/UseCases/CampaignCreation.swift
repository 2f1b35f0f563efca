import Foundation

/// Turns what `crm campaigns create` was given into a campaign to store: the name and text
/// checked, every recipient's text rendered. A recipient the text cannot be written for (a
/// variable it lacks, with no default) refuses the whole campaign, naming the first ones.
package enum CampaignCreation {
    /// A recipient before rendering, and where it came from for error messages ("line 12", "--to #2").
    package struct Candidate: Sendable, Equatable {
        package var phone: String
        package var name: String?
        package var variables: [String: String]
        package var origin: String

        package init(phone: String, name: String?, variables: [String: String], origin: String) {
            self.phone = phone
            self.name = name
            self.variables = variables
            self.origin = origin
        }
    }

    package static let maxBodyLength = 4_096

    /// The candidates of a recipients file, in file order.
    package static func candidates(from file: RecipientImport) -> [Candidate] {
        file.recipients.map { Candidate(phone: $0.phone, name: $0.name, variables: $0.variables, origin: "line \($0.line)") }
    }

    package static func prepare(
        unitId: UUID, name: String, text: String, candidates: [Candidate], pacing: CampaignPacing, createdBy: UUID? = nil, at date: Date
    ) throws -> NewCampaign {
        let name = try UnitSettings.validateName(name, what: "Campaign name")
        let source = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !source.isEmpty else { throw CRMError.invalidInput(
            "The campaign's text is empty: give --text or --text-file.", api: "The campaign's text is empty: give it in \"text\".") }
        guard source.count <= maxBodyLength else {
            throw CRMError.invalidInput("The campaign's text has \(source.count) characters: WhatsApp takes at most \(maxBodyLength).")
        }
        let template = try TextTemplate(source)
        guard !candidates.isEmpty else {
            throw CRMError.invalidInput(
                "The campaign has no recipients: give --to, --recipients-csv or --all-contacts.",
                api: "The campaign has no recipients: list them in \"recipients\", or set \"allContacts\": true.")
        }
        var recipients: [NewCampaign.Recipient] = []
        recipients.reserveCapacity(candidates.count)
        var unrenderable: [(origin: String, missing: [String])] = []
        var tooLong: [String] = []
        var seen = Set<String>()
        for candidate in candidates where seen.insert(candidate.phone).inserted {
            var values = candidate.variables
            if values["name"] == nil, let name = candidate.name { values["name"] = name }
            do {
                let body = try template.render(values)
                if body.count > maxBodyLength { tooLong.append(candidate.origin) }
                recipients.append(NewCampaign.Recipient(phone: candidate.phone, name: candidate.name, variables: candidate.variables, body: body))
            } catch {
                unrenderable.append((candidate.origin, error.names))
            }
        }
        if !unrenderable.isEmpty {
            let shown = unrenderable.prefix(5).map { "\($0.origin) has no \($0.missing.map { "{{\($0)}}" }.joined(separator: ", "))" }
            let more = unrenderable.count > 5 ? " and \(unrenderable.count - 5) more" : ""
            throw CRMError.invalidInput(
                "The text cannot be written for \(unrenderable.count) recipient(s): \(shown.joined(separator: "; "))\(more). "
                    + "Fill those values, or give a default such as {{name|cliente}}. Nothing was created.")
        }
        if !tooLong.isEmpty {
            throw CRMError.invalidInput(
                "The text is longer than \(maxBodyLength) characters once written for \(tooLong.prefix(5).joined(separator: ", "))"
                    + "\(tooLong.count > 5 ? " and \(tooLong.count - 5) more" : ""): shorten it. Nothing was created.")
        }
        return NewCampaign(
            unitId: unitId, name: name, bodyTemplate: source, pacing: pacing, createdBy: createdBy, createdAt: date, recipients: recipients)
    }
}
