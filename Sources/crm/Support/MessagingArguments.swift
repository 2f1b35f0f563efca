import ArgumentParser
import CRMCore
import Foundation

/// The messaging commands' option values, parsed in `run()` so that a bad value gets one line and a
/// documented exit code (65; 64 for an out-of-range --limit, like other ranges), not a usage dump.
enum MessagingArguments {
    static let directionNames = ["in", "out"]
    static let statusNames = MessageState.allCases.map(\.rawValue)

    /// "in" or "out" (also "inbound", "outbound").
    static func direction(_ text: String) throws -> MessageDirection {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "in", "inbound": return .inbound
        case "out", "outbound": return .outbound
        default: throw CRMError.invalidInput("Unknown --direction '\(text.prefix(40))': use in or out.")
        }
    }

    static func status(_ text: String) throws -> MessageState {
        guard let state = MessageState(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw CRMError.invalidInput(
                "Unknown --status '\(text.prefix(40))': use \(statusNames.dropLast().joined(separator: ", ")) or \(statusNames.last!)."
            )
        }
        return state
    }

    static func limit(_ value: Int, range: ClosedRange<Int> = 1...1000) throws -> Int {
        guard range.contains(value) else {
            throw ValidationError("--limit must be between \(range.lowerBound) and \(range.upperBound).")
        }
        return value
    }

    /// The digits of a phone given to --contact ("+55 (11) 99876-5432" → "5511998765432").
    static func phone(_ text: String) throws -> String {
        do {
            return try PhoneInput.digits(text)
        } catch let error as CRMError {
            throw CRMError.invalidInput("--contact: \(error.message)")
        }
    }
}
