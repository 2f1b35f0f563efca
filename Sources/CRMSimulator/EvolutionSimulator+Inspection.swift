/// What a test (or `crm demo`) may look at directly: an instance as the simulated phone sees it.
package struct SimulatedInstanceSnapshot: Sendable, Hashable {
    package var name: String
    package var state: InstanceState
    /// The code the phone would scan now.
    package var qrCode: String
    /// The registered webhook URL.
    package var webhookURL: String?
    /// Digits of the paired number, once scanned.
    package var phone: String?
}

extension EvolutionSimulator {
    /// The instance named `name`, or `nil` when the simulator has none.
    package func instance(_ name: String) async -> SimulatedInstanceSnapshot? {
        await state.snapshot(of: name)
    }

    /// Rotates the QR of an instance waiting for a scan; `false` otherwise.
    @discardableResult
    package func rotate(instance name: String) async -> Bool {
        await state.rotate(name).status == 200
    }
}

extension SimulatorState {
    func snapshot(of name: String) -> SimulatedInstanceSnapshot? {
        instances[name].map {
            SimulatedInstanceSnapshot(name: $0.name, state: $0.state, qrCode: $0.qrCode, webhookURL: $0.webhook?.url, phone: $0.ownerPhone)
        }
    }
}
