import CRMCore
import Foundation
import NIOPosix

extension APIRoutes {
    /// The unit a request acts in: the `unitId` it names or the caller's own, checked by the roles
    /// policy. Another unit, an unknown id and a malformed one are all 404.
    func unit(_ requested: String?, for principal: Principal, action: AccessAction) async throws -> BusinessUnit {
        let missing = APIError.notFound("No such unit.")
        var requestedId: UUID?
        if let requested {
            guard let id = UUID(uuidString: requested) else { throw missing }
            requestedId = id
        }
        guard let unitId = AccessPolicy.unit(for: principal, requested: requestedId) else {
            throw APIError.invalidRequest("Name the unit: a super_admin passes unitId.")
        }
        if let refusal = APIError(AccessPolicy.decide(principal, action, in: unitId), notFound: "No such unit.") { throw refusal }
        guard let unit = try await store.unit(id: unitId) else { throw missing }
        return unit
    }

    /// The unit a path names (`/units/:unitId/…`), checked by the roles policy.
    func unit(path text: String?, for principal: Principal, action: AccessAction) async throws -> BusinessUnit {
        guard let text else { throw APIError.notFound("No such unit.") }
        return try await unit(text, for: principal, action: action)
    }

    /// A bcrypt hash made on NIO's thread pool, never on the threads that serve requests.
    func hashOffThread(_ password: String) async throws -> String {
        let hasher = self.hasher
        return try await NIOThreadPool.singleton.runIfActive { hasher.hash(password) }
    }
}
