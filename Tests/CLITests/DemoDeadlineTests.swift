import CRMCore
import Testing

@testable import crm

/// The bound on each step of `crm demo`, and the commands it prints for a kept database.
@Suite("crm demo: step deadlines and printed commands")
struct DemoDeadlineTests {
    @Test("a step that finishes in time gives its value")
    func inTime() async throws {
        let value = try await DemoDeadline(limit: .seconds(60)).run("a quick step") { 42 }
        #expect(value == 42)
    }

    @Test("a step that never finishes is cancelled and ends the demo with a timed-out error naming it")
    func late() async throws {
        let cancelled = Flag()
        await #expect {
            try await DemoDeadline(limit: .milliseconds(20)).run("waiting for the read receipt") {
                do {
                    try await Task.sleep(for: .seconds(3600))
                } catch {
                    await cancelled.set()
                    throw error
                }
            }
        } throws: { error in
            guard let error = error as? CRMError else { return false }
            return error.kind == .timedOut && error.message.contains("waiting for the read receipt took longer than 0 s")
                && error.message.contains("--step-timeout")
        }
        #expect(await cancelled.value, "the late step was left running")
    }

    @Test("a database path with spaces or quotes is quoted for the shell; a plain one is not")
    func quoting() {
        #expect(DemoSummary.shellQuoted("sqlite:///tmp/crm-demo-Ab12/demo.sqlite") == "sqlite:///tmp/crm-demo-Ab12/demo.sqlite")
        #expect(DemoSummary.shellQuoted("sqlite:///tmp/my demo/it's.sqlite") == "'sqlite:///tmp/my demo/it'\\''s.sqlite'")
        let commands = DemoSummary.commands(database: "/tmp/x/demo.sqlite", unit: "demo", message: "0b7e")
        #expect(commands.first == "crm messages list --unit demo --database sqlite:///tmp/x/demo.sqlite")
        #expect(commands.contains("crm messages show 0b7e --database sqlite:///tmp/x/demo.sqlite"))
    }

    actor Flag {
        var value = false
        func set() { value = true }
    }
}
