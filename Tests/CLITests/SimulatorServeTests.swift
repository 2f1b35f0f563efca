import CRMTestSupport
import Foundation
import Testing

/// `crm simulator serve` as a person runs it: in the background, then pairing against it, then
/// stopped with SIGTERM.
@Suite("crm simulator serve (end to end)")
struct SimulatorServeTests {
    @Test("serves on the port it prints, pairs a unit, and stops cleanly on SIGTERM")
    func serveThenStop() async throws {
        let f = try await CLIFixture.make(.sqlite)
        #expect(try await f.crm("units", "create", "Loja").status == 0)
        let process = try ChildProcess(
            CLIRunner.binary.path, ["simulator", "serve", "--port", "0", "--api-key", "serve-test-key", "--ack-delay", "0"],
            environment: f.cli.environment, stdout: .pipe
        )
        let firstLine = try await Self.firstLine(of: process.standardOutput!)
        let match = try #require(firstLine.firstMatch(of: /listening on (http:\/\/127\.0\.0\.1:\d+)/), "\(firstLine)")
        let url = String(match.1)

        let environment = [
            "EVOLUTION_API_URL": url, "EVOLUTION_API_KEY": "serve-test-key", "BASE_URL": "https://crm.example.com",
            "CRM_SECRET_KEY": PairingFixture.secretKey,
        ]
        let connect = try await f.cli.run(["whatsapp", "connect", "--unit", "loja", "--no-wait", "--json", "--database", f.databaseURL],
                                          environment: environment)
        #expect(connect.status == 0, "\(connect)")
        #expect((connect.json as? [String: Any])?["qr"] is String)

        process.terminate()  // SIGTERM
        let status = await process.exitStatus(within: 15)
        if status == nil { process.send(SIGKILL) }
        #expect(status == 0, "crm simulator serve should exit 0 on SIGTERM")
    }

    /// The first line the process writes (read on a thread of its own).
    static func firstLine(of handle: FileHandle) async throws -> String {
        try await onOwnThread {
            var bytes: [UInt8] = []
            var byte: UInt8 = 0
            while read(handle.fileDescriptor, &byte, 1) == 1, byte != UInt8(ascii: "\n") { bytes.append(byte) }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
