import CRMServer
import CRMTestSupport
import Foundation
import Testing

/// docs/crm.service, docs/crm.env and docs/Dockerfile (docs/deploy.md): what systemd and bash make
/// of them, and that they agree with the listener and with README's configuration table.
@Suite("Deployment files (docs/crm.service, crm.env, Dockerfile)")
struct DeployFilesTests {
    static let systemdAnalyze = RepositoryFiles.tool("/usr/bin/systemd-analyze", "/bin/systemd-analyze")

    /// `Key=value` lines of one `[Section]` of a unit file (a key given twice keeps both values).
    static func unitSettings(_ text: String, section: String) -> [String: [String]] {
        var settings: [String: [String]] = [:]
        var current = ""
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") || line.isEmpty { continue }
            if line.hasPrefix("[") { current = line; continue }
            guard current == "[\(section)]", let equals = line.firstIndex(of: "=") else { continue }
            settings[String(line[..<equals]), default: []].append(String(line[line.index(after: equals)...]))
        }
        return settings
    }

    /// The variables of README.md's configuration table, and whether their row says "tests only".
    static func readmeVariables() throws -> [(name: String, testsOnly: Bool)] {
        let readme = try RepositoryFiles.text("README.md")
        let section = try #require(readme.components(separatedBy: "## Configuration").dropFirst().first)
            .components(separatedBy: "\n## ").first ?? ""
        return section.split(separator: "\n").filter { $0.hasPrefix("| `") }.flatMap { row -> [(String, Bool)] in
            let cell = row.split(separator: "|").first ?? ""
            let names = cell.matches(of: /`([A-Z][A-Z0-9_]*)`/).map { String($0.output.1) }
            return names.map { ($0, row.contains("tests only")) }
        }
    }

    @Test("The unit runs crm webhook serve as crm with /etc/crm/crm.env, hardened, and waits longer than the listener's stop")
    func unitFile() throws {
        let service = Self.unitSettings(try RepositoryFiles.text("docs/crm.service"), section: "Service")
        #expect(service["ExecStart"] == ["/usr/local/bin/crm webhook serve"])
        #expect(service["User"] == ["crm"])
        #expect(service["EnvironmentFile"] == ["/etc/crm/crm.env"])
        #expect(service["Restart"] == ["on-failure"])
        for (key, value) in [("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"), ("ProtectHome", "yes"), ("PrivateTmp", "yes")] {
            #expect(service[key] == [value], "\(key)")
        }
        let stop = try #require(service["TimeoutStopSec"]?.first)
        let seconds = try #require(Int(stop.replacingOccurrences(of: "s", with: "")), "TimeoutStopSec=\(stop)")
        let grace = ListenerConfiguration().shutdownGracePeriod.components.seconds
        #expect(Int64(seconds) > grace + 2, "TimeoutStopSec \(seconds) s leaves no margin over the listener's \(grace) s graceful stop")

        // The SQLite file of crm.env lies in a folder the unit may write.
        let url = try #require(Self.envAssignments(try RepositoryFiles.text("docs/crm.env"))["CRM_DATABASE_URL"])
        let path = String(url.dropFirst("sqlite://".count))
        let writable = (service["ReadWritePaths"] ?? []).flatMap { $0.split(separator: " ").map(String.init) }
        #expect(url.hasPrefix("sqlite:///") && writable.contains { path.hasPrefix($0 + "/") }, "\(path) not under \(writable)")
        #expect(service["StateDirectory"] == ["crm"] && path.hasPrefix("/var/lib/crm/"))
    }

    @Test(
        "systemd-analyze verify accepts the unit, without a warning about it",
        .enabled(if: systemdAnalyze != nil, "systemd-analyze is not installed (Debian: apt-get install systemd)")
    )
    func systemdVerify() async throws {
        // verify checks that ExecStart's program exists: point it at the built crm.
        let unit = try RepositoryFiles.text("docs/crm.service")
        #expect(unit.contains("ExecStart=/usr/local/bin/crm "))
        let folder = try TestDatabases.temporaryFolder()
        let copy = folder.appendingPathComponent("crm.service")
        try unit.replacingOccurrences(of: "ExecStart=/usr/local/bin/crm ", with: "ExecStart=\(CLIRunner.binary.path) ")
            .write(to: copy, atomically: true, encoding: .utf8)
        let result = try await RepositoryFiles.run(try #require(Self.systemdAnalyze), ["verify", copy.path])
        #expect(result.status == 0, "\(result.output)")
        let warnings = result.output.split(separator: "\n").filter { $0.contains("crm.service") }
        #expect(warnings.isEmpty, "\(warnings.joined(separator: "\n"))")
    }

    @Test("crm.env sets or shows every variable of README's configuration table, in a form both systemd and bash read")
    func environmentFile() async throws {
        let text = try RepositoryFiles.text("docs/crm.env")
        for (name, testsOnly) in try Self.readmeVariables() {
            let listed = text.contains("\n\(name)=") || text.contains("\n#\(name)=")
            #expect(testsOnly ? text.contains(name) : listed, "\(name) is missing from docs/crm.env")
        }
        #expect(try Self.readmeVariables().count >= 15)
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.allSatisfy(\.isWhitespace) {
            // No quotes, spaces, $ or backslashes: systemd's and the shell's readings could differ.
            #expect(line.wholeMatch(of: /[A-Z_][A-Z0-9_]*=[^\s'"`$\\]*/) != nil, "\(line)")
        }
        let script = "set -euo pipefail; set -a; . \"$1\"; set +a; printf '%s|%s|%s\\n' \"$CRM_DATABASE_URL\" \"$PORT\" \"$BASE_URL\""
        let result = try await RepositoryFiles.run(
            "/bin/bash", ["-c", script, "bash", RepositoryFiles.url("docs/crm.env").path], environment: ["PATH": "/usr/bin:/bin"]
        )
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output == "sqlite:///var/lib/crm/crm.sqlite|3000|https://crm.example.com\n")
        #expect(!text.lowercased().contains("password=") && text.contains("CRM_SECRET_KEY=REPLACE"))
    }

    @Test("The Dockerfile builds in a Swift image, statically linked, and runs as a user without privileges")
    func dockerfile() throws {
        let text = try RepositoryFiles.text("docs/Dockerfile")
        let stages = text.split(separator: "\n").filter { $0.hasPrefix("FROM ") }
        #expect(stages.count == 2)
        #expect(stages.first?.hasPrefix("FROM swift:") == true && stages.first?.hasSuffix(" AS build") == true)
        #expect(text.contains("--static-swift-stdlib") && text.contains("COPY --from=build"))
        #expect(text.contains("\nUSER crm"))
        #expect(text.contains("CMD [\"webhook\", \"serve\"]"))
        #expect(text.localizedCaseInsensitiveContains("not built in CI"))
    }

    static func envAssignments(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return values
    }
}
