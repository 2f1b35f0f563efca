import Hummingbird

/// The simulator's own control surface under `/_simulator` (no auth, loopback only): play the
/// phone (scan, close, a contact's message), inject faults, read what was sent, change settings.
enum ControlRoutes {
    static func add(to router: Router<BasicRequestContext>, state: SimulatorState) {
        let group = router.group("/_simulator")
        group.post("/instances/:instance/scan") { request, context in
            let body = try await request.jsonBody() ?? .object([])
            return await state.scan(
                context.parameters.get("instance") ?? "",
                phone: body["phone"]?.stringValue, profileName: body["profileName"]?.stringValue
            ).response
        }
        group.post("/instances/:instance/rotate") { _, context in
            await state.rotate(context.parameters.get("instance") ?? "").response
        }
        group.post("/instances/:instance/close") { request, context in
            let body = try await request.jsonBody() ?? .object([])
            return await state.close(context.parameters.get("instance") ?? "", statusReason: body["statusReason"]?.intValue).response
        }
        group.post("/instances/:instance/inbound") { request, context in
            guard let body = try await request.jsonBody() else { return malformedJSONReply.response }
            return await state.inbound(context.parameters.get("instance") ?? "", body).response
        }
        group.post("/faults") { request, _ in
            guard let body = try await request.jsonBody(), let fault = SimulatorFault(body) else {
                return SimulatorReply.control(400, "expected {\"status\":500} | {\"delayMs\":N} | {\"hold\":true} | {\"html\":true} | {\"garbage\":true}, with \"count\"").response
            }
            await state.addFault(fault, count: body["count"]?.intValue ?? 1)
            return SimulatorReply.ok(["queued": true]).response
        }
        group.post("/faults/release") { _, _ in
            let held = await state.heldCount
            await state.releaseHeld()
            return SimulatorReply.ok(["released": .int(held)]).response
        }
        group.delete("/faults") { _, _ in
            await state.clearFaults()
            return SimulatorReply.ok(["cleared": true]).response
        }
        group.get("/sent") { _, _ in
            SimulatorReply.ok(.array(await state.sentMessages().map(\.json))).response
        }
        group.get("/settings") { _, _ in
            SimulatorReply.ok(await state.settings.json).response
        }
        group.post("/settings") { request, _ in
            guard let body = try await request.jsonBody() else { return malformedJSONReply.response }
            return await state.updateSettings(body).response
        }
    }
}
