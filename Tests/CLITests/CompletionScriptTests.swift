import CRMTestSupport
import Foundation
import Testing

@Suite("Shell completions")
struct CompletionScriptTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("completions/ matches what the binary generates (run scripts/generate-completions.sh)", arguments: [
        ("bash", "crm.bash"), ("zsh", "_crm"), ("fish", "crm.fish"),
    ])
    func current(shell: String, file: String) async throws {
        let generated = try await CLIRunner(dataFolder: try TestDatabases.temporaryFolder())
            .run(["--generate-completion-script", shell])
        #expect(generated.status == 0)
        let checkedIn = try String(contentsOf: Self.repository.appendingPathComponent("completions/\(file)"), encoding: .utf8)
        #expect(generated.stdout == checkedIn, "completions/\(file) is stale: run scripts/generate-completions.sh")
        #expect(checkedIn.contains("units") && checkedIn.contains("set-password"))
    }
}
