import Foundation

/// The simulated phone: scanning the QR, rotating it, closing the session.
extension SimulatorState {
    /// A scan: `connection.update` connecting, then open with the number. `phone` defaults to a
    /// made-up Brazilian mobile.
    func scan(_ name: String, phone: String?, profileName: String?) -> SimulatorReply {
        guard var instance = instances[name] else { return .error(EvolutionErrors.instanceNotFound(name)) }
        guard instance.state == .connecting else {
            return .control(409, "instance \(name) is \(instance.state.rawValue); only a connecting instance can be scanned")
        }
        stopPairingTimers(for: name)
        let digits = phone.map(PhoneNumber.digits).flatMap { $0.isEmpty ? nil : $0 }
            ?? "55119" + String((0..<8).map { _ in "0123456789".randomElement()! })
        emit("connection.update", EvolutionWebhooks.connectionUpdate(instance, statusReason: 200), for: name)
        instance.state = .open
        instance.ownerPhone = digits
        instance.profileName = profileName ?? "Simulated \(name)"
        instance.updatedAt = Date()
        instances[name] = instance
        emit("connection.update", EvolutionWebhooks.connectionUpdate(instance, statusReason: 200), for: name)
        return .ok(["instance": .string(name), "state": "open", "phone": .string(digits)])
    }

    /// A new QR (`count` + 1) and its `qrcode.updated`.
    func rotate(_ name: String) -> SimulatorReply {
        guard instances[name] != nil else { return .error(EvolutionErrors.instanceNotFound(name)) }
        guard rotateIfWaiting(name) else { return .control(409, "instance \(name) is not waiting for a scan") }
        return .ok(EvolutionBodies.qrcode(instances[name]!))
    }

    /// Rotates when the instance still waits for a scan; `false` otherwise (the timer then stops).
    func rotateIfWaiting(_ name: String) -> Bool {
        guard var instance = instances[name], instance.state == .connecting else { return false }
        instance.rotate()
        instances[name] = instance
        emit("qrcode.updated", EvolutionWebhooks.qrcodeUpdated(instance), for: name)
        return true
    }

    /// The phone ends the session (default 401: logged out from the phone).
    func close(_ name: String, statusReason: Int?) -> SimulatorReply {
        guard let instance = instances[name] else { return .error(EvolutionErrors.instanceNotFound(name)) }
        guard instance.state != .close else { return .control(409, "instance \(name) is already closed") }
        disconnect(name, statusReason: statusReason ?? 401)
        return .ok(EvolutionBodies.state(instances[name]!))
    }

    /// Applies new settings; changed timers restart (from zero) for instances waiting for a scan.
    func updateSettings(_ body: JSONValue) -> SimulatorReply {
        settings.apply(body)
        if body["autoPairAfterSeconds"] != nil || body["qrRotationSeconds"] != nil {
            for (name, instance) in instances where instance.state == .connecting { startPairingTimers(for: name) }
        }
        return .ok(settings.json)
    }
}
