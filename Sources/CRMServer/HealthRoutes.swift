import Foundation
import Hummingbird

/// `GET /health`: 200 when the database answers, 503 otherwise (for load balancers and systemd).
struct HealthRoutes {
    let databaseCheck: @Sendable () async -> Bool

    func add(to router: Router<ListenerContext>) {
        router.get("/health") { _, _ in
            let healthy = await databaseCheck()
            return Response.json(
                ["status": healthy ? "ok" : "unavailable", "database": healthy ? "ok" : "unreachable"],
                status: healthy ? .ok : .serviceUnavailable
            )
        }
    }
}
