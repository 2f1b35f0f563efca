import CRMCore
import CRMTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `crm demo`: the built binary runs the whole product on loopback and leaves nothing behind.
@Suite("crm demo")
struct DemoCommandTests {
    /// A data folder, and a TMPDIR of its own so that the demo's temporary folder can be looked for afterwards.
    struct Scratch {
        let cli: CLIRunner
        let temporary: URL

        init() throws {
            let folder = try TestDatabases.temporaryFolder()
            temporary = folder.appendingPathComponent("tmp")
            try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
            cli = CLIRunner(dataFolder: folder, extra: ["TMPDIR": temporary.path])
        }

        /// What the demo left in TMPDIR.
        func leftovers() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: temporary.path)
        }
    }

    static let steps = [
        "Temporary database created", "Provider simulator and listener started", "Unit 'Demo' created",
        "WhatsApp instance crm-demo created at the provider", "Scan simulated: connected as +55 11 9****-4321",
        "Message sent → delivered → read", "Inbound reply stored", "crm stats --unit demo", "Done in",
    ]

    @Test("exits 0 having told each step, the message read; no database, no port, no process left")
    func runs() async throws {
        let scratch = try Scratch()
        let result = try await scratch.cli.run(["demo"], timeout: 120)
        #expect(result.status == 0, "\(result)")
        var position = result.stdout.startIndex
        for step in Self.steps {
            let found = result.stdout.range(of: step, range: position..<result.stdout.endIndex)
            #expect(found != nil, "'\(step)' missing or out of order:\n\(result.stdout)")
            position = found?.upperBound ?? position
        }
        #expect(result.stdout.contains("status read (sent "), "\(result.stdout)")
        #expect(result.stdout.contains("shared with the message sent"), "the reply is in the conversation of the message")
        #expect(result.stdout.contains("Obrigada! Chegou certinho."))
        #expect(result.stdout.contains("the temporary database is removed"))
        // Not a terminal and NO_COLOR: the QR code in plain blocks, no escape sequence anywhere.
        #expect(!result.stdout.contains("\u{1B}["), "escape sequences off a terminal")
        #expect(result.stdout.split(separator: "\n").contains { $0.count > 20 && $0.allSatisfy { "█▀▄ ".contains($0) } }, "no QR drawing")
        for number in ["5511987654321", "5511998765432"] { #expect(!result.stdout.contains(number), "a whole phone number shown") }
        let leftovers = try scratch.leftovers()
        #expect(leftovers.isEmpty, "left in TMPDIR: \(leftovers)")
        let ports = Self.ports(in: result.stdout)
        #expect(ports.count == 2, "\(result.stdout)")
    }

    @Test("--keep: the database stays, and the printed commands show the read message and the reply")
    func keep() async throws {
        let scratch = try Scratch()
        let result = try await scratch.cli.run(["demo", "--keep"], timeout: 120)
        #expect(result.status == 0, "\(result)")
        let commands = result.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("crm ") }
        let list = try #require(commands.first { $0.hasPrefix("crm messages list") }, "\(result.stdout)")
        let arguments = list.split(separator: " ").dropFirst().map(String.init)
        let database = try #require(arguments.last)
        #expect(FileManager.default.fileExists(atPath: String(database.dropFirst("sqlite://".count))))
        #expect(commands.contains { $0.hasPrefix("crm stats --unit demo --database ") })
        #expect(commands.contains { $0.hasPrefix("crm conversations list --unit demo --database ") })

        let listed = try await scratch.cli.run(arguments + ["--json"])
        let messages = try #require(listed.json as? [[String: Any]], "\(listed)")
        #expect(messages.count == 2, "\(messages)")
        let outbound = try #require(messages.first { $0["direction"] as? String == "outbound" })
        #expect(outbound["status"] as? String == "read")
        for stamp in ["sentAt", "deliveredAt", "readAt"] { #expect(outbound["\(stamp)"] is String, "\(stamp): \(outbound)") }
        let inbound = try #require(messages.first { $0["direction"] as? String == "inbound" })
        #expect(inbound["status"] as? String == "received" && inbound["body"] as? String == "Obrigada! Chegou certinho.")
        #expect(outbound["conversationId"] as? String == inbound["conversationId"] as? String, "one conversation, both sides")
        let text = try await scratch.cli.run(arguments)
        #expect(text.status == 0 && text.stdout.contains("read") && text.stdout.contains("Obrigada!"), "\(text)")

        let stats = try #require(try await scratch.cli.run(["stats", "--unit", "demo", "--json", "--database", database]).json as? [String: Any])
        let counts = try #require(stats["messages"] as? [String: Any])
        #expect((counts["outbound"] as? [String: Int])?["read"] == 1 && (counts["outbound"] as? [String: Int])?["total"] == 1)
        #expect((counts["inbound"] as? [String: Int])?["received"] == 1)
        let webhooks = try #require(stats["webhooks"] as? [String: Any])
        #expect(webhooks["failed"] as? Int == 0 && webhooks["pending"] as? Int == 0 && (webhooks["applied"] as? Int ?? 0) >= 5, "\(webhooks)")
        let shown = result.stdout.firstMatch(of: /Webhooks received +(\d+)/).map { Int($0.output.1) }
        #expect(shown == webhooks["received"] as? Int, "the demo's stats agree with crm stats:\n\(result.stdout)")
        let shownRead = result.stdout.firstMatch(of: /Messages out +1 +queued 0 · sent 0 · delivered 0 · read (\d+)/).map { Int($0.output.1) }
        #expect(shownRead == 1, "\(result.stdout)")
    }

    @Test("--json: one summary document on stdout, the story on stderr")
    func json() async throws {
        let scratch = try Scratch()
        let result = try await scratch.cli.run(["demo", "--json"], timeout: 120)
        #expect(result.status == 0, "\(result)")
        let summary = try #require(result.json as? [String: Any], "stdout is not one JSON document: \(result.stdout)")
        #expect(summary["database"] is NSNull && (summary["commands"] as? [Any])?.isEmpty == true)
        #expect((summary["unit"] as? [String: Any])?["slug"] as? String == "demo")
        #expect((summary["connection"] as? [String: Any])?["phone"] as? String == "+55 11 9****-4321")
        let outbound = try #require(summary["outbound"] as? [String: Any])
        #expect(outbound["status"] as? String == "read" && outbound["contact"] as? String == "+55 11 9****-5432")
        #expect(outbound["readAt"] is String && outbound["clientMessageId"] as? String == "demo-pedido-4521")
        #expect((summary["inbound"] as? [String: Any])?["status"] as? String == "received")
        let stats = try #require(summary["stats"] as? [String: Any])
        #expect(((stats["messages"] as? [String: Any])?["outbound"] as? [String: Int])?["read"] == 1)
        #expect(result.stderr.contains("Message sent → delivered → read") && result.stderr.contains("Inbound reply stored"))
        #expect(try scratch.leftovers().isEmpty)
    }

    @Test("Ctrl-C mid-way: exit 1, servers stopped, database removed")
    func interrupted() async throws {
        let scratch = try Scratch()
        let demo = try BackgroundCLI(["demo", "--pace", "10"], environment: scratch.cli.environment)
        let reached = await demo.waitFor(seconds: 60) { $0.contains { $0.contains("Unit 'Demo' created") } }
        #expect(reached, "stdout: \(demo.stdout)\nstderr: \(demo.stderr)")
        let ports = Self.ports(in: demo.stdout)
        #expect(ports.count == 2, "\(demo.stdout)")
        let status = await demo.stop(signal: SIGINT, within: 30)
        #expect(status == 1, "stderr: \(demo.stderr)")
        #expect(demo.stderr.contains("Interrupted: the demo's servers are stopped and its temporary database is removed."), "\(demo.stderr)")
        #expect(!demo.stdout.contains("Message sent"), "the demo went on after Ctrl-C")
        let leftovers = try scratch.leftovers()
        #expect(leftovers.isEmpty, "left in TMPDIR: \(leftovers)")
    }

    @Test("on a terminal the QR code is drawn in ANSI black-on-white blocks that form a QR symbol (tmux)")
    func terminalDrawing() async throws {
        let scratch = try Scratch()
        let command = [CLIRunner.binary.path, "demo"].map(TerminalSession.quote).joined(separator: " ")
        var environment = scratch.cli.environment.filter { ["XDG_DATA_HOME", "HOME", "PATH", "TMPDIR"].contains($0.key) }
        environment["NO_COLOR"] = ""  // colours on, whatever the test runner's environment says
        let terminal = try TerminalSession(command: command, environment: environment)
        let final = try await terminal.waitFor("[exit ", timeout: 120)
        #expect(final.contains("[exit 0]"), "\(final)")
        let transcript = try terminal.transcript()
        #expect(transcript.contains("Scan simulated: connected as +55 11 9****-4321"), "\(transcript)")
        #expect(!transcript.contains("Scan it in WhatsApp"), "the status line under the QR was appended, not rewritten")
        let grid = try #require(QRGrid(transcript: transcript), "no QR drawing in:\n\(transcript)")
        #expect(grid.hasFinderPatterns, "the drawing is not a QR symbol (dark modules inked):\n\(grid.rows.joined(separator: "\n"))")
        let coloured = try terminal.transcript(escapes: true)
        #expect(coloured.contains("\u{1B}[30;47m") || coloured.contains("\u{1B}[30m\u{1B}[47m"), "no black-on-white escape")
        #expect(try scratch.leftovers().isEmpty)
    }

    /// The two loopback ports the demo printed (simulator and listener). Whether they are closed
    /// afterwards is not checked: the servers run inside the demo's process, so its exit closes
    /// them, and a connection test after it could only meet another test's server given the same
    /// free port (which failed a full run once).
    static func ports(in text: String) -> [Int32] {
        let pattern = /http:\/\/127\.0\.0\.1:(\d+)/
        return Array(Set(text.matches(of: pattern).compactMap { Int32($0.output.1) })).sorted()
    }
}

/// The modules of a QR code read back from its terminal drawing in ANSI style, where a drawn
/// half block is a dark module and the quiet zone is blank.
struct QRGrid {
    /// "#" dark, "." light, one string per module row, quiet zone removed.
    let rows: [String]

    init?(transcript: String) {
        let isDrawing = { (line: Substring) in line.allSatisfy { "█▀▄ ".contains($0) } && line.contains { $0 != " " } }
        let lines = transcript.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.firstIndex(where: isDrawing) else { return nil }
        let drawing = lines[first...].prefix(while: isDrawing)
        let indent = drawing.map { $0.prefix(while: { $0 == " " }).count }.min() ?? 0
        let width = drawing.map(\.count).max() ?? 0
        var rows: [String] = []
        for line in drawing {
            let cells = Array(line.dropFirst(indent)) + Array(repeating: " ", count: width - line.count)
            rows.append(String(cells.map { "█▀".contains($0) ? "#" : "." }))
            rows.append(String(cells.map { "█▄".contains($0) ? "#" : "." }))
        }
        while let last = rows.last, !last.contains("#") { rows.removeLast() }
        let size = (rows.map { row in row.lastIndex(of: "#").map { row.distance(from: row.startIndex, to: $0) } ?? -1 }.max() ?? -1) + 1
        self.rows = rows.map { String($0.prefix(size)) }
    }

    /// The three 7×7 finder patterns at the corners, in a square of a QR size (17 + 4 × version).
    var hasFinderPatterns: Bool {
        let size = rows.count
        guard size >= 21, (size - 17) % 4 == 0, rows.allSatisfy({ $0.count == size }) else { return false }
        let finder = ["#######", "#.....#", "#.###.#", "#.###.#", "#.###.#", "#.....#", "#######"]
        func matches(row: Int, column: Int) -> Bool {
            (0..<7).allSatisfy { r in
                let line = Array(rows[row + r])
                return String(line[column..<column + 7]) == finder[r]
            }
        }
        return matches(row: 0, column: 0) && matches(row: 0, column: size - 7) && matches(row: size - 7, column: 0)
    }
}
