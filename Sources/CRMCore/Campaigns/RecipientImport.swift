import Foundation

/// Turns the rows of a recipients file (a CSV's header and records) into campaign recipients:
/// each phone normalized with the unit's default country, invalid ones set aside with their line,
/// the same person twice collapsed into the first row. The file format itself is read elsewhere;
/// this is the part with the rules.
package struct RecipientImport: Sendable {
    package struct Recipient: Sendable, Equatable {
        /// Digits with the country code.
        package var phone: String
        package var name: String?
        /// Every column of the row by lowercase header (for the text's variables), blank cells left out.
        package var variables: [String: String]
        /// The line of the file the row starts on (the header is line 1).
        package var line: Int
    }

    package struct Rejected: Sendable, Equatable {
        package var line: Int
        package var reason: String
    }

    /// The headers a phone column may have, in order of preference, and a name column's.
    package static let phoneHeaders = ["phone", "telefone", "whatsapp", "celular", "phone_number", "numero"]
    package static let nameHeaders = ["name", "nome"]

    package private(set) var recipients: [Recipient] = []
    package private(set) var rejected: [Rejected] = []
    /// Rows for a phone already seen (collapsed into the first).
    package private(set) var duplicates = 0

    private let columns: [String]
    private let phoneIndex: Int
    private let nameIndex: Int?
    private let defaultCountryCode: String
    private var seen: Set<String> = []

    /// `phoneColumn` names the phone column when it has none of the usual headers.
    package init(header: [String], phoneColumn: String? = nil, defaultCountryCode: String) throws {
        let columns = header.map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }
        let wanted = phoneColumn.map { [$0.trimmingCharacters(in: .whitespaces).lowercased()] } ?? Self.phoneHeaders
        guard let phoneIndex = wanted.lazy.compactMap({ columns.firstIndex(of: $0) }).first else {
            let shown = columns.prefix(10).map { "'\($0)'" }.joined(separator: ", ")
            throw CRMError.invalidInput(phoneColumn == nil
                ? "The file has no phone column (its header has \(shown)): name it phone, telefone or whatsapp, or give --phone-column."
                : "The file has no column '\(phoneColumn!.prefix(40))' (its header has \(shown)).")
        }
        self.columns = columns
        self.phoneIndex = phoneIndex
        nameIndex = Self.nameHeaders.lazy.compactMap { columns.firstIndex(of: $0) }.first
        self.defaultCountryCode = defaultCountryCode
    }

    /// Adds one record, which starts on `line` of the file.
    package mutating func add(_ fields: [String], line: Int) {
        let raw = phoneIndex < fields.count ? fields[phoneIndex].trimming(.whitespacesAndNewlines) : ""
        guard !raw.isEmpty else {
            rejected.append(Rejected(line: line, reason: "no phone number"))
            return
        }
        guard let phone = try? PhoneNumberNormalizer.normalize(raw, defaultCountryCode: defaultCountryCode) else {
            rejected.append(Rejected(line: line, reason: "'\(Masking.phone(String(raw.prefix(30))))' is not a phone number"))
            return
        }
        guard seen.insert(phone).inserted else {
            duplicates += 1
            return
        }
        var variables = [String: String](minimumCapacity: columns.count + 1)
        for (index, column) in columns.enumerated() where index < fields.count && !column.isEmpty {
            let value = fields[index].trimming(.whitespacesAndNewlines)
            if !value.isEmpty, variables[column] == nil { variables[column] = value }
        }
        let name = nameIndex.flatMap { $0 < fields.count ? fields[$0].trimming(.whitespacesAndNewlines) : nil }
        if let name, !name.isEmpty { variables["name"] = name }
        recipients.append(Recipient(phone: phone, name: name?.isEmpty == false ? name : nil, variables: variables, line: line))
    }

    /// The recipients the template cannot be written for (a variable without a value or default),
    /// at most `limit` of them, in file order: create refuses the campaign and lists them.
    package func unrenderable(with template: TextTemplate, limit: Int = 5) -> [(line: Int, missing: [String])] {
        var found: [(line: Int, missing: [String])] = []
        for recipient in recipients {
            do {
                _ = try template.render(recipient.variables)
            } catch {
                found.append((recipient.line, error.names))
                if found.count == limit { break }
            }
        }
        return found
    }
}
