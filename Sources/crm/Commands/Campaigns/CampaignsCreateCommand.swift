import ArgumentParser
import CRMCore
import CRMStore
import Foundation

/// `crm campaigns create --unit UNIT --name NAME (--text T | --text-file F) (--to P… | --recipients-csv F | --all-contacts)`
struct CampaignsCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a campaign (a draft): its text, its recipients, its pacing.",
        discussion: """
            The text may use {{name}}, {{first_name}} and any column of the recipients file ({{city}}), with a \
            default after a bar: {{name|cliente}}. A recipient that lacks a variable with no default refuses the \
            whole campaign (exit 65), naming the first such rows: nothing is created.

            Recipients come from --to (repeat it), a CSV file (a header row with a phone, telefone or whatsapp \
            column, or --phone-column; comma or semicolon separated; UTF-8), or --all-contacts. Numbers are \
            normalized with the unit's country; invalid ones are reported by line and left out (--strict refuses \
            the file instead); the same number twice is one recipient. Contacts who opted out are left out and counted.

            Pacing defaults to what keeps the unit's number safe (docs/campaigns.md): on Evolution and Z-API \
            20/min with jitter and a pause every 100; on Meta 80/s. --rate unlimited sends as fast as the \
            provider answers (benchmarks, simulators).

            Examples:
              crm campaigns create --unit loja --name "Black Friday" --text "Oi {{first_name|cliente}}, 20% hoje!" --recipients-csv clientes.csv
              crm campaigns create --unit loja --name Aviso --text-file aviso.txt --all-contacts --window 09:00-18:00 --json
            """
    )

    @Option(help: "The unit's id or slug.")
    var unit: String

    @Option(help: "The campaign's name (1–200 characters).")
    var name: String

    @Option(help: "The text, with {{variables}}.")
    var text: String?

    @Option(help: "Read the text from this UTF-8 file.")
    var textFile: String?

    @Option(name: .customLong("to"), help: ArgumentHelp("A recipient's phone number; repeat for more.", valueName: "phone"))
    var phones: [String] = []

    @Option(help: ArgumentHelp("Recipients from this CSV file.", valueName: "file"))
    var recipientsCsv: String?

    @Option(help: ArgumentHelp("The CSV's phone column, when it is not phone, telefone or whatsapp.", valueName: "column"))
    var phoneColumn: String?

    @Flag(help: "Refuse the CSV file when any of its numbers is invalid, instead of leaving those rows out.")
    var strict = false

    @Flag(help: "Every contact of the unit with a phone number.")
    var allContacts = false

    @Option(help: ArgumentHelp("At most this many sends: N/s, N/min, N/h, or unlimited.", valueName: "rate"))
    var rate: String?

    @Option(help: ArgumentHelp("Pause after every N sends (with --batch-pause); 0: no batch pauses.", valueName: "n"))
    var batchSize: Int?

    @Option(help: ArgumentHelp("How long to pause between batches: 90s, 5m, 1h.", valueName: "duration"))
    var batchPause: String?

    @Option(help: ArgumentHelp("A random delay of up to this long inside each send's slot: 0, 2s, 1m.", valueName: "duration"))
    var jitter: String?

    @Option(help: ArgumentHelp("Send only between these times, in the unit's time zone: HH:MM-HH:MM.", valueName: "window"))
    var window: String?

    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var outputOptions: OutputOptions

    struct Result: Encodable {
        var campaign: CampaignView
        var recipients: Int
        var optedOut: Int
        var invalid: [Rejection]
        var duplicates: Int
        var contactsCreated: Int
    }

    struct Rejection: Encodable {
        var line: Int
        var reason: String
    }

    func validate() throws {
        if text != nil && textFile != nil { throw ValidationError("Give --text or --text-file, not both.") }
        if text == nil && textFile == nil { throw ValidationError("Give the campaign's text with --text or --text-file.") }
        let sources = [!phones.isEmpty, recipientsCsv != nil, allContacts].filter { $0 }.count
        if sources == 0 { throw ValidationError("Give the recipients: --to PHONE (repeatable), --recipients-csv FILE or --all-contacts.") }
        if sources > 1 { throw ValidationError("Give one source of recipients: --to, --recipients-csv or --all-contacts.") }
        if (phoneColumn != nil || strict) && recipientsCsv == nil { throw ValidationError("--phone-column and --strict go with --recipients-csv.") }
        if let batchSize, batchSize < 0 { throw ValidationError("--batch-size must be 0 (no batches) or more.") }
        if (batchSize ?? 0 > 0) != (batchPause != nil) {
            throw ValidationError("Give --batch-size N and --batch-pause DURATION together (--batch-size 0 alone: no batch pauses).")
        }
    }

    func run() async throws {
        let body = try readText()
        try await CommandContext.with(databaseOptions, outputOptions) { context in
            let unit = try await context.units.find(self.unit)
            var recipients = CampaignCreationService.Recipients.allContacts
            var rejected: [Rejection] = []
            var duplicates = 0
            if let recipientsCsv {
                let file = try RecipientsFile.read(recipientsCsv, phoneColumn: phoneColumn, defaultCountryCode: unit.defaultCountryCode)
                rejected = file.rejected.map { Rejection(line: $0.line, reason: $0.reason) }
                if strict && !rejected.isEmpty {
                    let shown = rejected.prefix(5).map { "line \($0.line): \($0.reason)" }.joined(separator: "; ")
                    throw CRMError.invalidInput("\(recipientsCsv) has \(rejected.count) invalid row(s) (\(shown)): fix them, or leave "
                        + "out --strict to skip them. Nothing was created.")
                }
                duplicates = file.duplicates
                recipients = .listed(CampaignCreation.candidates(from: file), namesFromContacts: false)
            } else if !allContacts {
                let candidates = try namedRecipients(unit: unit)
                duplicates = candidates.count - Set(candidates.map(\.phone)).count
                recipients = .listed(candidates, namesFromContacts: true)
            }
            let (created, pacing) = try await CampaignCreationService(store: context.store).create(CampaignCreationService.Request(
                unit: unit, name: name, text: body, recipients: recipients, pacing: pacingInput, naming: .options))
            let result = Result(
                campaign: CampaignView(created.campaign, unitSlug: unit.slug), recipients: created.recipients, optedOut: created.optedOut,
                invalid: rejected, duplicates: duplicates, contactsCreated: created.contactsCreated)
            if pacing.rate.isUnlimited {
                context.output.notice("warning: --rate unlimited sends as fast as the provider answers; WhatsApp may ban a number that does that")
            }
            try context.output.emit(result) {
                var lines = ["Created campaign \(created.campaign.id.text) \"\(created.campaign.name)\" (draft) for \(unit.slug): "
                    + "\(created.recipients) recipient(s)."]
                if created.optedOut > 0 { lines.append("Left out \(created.optedOut) contact(s) who opted out.") }
                if !rejected.isEmpty {
                    let shown = rejected.prefix(10).map { "line \($0.line) (\($0.reason))" }.joined(separator: ", ")
                    lines.append("Skipped \(rejected.count) invalid row(s): \(shown)\(rejected.count > 10 ? ", …" : "").")
                }
                if duplicates > 0 { lines.append("Collapsed \(duplicates) duplicate number(s).") }
                lines.append("Pacing: \(PacingView.text(pacing)).")
                lines.append("Send it with: crm campaigns dispatch \(created.campaign.id.text)")
                return lines.joined(separator: "\n")
            }
        }
    }

    /// The pacing options as given (laid over the provider's defaults by `CampaignPacingInput`).
    var pacingInput: CampaignPacingInput {
        CampaignPacingInput(rate: rate, batchSize: batchSize, batchPause: batchPause, jitter: jitter, window: window)
    }

    private func namedRecipients(unit: BusinessUnit) throws -> [CampaignCreation.Candidate] {
        try phones.enumerated().map { index, text in
            do {
                let phone = try PhoneNumberNormalizer.normalize(text, defaultCountryCode: unit.defaultCountryCode)
                return CampaignCreation.Candidate(phone: phone, name: nil, variables: [:], origin: "--to #\(index + 1)")
            } catch {
                throw CRMError.invalidInput("--to #\(index + 1) ('\(PhoneDisplay.masked(String(text.prefix(30))))') is not a phone number: "
                    + "give it with its country code, such as +55 11 99876-5432.")
            }
        }
    }

    private func readText() throws -> String {
        if let text { return text }
        guard let textFile, let data = FileManager.default.contents(atPath: textFile) else {
            throw CRMError.notFound("Cannot read \(textFile ?? "the text file"): check the path.")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw CRMError.invalidInput("\(textFile) is not UTF-8 text.") }
        return text
    }
}
