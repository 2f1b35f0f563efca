import CRMCore
import CRMStore
import Foundation
import Logging

/// An open database and the services a command uses, for the length of one command.
struct CommandContext {
    let database: CRMDatabase
    let output: Output

    var store: SQLStore { database.store }
    var units: UnitService { UnitService(store: store) }
    var users: UserService { UserService(store: store, hasher: Self.passwordHasher()) }
    /// Messages, conversations and contacts, through the read port.
    var messageReads: any MessageReadStore { store }

    enum SchemaPolicy {
        /// Bring an embedded SQLite file up to date; refuse a PostgreSQL database with pending migrations.
        case current
        /// Open as it is (crm db status, crm db migrate).
        case asIs
    }

    /// Opens the database, runs `body`, and closes it whatever happens. `poolSize` opens a pool of
    /// PostgreSQL connections (the listener); commands keep one direct connection.
    static func with<T>(
        _ databaseOptions: DatabaseOptions, _ outputOptions: OutputOptions, schema: SchemaPolicy = .current,
        noticesAsLog: Bool = false, poolSize: Int? = nil, _ body: (CommandContext) async throws -> T
    ) async throws -> T {
        if let session = Self.session {
            return try await session.run(databaseOptions, outputOptions, schema: schema, noticesAsLog: noticesAsLog, body)
        }
        let choice = try DatabaseResolver.resolve(databaseOptions.database)
        let database = try await CRMDatabase.open(
            choice.location, createFolder: choice.isDefault, poolSize: poolSize, logger: Log.logger
        )
        var output = outputOptions.output
        output.noticesAsLog = noticesAsLog
        let context = CommandContext(database: database, output: output)
        do {
            if schema == .current { try await context.ensureCurrentSchema() }
            let result = try await body(context)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }

    func ensureCurrentSchema() async throws {
        let states = try await database.migrator.status()
        if let newer = states.first(where: \.unknownToThisBinary) {
            throw CRMError.configuration(
                "The database has migration \(newer.version) (\(newer.name)), newer than this crm \(CRMVersion.current) knows: "
                    + "upgrade crm."
            )
        }
        let pending = states.filter { !$0.isApplied }
        guard !pending.isEmpty else { return }
        switch database.location {
        case .sqlite:
            let applied = try await database.migrator.migrate()
            if let last = applied.last {
                output.notice("database schema brought to version \(last.version) in \(database.location.displayName)")
            }
        case .postgres:
            throw CRMError.configuration(
                "The database has \(pending.count) pending migration(s): run 'crm db migrate' with the same --database first."
            )
        }
    }

    /// bcrypt at cost 12, or CRM_BCRYPT_COST (never below 10).
    static func passwordHasher() -> BcryptPasswordHasher {
        let cost = ProcessInfo.processInfo.environment["CRM_BCRYPT_COST"].flatMap(UInt8.init) ?? BcryptPasswordHasher.defaultCost
        return BcryptPasswordHasher(cost: min(cost, 31))
    }
}
