import CRMTestSupport
import Foundation
import Testing

/// One scratch environment for an end-to-end test: a data folder and a database of the given kind,
/// migrated with `crm db migrate` as an operator would.
struct CLIFixture {
    let kind: TestDatabaseKind
    let folder: URL
    let databaseURL: String
    let cli: CLIRunner

    static func make(_ kind: TestDatabaseKind, migrate: Bool = true) async throws -> CLIFixture {
        let folder = try TestDatabases.temporaryFolder()
        let url = try await TestDatabases.freshURL(kind)
        let fixture = CLIFixture(kind: kind, folder: folder, databaseURL: url, cli: CLIRunner(dataFolder: folder))
        if migrate {
            let result = try await fixture.crm("db", "migrate")
            #expect(result.status == 0, "\(result)")
        }
        return fixture
    }

    /// Runs crm against this fixture's database.
    @discardableResult
    func crm(_ arguments: String..., stdin: String? = nil) async throws -> CLIRunner.Result {
        try await cli.run(arguments + ["--database", databaseURL], stdin: stdin)
    }

    /// The whole visible state, to prove that a failed command changed nothing.
    func snapshot() async throws -> String {
        let units = try await crm("units", "list", "--json")
        let users = try await crm("users", "list", "--json")
        return units.stdout + users.stdout
    }
}

/// Checks the shape every error must have: a non-zero documented code, one line on stderr, nothing on stdout,
/// and none of the internals a user must never see.
func expectCleanError(_ result: CLIRunner.Result, status: Int32, mentions: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status == status, "\(result)", sourceLocation: sourceLocation)
    #expect(result.stdout.isEmpty, "stdout should be empty: \(result.stdout)", sourceLocation: sourceLocation)
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1, "one line expected: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.hasPrefix("Error: "), "\(result.stderr)", sourceLocation: sourceLocation)
    for leak in ["SELECT ", "INSERT ", "UPDATE ", "PSQLError", "SQLiteError", "Fatal error", "0x0000", "$2b$", "$2y$"] {
        #expect(!result.stderr.contains(leak), "stderr leaks '\(leak)': \(result.stderr)", sourceLocation: sourceLocation)
    }
    if let mentions {
        #expect(result.stderr.localizedCaseInsensitiveContains(mentions), "\(result.stderr)", sourceLocation: sourceLocation)
    }
}
