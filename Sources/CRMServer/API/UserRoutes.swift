import CRMCore
import Foundation
import Hummingbird
import Logging

/// Users over the API, with the use case of `crm users` (`UserService`): `GET /users`, `POST
/// /users`, `GET|PATCH|DELETE /users/:userId`. Super admins manage everyone; a unit admin its
/// unit's users (never super admins, and it makes none); agents no one. Changing a user's role,
/// unit or password, or disabling it, ends its sessions (the store bumps its session epoch).
struct UserRoutes {
    let api: APIRoutes

    struct CreateBody: Decodable {
        var email: String
        var password: String
        var role: String
        var unitId: String?
        var name: String?
    }

    struct UpdateBody: Decodable {
        var role: String?
        var unitId: String?
        var disabled: Bool?
        var password: String?
    }

    func add(to group: RouterGroup<ListenerContext>) {
        group.get("/users") { request, context in try await list(request, context) }
        group.post("/users") { request, context in try await create(request, context) }
        group.get("/users/:userId") { request, context in try await show(request, context) }
        group.patch("/users/:userId") { request, context in try await update(request, context) }
        group.delete("/users/:userId") { request, context in try await delete(request, context) }
    }

    /// A super admin's list is every user (`unitId` narrows it); a unit admin's is its unit's.
    private func list(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let principal = try await api.principal(of: request)
        let query = APIListQuery(request)
        let role = try query.text("role").map { try Self.role($0, field: "parameter 'role'") }
        let unitId: UUID?
        if principal.role == .superAdmin, query.text("unitId") == nil {
            unitId = nil
        } else {
            unitId = try await api.unit(query.text("unitId"), for: principal, action: .manageUsers).id
        }
        let users = try await api.store.listUsers(unitId: unitId, role: role)
            .filter { AccessPolicy.user(principal, target: $0.role, unit: $0.unitId) == .allowed }
        return Response.apiJSON(["users": users.map(APIManagedUser.init)], status: .ok)
    }

    private func create(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let principal = try await api.principal(of: request)
        let body = try await APIJSON.decode(CreateBody.self, from: request, limit: api.configuration.maxBodyBytes)
        let role = try Self.role(body.role, field: "field 'role'")
        let unit = try await grantedUnit(role: role, requested: body.unitId, current: nil, for: principal)
        try Self.checkPassword(body.password)
        let hash = try await api.hashOffThread(body.password)
        let user = try await UserService(store: api.store, hasher: PrecomputedHash(value: hash))
            .create(email: body.email, role: role, unit: unit?.id.text, name: body.name, password: body.password)
        context.logger.info("user created", metadata: ["target": "\(user.id.text)", "user": "\(principal.userId.text)"])
        var response = Response.apiJSON(APIManagedUser(user: user), status: .created)
        response.headers[.location] = "/users/\(user.id.text)"
        return response
    }

    private func show(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let principal = try await api.principal(of: request)
        return Response.apiJSON(APIManagedUser(user: try await target(of: context, for: principal)), status: .ok)
    }

    /// Applies what the body names: role and unit together, the password, disabled or enabled.
    private func update(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let principal = try await api.principal(of: request)
        let user = try await target(of: context, for: principal)
        let body = try await APIJSON.decode(UpdateBody.self, from: request, limit: api.configuration.maxBodyBytes)
        guard body.role != nil || body.unitId != nil || body.disabled != nil || body.password != nil else {
            throw APIError.invalidRequest("Nothing to change: send role, unitId, disabled or password.")
        }
        let role = try body.role.map { try Self.role($0, field: "field 'role'") } ?? user.role
        var unit: BusinessUnit?
        if body.role != nil || body.unitId != nil {
            unit = try await grantedUnit(role: role, requested: body.unitId, current: user, for: principal)
        }
        if let password = body.password { try Self.checkPassword(password) }
        let reference = user.id.text
        if body.role != nil || body.unitId != nil {
            _ = try await UserService(store: api.store, hasher: api.hasher).setRole(reference, role: role, unit: unit?.id.text)
        }
        if let password = body.password {
            let hash = try await api.hashOffThread(password)
            _ = try await UserService(store: api.store, hasher: PrecomputedHash(value: hash)).setPassword(reference, password: password)
        }
        if let disabled = body.disabled {
            _ = try await UserService(store: api.store, hasher: api.hasher).setDisabled(reference, disabled)
        }
        context.logger.info("user changed", metadata: ["target": "\(user.id.text)", "user": "\(principal.userId.text)"])
        guard let current = try await api.store.user(id: user.id) else { throw APIError.notFound("No such user.") }
        return Response.apiJSON(APIManagedUser(user: current), status: .ok)
    }

    private func delete(_ request: Request, _ context: ListenerContext) async throws -> Response {
        let principal = try await api.principal(of: request)
        let user = try await target(of: context, for: principal)
        try await UserService(store: api.store, hasher: api.hasher).delete(user)
        context.logger.notice("user deleted", metadata: ["target": "\(user.id.text)", "user": "\(principal.userId.text)"])
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }

    /// The user the path names, when the caller may manage it (another unit's user, or a super
    /// admin for anyone but a super admin, is 404).
    private func target(of context: ListenerContext, for principal: Principal) async throws -> User {
        let missing = APIError.notFound("No such user.")
        guard let id = context.parameters.get("userId").flatMap(UUID.init(uuidString:)),
              let user = try await api.store.user(id: id)
        else { throw missing }
        if let refusal = APIError(AccessPolicy.user(principal, target: user.role, unit: user.unitId), notFound: "No such user.") {
            throw refusal
        }
        return user
    }

    /// The unit a user with `role` goes in (`nil` for a super admin), when the caller may give
    /// that role there: the one the body names, else the user's current one, else the caller's.
    private func grantedUnit(role: Role, requested: String?, current: User?, for principal: Principal) async throws -> BusinessUnit? {
        var unitId: UUID?
        if let requested {
            guard let id = UUID(uuidString: requested) else { throw APIError.notFound("No such unit.") }
            unitId = id
        }
        if !role.needsUnit {
            guard unitId == nil else { throw APIError.invalidRequest("A super_admin belongs to no unit: leave out unitId.") }
            if let refusal = APIError(AccessPolicy.grant(principal, role: role, in: nil), notFound: "No such unit.") { throw refusal }
            return nil
        }
        guard let unitId = unitId ?? current?.unitId ?? principal.unitId else {
            throw APIError.invalidRequest("A \(role.rawValue) belongs to a unit: pass unitId.")
        }
        if let refusal = APIError(AccessPolicy.grant(principal, role: role, in: unitId), notFound: "No such unit.") { throw refusal }
        guard let unit = try await api.store.unit(id: unitId) else { throw APIError.notFound("No such unit.") }
        return unit
    }

    private static func role(_ text: String, field: String) throws -> Role {
        guard let role = Role(rawValue: text) else { throw APIError.invalidRequest("The \(field) must be super_admin, unit_admin or agent.") }
        return role
    }

    /// The password rules, checked before any bcrypt work.
    private static func checkPassword(_ password: String) throws {
        do { try PasswordPolicy.validate(password) } catch let error as CRMError {
            throw APIError.invalidRequest("The field 'password': \(error.apiMessage ?? error.message)")
        }
    }
}

/// A password hash made beforehand (off the request threads), handed to `UserService` in place of hashing.
private struct PrecomputedHash: PasswordHasher {
    let value: String
    func hash(_ password: String) -> String { value }
    func verify(_ password: String, hash: String) -> Bool { false }
}
