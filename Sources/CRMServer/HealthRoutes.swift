import Foundation
import Hummingbird

/// `GET /health`: 200 when the database answers, 503 otherwise (for load balancers and systemd:
/// readiness). `GET /livez`: 200 while the process serves HTTP, without touching the database
/// (a liveness probe that must not restart the listener when only the database is down).
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
        router.get("/livez") { _, _ in
            Response.json(["status": "ok"], status: .ok)
        }
    }
}
