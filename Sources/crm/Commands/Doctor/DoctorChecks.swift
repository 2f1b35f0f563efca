import CRMCore
import CRMProviders
import CRMStore
import Foundation
import SQLKit

/// The checks of `crm doctor`, in order. A check that cannot run because an earlier one failed
/// (no database: no units to look at) is reported as skipped, never guessed.
struct DoctorChecks {
    let databaseOption: String?
    var environment: [String: String] = ProcessInfo.processInfo.environment

    func run() async -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        let box = Result { try SecretBox.fromEnvironment() }
        checks.append(secretKey(box))
        checks.append(baseURL())
        let database: CRMDatabase
        do {
            let choice = try DatabaseResolver.resolve(databaseOption, environment: environment)
            database = try await CRMDatabase.open(choice.location, createFolder: choice.isDefault, logger: Log.logger)
            try await database.ping()
            checks.append(.ok("database", "\(database.location.displayName) answers"))
        } catch {
            checks.append(.failed("database", Self.message(error), fix: "check --database, CRM_DATABASE_URL or DATABASE_URL, and that the server runs"))
            checks.append(.skipped("migrations", "no database"))
            checks.append(.skipped("units", "no database"))
            return checks
        }
        let schema = await migrations(database)
        checks.append(schema)
        checks.append(await clock(database))
        if schema.status == .failed {
            checks.append(.skipped("units", "the schema is not current"))
        } else {
            checks += await units(database.store, box: box)
        }
        await database.close()
        return checks
    }

    func secretKey(_ box: Result<SecretBox, any Error>) -> DoctorCheck {
        switch box {
        case .success: .ok("CRM_SECRET_KEY", "present, 32 bytes")
        case .failure(let error): .failed("CRM_SECRET_KEY", Self.message(error), fix: "set it to 32 random bytes: openssl rand -base64 32 (the same key as when the credentials were stored)")
        }
    }

    func baseURL() -> DoctorCheck {
        guard let text = environment[WebhookEndpoint.baseURLVariable], !text.isEmpty else {
            return .warning("BASE_URL", "not set", fix: "set BASE_URL to the listener's public https URL: crm whatsapp connect registers webhooks under it")
        }
        do {
            let base = try WebhookEndpoint.validatedBase(text)
            guard let host = URL(string: base)?.host else { return .ok("BASE_URL", base) }
            let local = host == "localhost" || host.hasPrefix("127.") || host == "::1"
            if base.hasPrefix("http://") && !local {
                return .warning("BASE_URL", "\(base) is not https", fix: "serve the listener behind HTTPS (providers refuse or should not get plain http)")
            }
            if local { return .warning("BASE_URL", "\(base) is this machine only", fix: "providers on the internet cannot reach it: use the public URL") }
            return .ok("BASE_URL", base)
        } catch {
            return .failed("BASE_URL", Self.message(error), fix: "set BASE_URL to an http(s) URL such as https://crm.example.com")
        }
    }

    func migrations(_ database: CRMDatabase) async -> DoctorCheck {
        do {
            let states = try await database.migrator.status()
            if let newer = states.first(where: \.unknownToThisBinary) {
                return .failed("migrations", "the database has migration \(newer.version), newer than this crm", fix: "upgrade crm")
            }
            let pending = states.filter { !$0.isApplied }
            if pending.isEmpty { return .ok("migrations", "\(states.count) applied, none pending") }
            if case .sqlite = database.location {
                // As every command does on SQLite.
                let applied = try await database.migrator.migrate()
                return .ok("migrations", "brought up to date (\(applied.count) applied now)")
            }
            return .failed("migrations", "\(pending.count) pending", fix: "run crm db migrate")
        } catch {
            return .failed("migrations", Self.message(error), fix: "check the database user's rights")
        }
    }

    /// PostgreSQL's clock against this machine's: leases, windows and receipts compare times of both.
    func clock(_ database: CRMDatabase) async -> DoctorCheck {
        guard case .postgres = database.location else { return .skipped("clock", "SQLite: one clock") }
        do {
            let before = Date()
            let server = try await database.withUnsafeSQL { sql in
                try await sql.raw("SELECT now() AS now").first()?.decode(column: "now", as: Date.self)
            }
            guard let server else { return .skipped("clock", "the server did not say its time") }
            let skew = abs(server.timeIntervalSince(before.addingTimeInterval(Date().timeIntervalSince(before) / 2)))
            if skew > 5 {
                return .warning("clock", String(format: "%.0f s apart from the database server", skew), fix: "run NTP (chrony or systemd-timesyncd) on both machines")
            }
            return .ok("clock", String(format: "within %.1f s of the database server", skew))
        } catch {
            return .failed("clock", Self.message(error), fix: "check the database")
        }
    }

    /// Each unit's connection: its credentials open, its provider answers with them, and its state
    /// agrees with the database.
    func units(_ store: SQLStore, box: Result<SecretBox, any Error>) async -> [DoctorCheck] {
        let units: [BusinessUnit]
        do { units = try await store.listUnits() } catch { return [.failed("units", Self.message(error), fix: "check the database")] }
        guard !units.isEmpty else { return [.warning("units", "none yet", fix: "crm units create NAME")] }
        var checks: [DoctorCheck] = []
        for unit in units {
            let name = "unit \(unit.slug)"
            guard let connection = try? await store.connection(unitId: unit.id) else {
                checks.append(.warning(name, "no WhatsApp connection", fix: "crm whatsapp connect --unit \(unit.slug)"))
                continue
            }
            let provider = WhatsAppSupport.providerName(connection.provider)
            let handle: ProviderHandle
            do {
                let settings = try ConnectionSecrets.settings(of: connection, unitSlug: unit.slug, box: { try box.get() })
                handle = try ProviderClients.make(settings)
            } catch {
                checks.append(.failed(name, "\(provider): \(Self.message(error))", fix: "set the provider's configuration, or run crm whatsapp configure --unit \(unit.slug) again"))
                continue
            }
            do {
                let state = try await handle.provider.connectionState(instance: connection.instanceName)
                let stored = connection.status.state
                if state != stored {
                    checks.append(.warning(name, "\(provider) says \(state.rawValue), the database says \(stored.rawValue)",
                                           fix: "is the listener receiving webhooks? crm whatsapp status --unit \(unit.slug) refreshes it"))
                } else if state != .connected {
                    checks.append(.warning(name, "\(provider) answers; the number is \(state.rawValue)", fix: "crm whatsapp connect --unit \(unit.slug)"))
                } else {
                    checks.append(.ok(name, "\(provider) answers; connected"))
                }
            } catch {
                checks.append(.failed(name, "\(provider): \(Self.message(error))", fix: "check the provider's URL and keys (see crm whatsapp status --unit \(unit.slug))"))
            }
            await handle.shutdown()
        }
        return checks
    }

    /// The error's one-line message, as the CLI prints errors (no internals).
    static func message(_ error: any Error) -> String {
        switch error {
        case let error as CRMError: error.message
        case let error as ProviderError: error.message
        default: "an unexpected error"
        }
    }
}
