import CRMCore
import CRMTestSupport
import Foundation
import Testing

@testable import CRMStore

@Suite("Connection store contract")
struct ConnectionStoreContractTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    func unit(_ database: CRMDatabase, _ name: String) async throws -> BusinessUnit {
        try await UnitService(store: database.store).create(name: name)
    }

    @Test("save, find by unit, instance and secret hash; replace on save", arguments: TestDatabaseKind.stores)
    func saveAndFind(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let loja = try await unit(database, "Loja")
            let sealed = Data([1, 0, 255, 42, 7])
            var connection = WhatsAppConnection(
                unitId: loja.id, provider: .evolution, instanceName: "crm-loja", webhookSecretHash: "abc123",
                sealedCredentials: sealed, createdAt: t0, updatedAt: t0
            )
            try await store.saveConnection(connection)
            #expect(try await store.connection(unitId: loja.id) == connection)
            #expect(try await store.connection(provider: .evolution, instanceName: "crm-loja")?.id == connection.id)
            #expect(try await store.connection(provider: .zapi, instanceName: "crm-loja") == nil)
            #expect(try await store.connection(webhookSecretHash: "abc123")?.sealedCredentials == sealed)

            connection.provider = .meta
            connection.instanceName = "112233445566778"
            connection.sealedCredentials = nil
            connection.updatedAt = t0.addingTimeInterval(5)
            try await store.saveConnection(connection)
            let replaced = try #require(try await store.connection(unitId: loja.id))
            #expect(replaced.provider == .meta && replaced.sealedCredentials == nil && replaced.createdAt == t0)
        }
    }

    @Test("two units cannot share an instance or a webhook secret", arguments: TestDatabaseKind.stores)
    func uniqueness(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let a = try await unit(database, "A")
            let b = try await unit(database, "B")
            try await database.store.saveConnection(WhatsAppConnection(
                unitId: a.id, provider: .evolution, instanceName: "shared", webhookSecretHash: "h1", createdAt: t0, updatedAt: t0))
            await #expect(throws: StoreError.self) {
                try await database.store.saveConnection(WhatsAppConnection(
                    unitId: b.id, provider: .evolution, instanceName: "shared", webhookSecretHash: "h2", createdAt: t0, updatedAt: t0))
            }
            await #expect(throws: StoreError.self) {
                try await database.store.saveConnection(WhatsAppConnection(
                    unitId: b.id, provider: .evolution, instanceName: "other", webhookSecretHash: "h1", createdAt: t0, updatedAt: t0))
            }
        }
    }

    @Test("observations move the stored status through the lifecycle", arguments: TestDatabaseKind.stores)
    func lifecycle(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let loja = try await unit(database, "Loja")
            #expect(try await store.applyConnectionObservation(.connecting, unitId: loja.id, at: t0) == nil)
            try await store.saveConnection(WhatsAppConnection(
                unitId: loja.id, provider: .evolution, instanceName: "crm-loja", createdAt: t0, updatedAt: t0))
            _ = try await store.applyConnectionObservation(.qr(code: "2@abc", pairingCode: nil), unitId: loja.id, at: t0)
            _ = try await store.applyConnectionObservation(.connecting, unitId: loja.id, at: t0.addingTimeInterval(1))
            _ = try await store.applyConnectionObservation(.connected(phone: "5511999990000"), unitId: loja.id, at: t0.addingTimeInterval(2))
            // A late QR webhook, older than the connection, changes nothing.
            _ = try await store.applyConnectionObservation(.qr(code: "2@late", pairingCode: nil), unitId: loja.id, at: t0.addingTimeInterval(1.5))
            let stored = try #require(try await store.connection(unitId: loja.id)?.status)
            #expect(stored.state == .connected && stored.reason == .scanCompleted)
            #expect(stored.phone == "5511999990000" && stored.qrCode == nil)
            #expect(stored.connectedAt.map { abs($0.timeIntervalSince(t0.addingTimeInterval(2))) < 0.001 } == true)
            #expect(stored.qrUpdatedAt.map { abs($0.timeIntervalSince(t0)) < 0.001 } == true)
        }
    }

    @Test("concurrent observations on one connection all land (no lost update)", arguments: TestDatabaseKind.stores)
    func concurrentObservations(kind: TestDatabaseKind) async throws {
        let url = try await TestDatabases.freshURL(kind)
        let location = try DatabaseLocation.parse(url)
        let setup = try await CRMDatabase.open(location, poolSize: kind.poolSize, logger: TestDatabases.logger)
        try await setup.migrator.migrate()
        let loja = try await unit(setup, "Loja")
        try await setup.store.saveConnection(WhatsAppConnection(
            unitId: loja.id, provider: .evolution, instanceName: "crm-loja", createdAt: t0, updatedAt: t0))
        await setup.close()
        // Two connections (as a command and the listener would be) race: a QR and a connect.
        let first = try await CRMDatabase.open(location, poolSize: kind.poolSize, logger: TestDatabases.logger)
        let second = try await CRMDatabase.open(location, poolSize: kind.poolSize, logger: TestDatabases.logger)
        let t0 = self.t0
        async let a: ConnectionStatus? = first.store.applyConnectionObservation(.qr(code: "2@q", pairingCode: nil), unitId: loja.id, at: t0.addingTimeInterval(1))
        async let b: ConnectionStatus? = second.store.applyConnectionObservation(.connected(phone: "5511999990000"), unitId: loja.id, at: t0.addingTimeInterval(2))
        _ = try await (a, b)
        let stored = try #require(try await first.store.connection(unitId: loja.id)?.status)
        await first.close()
        await second.close()
        // Whatever the order, the newer observation (connected) wins and the QR time is kept if it landed first.
        #expect(stored.state == .connected)
        #expect(stored.phone == "5511999990000")
    }
}
