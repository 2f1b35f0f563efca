import CRMTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `crm messages tail` as an operator runs it: in the background while messages arrive, then stopped.
@Suite("crm messages tail (end to end)")
struct MessagesTailCommandTests {
    @Test("--json: the latest messages oldest first, then a new one as it arrives; SIGTERM exits 0", arguments: TestDatabaseKind.available)
    func followsJSON(kind: TestDatabaseKind) async throws {
        let m = try await MessagingFixture.make(kind)
        let tail = try BackgroundCLI(
            ["messages", "tail", "--unit", "loja", "--json", "--database", m.f.databaseURL], environment: m.f.cli.environment)
        let backlog = await tail.waitFor { $0.count >= 4 }
        #expect(backlog, "stdout: \(tail.stdout)\nstderr: \(tail.stderr)")
        func ids(_ lines: [String]) -> [String] {
            lines.compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            }.compactMap { $0["id"] as? String }
        }
        #expect(ids(tail.lines) == m.newestFirst.reversed())

        // Another unit's message first, then loja's: only loja's may appear, after the backlog.
        let arrived = try await m.f.seed { seed in
            try await seed.message(m.stranger, body: "não é da loja", at: Date())
            return try await seed.message(m.maria, body: "chegou agora", at: Date())
        }
        let seen = await tail.waitFor { ids($0).contains(arrived.uuidString.lowercased()) }
        #expect(seen, "stdout: \(tail.stdout)\nstderr: \(tail.stderr)")
        #expect(ids(tail.lines) == m.newestFirst.reversed() + [arrived.uuidString.lowercased()])
        #expect(tail.lines.allSatisfy { !$0.contains("\n") && $0.hasPrefix("{") && $0.hasSuffix("}") })
        #expect(!tail.stdout.contains("não é da loja"))

        #expect(await tail.stop(signal: SIGTERM) == 0, "stderr: \(tail.stderr)")
        #expect(tail.stderr.isEmpty, "\(tail.stderr)")
    }

    @Test("text, one contact: a burst of new messages, each shown once; Ctrl-C exits 0", arguments: TestDatabaseKind.available)
    func followsContact(kind: TestDatabaseKind) async throws {
        let m = try await MessagingFixture.make(kind)
        let tail = try BackgroundCLI(
            ["messages", "tail", "--unit", "loja", "--contact", "+55 21 98765-4321", "--database", m.f.databaseURL],
            environment: m.f.cli.environment)
        #expect(await tail.waitFor { $0.count >= 2 }, "stdout: \(tail.stdout)\nstderr: \(tail.stderr)")
        #expect(tail.lines.count == 2 && tail.lines[0].contains("[image]") && tail.lines[1].contains("Promoção"))
        #expect(tail.lines.allSatisfy { $0.contains("+5521987654321 João") })

        // Several at the same instant (ties broken by id), and one for Maria that must not show.
        let instant = Date()
        try await m.f.seed { seed in
            try await seed.message(m.maria, body: "para a Maria", at: instant)
            for index in 1...5 { try await seed.message(m.joao, body: "rajada \(index)", at: instant) }
        }
        #expect(await tail.waitFor { $0.count >= 7 }, "stdout: \(tail.stdout)")
        try await Task.sleep(for: .milliseconds(1_500))  // another poll or more: nothing may repeat
        let burst = tail.lines.dropFirst(2)
        #expect(burst.count == 5, "\(tail.stdout)")
        #expect(Set(burst.compactMap { $0.firstMatch(of: /rajada (\d)/).map { String($0.1) } }) == ["1", "2", "3", "4", "5"])
        #expect(!tail.stdout.contains("para a Maria"))

        #expect(await tail.stop(signal: SIGINT) == 0, "stderr: \(tail.stderr)")
    }
}
