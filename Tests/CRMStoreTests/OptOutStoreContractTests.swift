import CRMCore
import CRMTestSupport
import Foundation
import SQLKit
import Testing

@testable import CRMStore

/// A unit's opt-out keywords and contacts opted out by hand, on every database kind.
@Suite("Opt-out store contract")
struct OptOutStoreContractTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    func count(_ database: CRMDatabase, _ query: SQLQueryString) async throws -> Int {
        try await database.withUnsafeSQL { sql in try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? -1 }
    }

    @Test("keywords: the defaults until the unit sets its own, kept as given, then the defaults again", arguments: TestDatabaseKind.stores)
    func keywords(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let service = UnitService(store: store)
            let loja = try await service.create(name: "Loja")
            let outra = try await service.create(name: "Outra")
            #expect(loja.optOutKeywords == nil)
            #expect(try await store.optOutKeywords(unitId: loja.id) == .defaults)
            #expect(try await store.optOutKeywords(unitId: UUID()) == .defaults, "a unit that no longer exists")

            let own = try OptOutKeywords.parse("Não quero, DESCADASTRAR, \"basta\"")
            let updated = try await service.update("loja", UnitChanges(optOutKeywords: .own(own)))
            #expect(updated.optOutKeywords == own && updated.name == "Loja")
            #expect(try await store.optOutKeywords(unitId: loja.id).words == ["Não quero", "DESCADASTRAR", "\"basta\""])
            #expect(try await store.unit(id: loja.id)?.optOutKeywords == own)
            #expect(try await store.listUnits().first { $0.id == loja.id }?.optOutKeywords == own)
            #expect(try await store.optOutKeywords(unitId: outra.id) == .defaults, "another unit keeps the defaults")

            // A rename keeps them; the defaults again clears them.
            #expect(try await service.rename("loja", to: "Loja Centro").optOutKeywords == own)
            #expect(try await service.update("loja", UnitChanges(optOutKeywords: .defaults)).optOutKeywords == nil)
            #expect(try await store.optOutKeywords(unitId: loja.id) == .defaults)
            #expect(try await count(database, "SELECT count(*) AS n FROM units WHERE opt_out_keywords IS NULL") == 2)
        }
    }

    @Test("an update checks every setting before writing any", arguments: TestDatabaseKind.stores)
    func updateIsAllOrNothing(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let service = UnitService(store: database.store)
            let before = try await service.create(name: "Loja")
            await #expect(throws: CRMError.self) {
                _ = try await service.update("loja", UnitChanges(
                    name: "Nova", timezone: "Mars/Olympus", optOutKeywords: .own(try OptOutKeywords.parse("BASTA"))))
            }
            let unchanged = try await service.find("loja")
            #expect(unchanged.name == "Loja" && unchanged.timezone == before.timezone && unchanged.optOutKeywords == nil)
            let changed = try await service.update("loja", UnitChanges(countryCode: "+351", timezone: "Europe/Lisbon"))
            #expect(changed.defaultCountryCode == "351" && changed.timezone == "Europe/Lisbon" && changed.name == "Loja")
            await #expect(throws: CRMError.notFound("No unit 'nope': check the id or slug with 'crm units list'.")) {
                _ = try await service.update("nope", UnitChanges(name: "X"))
            }
        }
    }

    @Test("the schema takes a JSON list of 1 to 20 words only", arguments: TestDatabaseKind.stores)
    func schema(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let unit = try await UnitService(store: database.store).create(name: "Loja")
            let cast = database.location.dialect == .postgres ? "::jsonb" : ""
            for bad in ["{\"a\":1}", "\"STOP\"", "[]", "[" + (1...21).map { "\"w\($0)\"" }.joined(separator: ",") + "]"] {
                await #expect(throws: (any Error).self, "\(bad)") {
                    try await database.withUnsafeSQL { sql in
                        try await sql.raw("""
                            UPDATE units SET opt_out_keywords = \(bind: bad)\(unsafeRaw: cast) WHERE id = \(bind: unit.id)
                            """).run()
                    }
                }
            }
            #expect(try await database.store.optOutKeywords(unitId: unit.id) == .defaults)
        }
    }

    @Test("opt-out by hand: an unknown number is created opted out; twice keeps the first time; opt-in clears it",
          arguments: TestDatabaseKind.stores)
    func byHand(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let unit = try await UnitService(store: store).create(name: "Loja")
            let phone = "5511998765432"
            #expect(try await store.sendRecipient(unitId: unit.id, phone: phone) == nil)

            let first = try #require(try await store.setOptOut(unitId: unit.id, phone: phone, optedOut: true, at: t0))
            #expect(first.changed && first.created)
            #expect(first.contact.phone == phone && first.contact.unitId == unit.id && first.contact.optedOut)
            #expect(abs((first.contact.optedOutAt ?? .distantPast).timeIntervalSince(t0)) < 0.001)
            #expect(try await store.sendRecipient(unitId: unit.id, phone: phone)?.optedOut == true)

            let again = try #require(try await store.setOptOut(unitId: unit.id, phone: phone, optedOut: true, at: t0 + 60))
            #expect(!again.changed && !again.created && again.contact.id == first.contact.id)
            #expect(abs((again.contact.optedOutAt ?? .distantPast).timeIntervalSince(t0)) < 0.001, "the first time stays")
            #expect(abs(again.contact.updatedAt.timeIntervalSince(t0)) < 0.001, "nothing written")

            let optIn = try #require(try await store.setOptOut(unitId: unit.id, phone: phone, optedOut: false, at: t0 + 120))
            #expect(optIn.changed && !optIn.created && !optIn.contact.optedOut && optIn.contact.optedOutAt == nil)
            #expect(abs(optIn.contact.updatedAt.timeIntervalSince(t0 + 120)) < 0.001)
            #expect(try await store.sendRecipient(unitId: unit.id, phone: phone)?.optedOut == false)
            let optInAgain = try #require(try await store.setOptOut(unitId: unit.id, phone: phone, optedOut: false, at: t0 + 180))
            #expect(!optInAgain.changed && abs(optInAgain.contact.updatedAt.timeIntervalSince(t0 + 120)) < 0.001)

            // Out again: a new time.
            let later = try #require(try await store.setOptOut(unitId: unit.id, phone: phone, optedOut: true, at: t0 + 240))
            #expect(later.changed && abs((later.contact.optedOutAt ?? .distantPast).timeIntervalSince(t0 + 240)) < 0.001)

            // Opting in a number crm does not know: nothing to do, nothing written.
            #expect(try await store.setOptOut(unitId: unit.id, phone: "5511900000000", optedOut: false, at: t0) == nil)
            #expect(try await count(database, "SELECT count(*) AS n FROM contacts") == 1)
        }
    }

    @Test("an existing contact keeps its name and conversation; the service reads national numbers", arguments: TestDatabaseKind.stores)
    func existingContact(kind: TestDatabaseKind) async throws {
        try await TestDatabases.with(kind) { database in
            let store = database.store
            let unit = try await UnitService(store: store).create(name: "Loja")
            _ = try await store.storeIncomingMessage(IncomingMessage(
                unitId: unit.id, provider: .evolution, externalId: "M1", phone: "5511998765432", lid: nil, senderName: "Maria",
                fromMe: false, kind: .text, body: "Oi", sentAt: t0, receivedAt: t0))
            let service = OptOutService(store: store, now: { self.t0 + 10 })
            let out = try await service.optOut(unit: unit, phone: "(11) 99876-5432")
            #expect(out.changed && !out.created && out.contact.name == "Maria" && out.contact.phone == "5511998765432")
            #expect(try await count(database, "SELECT count(*) AS n FROM contacts") == 1)
            #expect(try await service.optIn(unit: unit, phone: "+55 11 99876-5432").changed)
            await #expect(throws: CRMError.self) { _ = try await service.optOut(unit: unit, phone: "12") }
            do {
                _ = try await service.optIn(unit: unit, phone: "11 91234-5678")
                Issue.record("opting in an unknown number should fail")
            } catch let error as CRMError {
                #expect(error.kind == .notFound && error.message.contains("+55 11 9****-5678") && !error.message.contains("912345678"))
            }
        }
    }
}
