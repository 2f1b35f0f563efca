import CRMTestSupport
import Foundation
import Testing

/// The docs' examples marked `sh runnable` run as written, with the built `crm`, against a scratch
/// SQLite database: each file's blocks in order in one folder, each block in `bash -euo pipefail`.
@Suite("Runnable examples in the docs")
struct RunnableDocsTests {
    /// The files that have runnable blocks; the test below runs each one's blocks.
    static let filesWithBlocks: [String] = RunnableDocs.files().filter { file in
        ((try? RunnableDocs.blocks(inFile: file)) ?? []).isEmpty == false
    }

    @Test("Every runnable block exits 0", arguments: filesWithBlocks)
    func run(file: String) async throws {
        let folder = try TestDatabases.temporaryFolder()
        let environment = Self.environment(folder: folder)
        for (index, block) in try RunnableDocs.blocks(inFile: file).enumerated() {
            let script = folder.appendingPathComponent("block-\(index + 1).sh")
            try """
                cd \(Self.quoted(folder.path))
                [ "$(command -v crm)" = \(Self.quoted(CLIRunner.binary.path)) ] || { echo "crm on PATH is not the built binary" >&2; exit 97; }
                set -euo pipefail
                \(block.script)

                """.write(to: script, atomically: true, encoding: .utf8)
            let result = try await RepositoryFiles.run("/bin/bash", [script.path], environment: environment, seconds: 120)
            let status = result.status.map(String.init) ?? "nothing after 120 s"
            #expect(result.status == 0, "\(block) exited \(status):\n\(block.script)\n--- output\n\(result.output)")
            if result.status != 0 { return }  // the next blocks may rely on this one
        }
    }

    @Test("The operator docs keep runnable examples (the marker is found)")
    func present() throws {
        let counts = Dictionary(uniqueKeysWithValues: try RunnableDocs.files().map { ($0, try RunnableDocs.blocks(inFile: $0).count) })
        #expect((counts["docs/operations.md"] ?? 0) >= 4, "\(counts)")
        #expect((counts["docs/deploy.md"] ?? 0) >= 1, "\(counts)")
        #expect(Self.filesWithBlocks.contains("docs/operations.md"))
    }

    @Test("Fences: only shell blocks marked runnable, whatever their indentation, closed by the same fence")
    func parsing() {
        let markdown = """
            Text.

            ```sh runnable
            crm units list
            ```

            ```sh
            crm not-run
            ```

            - In a list:

              ```bash runnable
              crm stats
              ```

            ````markdown
            ```sh runnable
            crm shown-not-run
            ```
            ````

            ```python runnable
            print("not a shell")
            ```

            ~~~sh runnable
            crm db status
            echo '```'
            ~~~
            """
        let blocks = RunnableDocs.blocks(in: markdown, file: "x.md")
        #expect(blocks.map(\.line) == [3, 13, 27])
        #expect(blocks.map(\.script) == ["crm units list", "  crm stats", "crm db status\necho '```'"])
    }

    /// The runner's environment (no inherited database, keys or provider settings), the scratch
    /// database, and the built binary first on PATH.
    static func environment(folder: URL) -> [String: String] {
        var environment = CLIRunner(dataFolder: folder).environment
        for key in [
            "CRM_SECRET_KEY", "CRM_SECRET_KEY_PREVIOUS", "BASE_URL", "EVOLUTION_API_URL", "EVOLUTION_API_KEY", "HOST", "PORT",
            "CRM_DB_POOL_SIZE", "CRM_PROVIDER_TIMEOUT", "CRM_TEST_POSTGRES_URL", "CRM_BINARY",
        ] {
            environment.removeValue(forKey: key)
        }
        environment["CRM_DATABASE_URL"] = "sqlite://" + folder.appendingPathComponent("crm.sqlite").path
        environment["PATH"] = CLIRunner.binary.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        return environment
    }

    /// A single-quoted shell word.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
