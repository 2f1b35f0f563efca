import CRMCore
import Foundation
import HTTPTypes
import Hummingbird

/// `POST /api/campaigns`: `crm campaigns create` over HTTP, through the same use case. The
/// recipients are a list like a CSV file's rows (a phone, a name, variables) or every contact of
/// the unit; invalid numbers are left out and reported by index (`strict` refuses instead), the
/// same number twice is one recipient, opted-out contacts are left out and counted. A recipient
/// the text cannot be written for refuses the whole campaign (422, naming the first ones): nothing
/// is stored.
extension CampaignRoutes {
    /// Campaign bodies carry their recipients: larger than the API's other bodies.
    static let maxCreateBodyBytes = 8 << 20

    struct CreateBody: Decodable {
        struct Recipient: Decodable {
            var phone: String
            var name: String?
            var variables: [String: String]?
        }

        var unitId: String?
        var name: String
        var text: String
        var recipients: [Recipient]?
        var allContacts: Bool?
        var strict: Bool?
        var rate: String?
        var batchSize: Int?
        var batchPause: String?
        var jitter: String?
        var window: String?
    }

    struct Created: Encodable {
        struct Rejection: Encodable {
            /// The recipient's position in the request's `recipients` (from 0).
            var index: Int
            var reason: String
        }

        var campaign: CampaignView
        var recipients: Int
        var optedOut: Int
        var invalid: [Rejection]
        var duplicates: Int
        var contactsCreated: Int
    }

    func create(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let principal = try await api.principal(of: request)
        let body = try await APIJSON.decode(CreateBody.self, from: request, limit: Self.maxCreateBodyBytes)
        let unit = try await api.unit(body.unitId, for: principal, action: .manageCampaigns)
        guard !body.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw Self.invalid("The field 'text' is empty.") }
        let allContacts = body.allContacts ?? false
        guard allContacts != (body.recipients != nil) else {
            throw APIError.invalidRequest("Give the recipients: either 'recipients' (a list of {\"phone\"}) or 'allContacts': true.")
        }
        var recipients = CampaignCreationService.Recipients.allContacts
        var rejected: [Created.Rejection] = []
        var duplicates = 0
        if let listed = body.recipients {
            guard !listed.isEmpty else { throw Self.invalid("The list 'recipients' is empty: give at least one phone number.") }
            let rows = try Self.rows(listed, defaultCountryCode: unit.defaultCountryCode)
            rejected = rows.rejected.map { Created.Rejection(index: $0.line, reason: $0.reason) }
            if body.strict ?? false, !rejected.isEmpty {
                let shown = rejected.prefix(5).map { "recipients[\($0.index)]: \($0.reason)" }.joined(separator: "; ")
                throw Self.invalid("\(rejected.count) recipient(s) have an invalid phone number (\(shown)): fix them, or leave out "
                    + "'strict' to skip them. Nothing was created.", code: "invalid_phone")
            }
            duplicates = rows.duplicates
            let candidates = rows.recipients.map {
                CampaignCreation.Candidate(phone: $0.phone, name: $0.name, variables: $0.variables, origin: "recipients[\($0.line)]")
            }
            guard !candidates.isEmpty else {
                throw Self.invalid("No recipient has a valid phone number (\(rejected.prefix(5).map { "recipients[\($0.index)]: \($0.reason)" }.joined(separator: "; "))): "
                    + "give numbers with their country code, such as +55 11 99876-5432. Nothing was created.", code: "invalid_phone")
            }
            recipients = .listed(candidates, namesFromContacts: true)
        }
        let pacing = CampaignPacingInput(
            rate: body.rate, batchSize: body.batchSize, batchPause: body.batchPause, jitter: body.jitter, window: body.window)
        let created: CampaignCreated
        do {
            created = try await CampaignCreationService(store: api.store).create(CampaignCreationService.Request(
                unit: unit, name: body.name, text: body.text, recipients: recipients, pacing: pacing, naming: .fields,
                createdBy: principal.userId)).created
        } catch let error as CRMError where error.kind == .invalidInput {
            throw Self.invalid(error.apiMessage ?? error.message)
        }
        let funnel = try await api.store.campaignFunnel(id: created.campaign.id)
        let answer = Created(
            campaign: CampaignView(created.campaign, unitSlug: unit.slug, funnel: funnel), recipients: created.recipients,
            optedOut: created.optedOut, invalid: rejected, duplicates: duplicates, contactsCreated: created.contactsCreated)
        var response = Response.apiJSON(answer, status: .created)
        response.headers[.location] = "/api/campaigns/\(created.campaign.id.text)"
        return response
    }

    /// The listed recipients read as a recipients file's rows (`RecipientImport`'s rules): a
    /// header of phone, name and every variable, one record per recipient, its index as its line.
    static func rows(_ listed: [CreateBody.Recipient], defaultCountryCode: String) throws -> RecipientImport {
        var keys: [String] = []
        var seen: Set<String> = ["phone", "name"]
        for recipient in listed {
            for key in (recipient.variables ?? [:]).keys.sorted() where seen.insert(key.lowercased()).inserted { keys.append(key.lowercased()) }
        }
        var rows = try RecipientImport(header: ["phone", "name"] + keys, defaultCountryCode: defaultCountryCode)
        for (index, recipient) in listed.enumerated() {
            let variables = Dictionary((recipient.variables ?? [:]).map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
            rows.add([recipient.phone, recipient.name ?? ""] + keys.map { variables[$0] ?? "" }, line: index)
        }
        return rows
    }

    /// A campaign the use case refused: what to fix, and that nothing was stored.
    static func invalid(_ message: String, code: String = "invalid_campaign") -> APIError {
        APIError(.unprocessableContent, code, message)
    }
}
