import CRMCore
import CRMStore
import CRMTestSupport
import Foundation

/// A unit ("loja") with two contacts and four messages over the last three hours, and another unit
/// ("outra") whose message must never show in loja's lists. Rows are written with plain SQL.
struct MessagingFixture {
    let f: CLIFixture
    let now = Date()
    let maria: SeededContact
    let joao: SeededContact
    let stranger: SeededContact
    /// loja's messages, newest first: João's failed send, João's image, the reply to Maria, Maria's greeting.
    let failed: UUID
    let image: UUID
    let reply: UUID
    let greeting: UUID

    var newestFirst: [String] { [failed, image, reply, greeting].map { $0.uuidString.lowercased() } }

    static func make(_ kind: TestDatabaseKind) async throws -> MessagingFixture {
        let f = try await CLIFixture.make(kind)
        let now = Date()
        return try await f.seed { seed in
            let loja = try await seed.unit("loja")
            let outra = try await seed.unit("outra")
            let maria = try await seed.contact(unit: loja, phone: "5511998765432", name: "Maria Silva", at: now - 4 * 3600)
            let joao = try await seed.contact(unit: loja, phone: "5521987654321", name: "João", at: now - 4 * 3600)
            let stranger = try await seed.contact(unit: outra, phone: "5511998765432", name: "Outra Maria", at: now - 3600)
            let greeting = try await seed.message(maria, body: "Olá, tudo bem?", externalId: "3EB0AAA", at: now - 3 * 3600)
            let reply = try await seed.message(maria, direction: .outbound, state: .delivered, body: "Tudo ótimo!", at: now - 2 * 3600)
            let image = try await seed.message(joao, kind: .image, body: nil, at: now - 30 * 60)
            let failed = try await seed.message(
                joao, direction: .outbound, state: .failed, body: "Promoção", errorCode: "470",
                errorMessage: "outside the 24-hour window", at: now - 10 * 60)
            try await seed.message(stranger, body: "segredo da outra", at: now - 5 * 60)
            try await seed.conversationActivity(maria, lastMessageAt: now - 2 * 3600, preview: "Tudo ótimo!", updatedAt: now - 2 * 3600)
            try await seed.conversationActivity(joao, lastMessageAt: now - 10 * 60, preview: "Promoção", updatedAt: now - 10 * 60)
            try await seed.touchContact(joao, at: now - 10 * 60)
            return MessagingFixture(
                f: f, maria: maria, joao: joao, stranger: stranger, failed: failed, image: image, reply: reply,
                greeting: greeting)
        }
    }
}

extension CLIFixture {
    /// Opens this fixture's database beside the binary (as the listener would write to it) for `body`.
    func seed<T>(_ body: (MessagingSeed) async throws -> T) async throws -> T {
        let database = try await CRMDatabase.open(try DatabaseLocation.parse(databaseURL), logger: TestDatabases.logger)
        do {
            let result = try await body(MessagingSeed(database))
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }
}

extension CLIRunner.Result {
    /// The `id`s of a JSON array on stdout.
    var ids: [String] { (json as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? [] }
}
