import CRMCore
import Testing

@testable import CRMStore

@Suite("Database URLs")
struct DatabaseLocationTests {
    @Test func sqliteForms() throws {
        #expect(try DatabaseLocation.parse("sqlite:///var/lib/crm/crm.sqlite") == .sqlite(path: "/var/lib/crm/crm.sqlite"))
        #expect(try DatabaseLocation.parse("sqlite:data/crm.sqlite", currentDirectory: "/srv") == .sqlite(path: "/srv/data/crm.sqlite"))
        #expect(try DatabaseLocation.parse("SQLITE:/abs.sqlite") == .sqlite(path: "/abs.sqlite"))
        #expect(try DatabaseLocation.parse("sqlite:///tmp/with%20space.sqlite") == .sqlite(path: "/tmp/with space.sqlite"))
        #expect(throws: CRMError.self) { try DatabaseLocation.parse("sqlite://host/file.sqlite") }
        #expect(throws: CRMError.self) { try DatabaseLocation.parse("sqlite:") }
    }

    @Test func postgresForms() throws {
        guard case .postgres(let settings) = try DatabaseLocation.parse(
            "postgresql://crm:p%40ss@db.example.com:6543/crm_prod?sslmode=require&application_name=x")
        else {
            Issue.record("not postgres")
            return
        }
        #expect(settings.host == "db.example.com")
        #expect(settings.port == 6543)
        #expect(settings.username == "crm")
        #expect(settings.password == "p@ss")
        #expect(settings.database == "crm_prod")
        #expect(settings.sslMode == .require)
        #expect(settings.redactedURL == "postgres://crm:****@db.example.com:6543/crm_prod")

        guard case .postgres(let defaults) = try DatabaseLocation.parse("postgres://me@localhost") else { return }
        #expect(defaults.port == 5432)
        #expect(defaults.database == nil)
        #expect(defaults.sslMode == .prefer)
        #expect(defaults.password == nil)
        #expect(defaults.connectTimeout == 10)

        guard case .postgres(let patient) = try DatabaseLocation.parse("postgres://me@localhost/crm?connect_timeout=60") else { return }
        #expect(patient.connectTimeout == 60)
        guard case .postgres(let floor) = try DatabaseLocation.parse("postgres://me@localhost/crm?connect_timeout=1") else { return }
        #expect(floor.connectTimeout == 2, "libpq's minimum")
        #expect(throws: CRMError.self) { try DatabaseLocation.parse("postgres://me@localhost/crm?connect_timeout=soon") }
    }

    @Test func errorsNeverContainThePassword() {
        for text in [
            "postgres://crm:hunter2secret@host:5432/db?sslmode=bogus",
            "postgres://:hunter2secret@host/db",
            "mysql://crm:hunter2secret@host/db",
        ] {
            do {
                _ = try DatabaseLocation.parse(text)
                Issue.record("\(text) should be refused")
            } catch let error as CRMError {
                #expect(error.kind == .configuration)
                #expect(!error.message.contains("hunter2secret"), "\(error.message)")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }
}
