import CReadline
import Foundation

/// The console's history: `console_history` in crm's data folder (next to the default SQLite
/// database), private to its owner, its last 1,000 lines. Each line is appended as it is
/// entered, so that a session that ends badly keeps what it ran.
///
/// Lines that would put a secret in the file (an option named like a token, a secret or a
/// password: `--access-token X`) and lines that start with a blank are kept out of it, as
/// bash's `ignorespace` does.
struct ConsoleHistory {
    static let limit: Int32 = 1_000
    static let fileName = "console_history"

    let path: String

    /// The history file of this user's data folder; nil when there is no data folder (no HOME).
    static func inDataFolder(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> ConsoleHistory? {
        guard let database = try? DatabaseResolver.defaultPath(environment) else { return nil }
        let folder = (database as NSString).deletingLastPathComponent
        return ConsoleHistory(path: folder + "/" + fileName)
    }

    /// Reads the file into readline's history (creating the folder and an empty file, mode 0600, if needed).
    func load() {
        using_history()
        stifle_history(Self.limit)
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        if descriptor >= 0 { close(descriptor) }
        history_truncate_file(path, Self.limit)
        read_history(path)
    }

    /// Adds an entered line, unless it is empty, repeats the previous one or should stay out.
    func add(_ line: String) {
        guard Self.keeps(line) else { return }
        if let last = crm_history_last(), String(cString: last) == line { return }
        add_history(line)
        append_history(1, path)
    }

    /// Whether a line belongs in the history file.
    static func keeps(_ line: String) -> Bool {
        guard let first = line.first, !first.isWhitespace else { return false }
        let words = ConsoleLineSplitter.splitForCompletion(line)
        return !(words.words + [words.partial]).contains { word in
            guard word.hasPrefix("--"), !word.hasSuffix("-stdin") else { return false }
            let name = word.lowercased()
            return ["token", "secret", "password"].contains { name.contains($0) }
        }
    }
}
