import CRMCore
import Foundation
import Hummingbird
import Logging

/// Units over the API, with the use case of `crm units` (`UnitService`): `GET /units`, `POST
/// /units`, `GET|PATCH|DELETE /units/:unitId`. Every role sees its own unit; only super admins
/// see every unit, and create, change or delete them.
struct UnitRoutes {
    let api: APIRoutes

    struct CreateBody: Decodable {
        var name: String
        var slug: String?
        var countryCode: String?
        var timezone: String?
    }

    /// What a PATCH changes: each field left out stays as it is; `"optOutKeywords": null` goes back to the defaults.
    struct UpdateBody: Decodable {
        var changes: UnitChanges

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            changes = UnitChanges(
                name: try container.decodeIfPresent(String.self, forKey: .name),
                countryCode: try container.decodeIfPresent(String.self, forKey: .countryCode),
                timezone: try container.decodeIfPresent(String.self, forKey: .timezone))
            if container.contains(.optOutKeywords) {
                if try container.decodeNil(forKey: .optOutKeywords) {
                    changes.optOutKeywords = .defaults
                } else {
                    let words = try container.decode([String].self, forKey: .optOutKeywords)
                    do {
                        changes.optOutKeywords = .own(try OptOutKeywords(validating: words))
                    } catch let error as CRMError {
                        throw APIError.invalidRequest("The field 'optOutKeywords': \(error.apiMessage ?? error.message)")
                    }
                }
            }
        }

        private enum CodingKeys: String, CodingKey { case name, countryCode, timezone, optOutKeywords }
    }

    func add(to group: RouterGroup<ListenerContext>) {
        group.get("/units") { request, context in try await list(request, context) }
        group.post("/units") { request, context in try await create(request, context) }
        group.get("/units/:unitId") { request, context in try await show(request, context) }
        group.patch("/units/:unitId") { request, context in try await update(request, context) }
        group.delete("/units/:unitId") { request, context in try await delete(request, context) }
    }

    private var service: UnitService { UnitService(store: api.store) }

    /// Every unit for a super admin; a unit-bound role's own.
    private func list(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let principal = try await api.principal(of: request)
        let units: [BusinessUnit]
        if AccessPolicy.decide(principal, .readUnit, in: nil) == .allowed {
            units = try await service.list()
        } else {
            units = [try await api.unit(nil, for: principal, action: .readUnit)]
        }
        return Response.apiJSON(["units": units.map(APIUnit.init)], status: .ok)
    }

    private func create(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let principal = try await api.principal(of: request)
        if let refusal = APIError(AccessPolicy.decide(principal, .manageUnits, in: nil), notFound: "No such unit.") { throw refusal }
        let body = try await APIJSON.decode(CreateBody.self, from: request, limit: api.configuration.maxBodyBytes)
        let unit = try await service.create(name: body.name, slug: body.slug, countryCode: body.countryCode, timezone: body.timezone)
        context.logger.info("unit created", metadata: ["unit": "\(unit.id.text)", "user": "\(principal.userId.text)"])
        var response = Response.apiJSON(APIUnit(unit: unit), status: .created)
        response.headers[.location] = "/units/\(unit.id.text)"
        return response
    }

    private func show(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let principal = try await api.principal(of: request)
        let unit = try await api.unit(path: context.parameters.get("unitId"), for: principal, action: .readUnit)
        return Response.apiJSON(APIUnit(unit: unit), status: .ok)
    }

    private func update(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let principal = try await api.principal(of: request)
        let unit = try await api.unit(path: context.parameters.get("unitId"), for: principal, action: .manageUnits)
        let body = try await APIJSON.decode(UpdateBody.self, from: request, limit: api.configuration.maxBodyBytes)
        guard !body.changes.isEmpty else {
            throw APIError.invalidRequest("Nothing to change: send name, countryCode, timezone or optOutKeywords.")
        }
        let updated = try await service.update(unit.id.text, body.changes)
        return Response.apiJSON(APIUnit(unit: updated), status: .ok)
    }

    /// Deletes the unit with everything it owns (users, contacts, messages, campaigns).
    private func delete(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let principal = try await api.principal(of: request)
        let unit = try await api.unit(path: context.parameters.get("unitId"), for: principal, action: .manageUnits)
        try await service.delete(unit)
        context.logger.notice("unit deleted", metadata: ["unit": "\(unit.id.text)", "user": "\(principal.userId.text)"])
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }
}
