import CRMTestSupport
import Foundation
import Testing

@Suite("crm qr (end to end)")
struct QRCommandTests {
    let cli: CLIRunner

    init() throws {
        cli = CLIRunner(dataFolder: try TestDatabases.temporaryFolder())
    }

    @Test("an Evolution pairing code written as PNG decodes to the same text")
    func pngRoundTrip() async throws {
        let code = "2@SiUcJzrxuQOkdfXRYnOHcOLwUwvsNqXi70taAt8ZWEhK5D679278QNN2tflwh9oCqVMOdJ6tnOxAKj9AEEX+muny,"
            + "C/8UaKf/Zj5ahVYQLjnwdXUh+XwABV097GrpqdJiGVo=,Dz9gvAbWv1tzmWaB4dVKMt8qhdJw3sYdVZDtaov1LZM=,"
            + "KuB3Ss/4OoYgUUjJ+/QJMXbV/6vNyuLtERFWONTs7y4="
        let file = try TestDatabases.temporaryFolder().appendingPathComponent("code.png")
        let result = try await cli.run(["qr", "--format", "png", "--output", file.path, code])
        #expect(result.status == 0, "\(result)")
        #expect(try await decodePNG(file.path) == code)
    }

    @Test("text from stdin, drawn as plain UTF-8 that fits 80 columns")
    func stdinPlainText() async throws {
        let result = try await cli.run(["qr", "--format", "utf8", "-"], stdin: "olá, mundo ☕\n")
        #expect(result.status == 0, "\(result)")
        #expect(!result.stdout.contains("\u{1B}"))
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count > 10)
        #expect(lines.allSatisfy { $0.count <= 80 })
        #expect(Set(result.stdout).isSubset(of: Set(" ▀▄█\n")))
    }

    @Test("too much data is a clear error")
    func tooLong() async throws {
        let result = try await cli.run(["qr", "--format", "svg", String(repeating: "x", count: 3_000)])
        #expect(result.status == 65, "\(result)")
        #expect(result.stderr.contains("2,953"))
        #expect(result.stdout.isEmpty)
    }
}
