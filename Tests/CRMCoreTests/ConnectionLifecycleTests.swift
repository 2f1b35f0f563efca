import CRMCore
import Foundation
import Testing

@Suite("Connection lifecycle")
struct ConnectionLifecycleTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    @Test("pairing: qr → connecting → connected, with reasons and timestamps")
    func pairing() {
        var status = ConnectionLifecycle.apply(.qr(code: "2@abc", pairingCode: nil), to: .new, at: at(0))
        #expect(status.state == .qr && status.reason == .waitingScan)
        #expect(status.qrCode == "2@abc" && status.qrUpdatedAt == at(0))

        status = ConnectionLifecycle.apply(.qr(code: "2@def", pairingCode: "WZ7KQ2XM"), to: status, at: at(20))
        #expect(status.qrCode == "2@def" && status.pairingCode == "WZ7KQ2XM" && status.qrUpdatedAt == at(20))

        status = ConnectionLifecycle.apply(.connecting, to: status, at: at(30))
        #expect(status.state == .connecting && status.reason == .scanCompleted)

        status = ConnectionLifecycle.apply(.connected(phone: "5511999990000"), to: status, at: at(31))
        #expect(status.state == .connected && status.reason == .scanCompleted)
        #expect(status.connectedAt == at(31) && status.phone == "5511999990000")
        #expect(status.qrCode == nil && status.pairingCode == nil)
        #expect(status.qrUpdatedAt == at(20))
    }

    @Test("a repeated connected keeps the first connectedAt and the known phone")
    func repeatedConnected() {
        let connected = ConnectionLifecycle.apply(.connected(phone: "5511999990000"), to: .new, at: at(0))
        let again = ConnectionLifecycle.apply(.connected(phone: nil), to: connected, at: at(60))
        #expect(again.connectedAt == at(0))
        #expect(again.phone == "5511999990000")
        #expect(again == connected)  // nothing changed, not even changedAt
    }

    @Test("logged out and disconnected keep the number and record when")
    func disconnection() {
        let connected = ConnectionLifecycle.apply(.connected(phone: "5511999990000"), to: .new, at: at(0))
        let dropped = ConnectionLifecycle.apply(.disconnected(reason: .disconnected), to: connected, at: at(10))
        #expect(dropped.state == .disconnected && dropped.reason == .disconnected && dropped.disconnectedAt == at(10))
        #expect(dropped.phone == "5511999990000" && dropped.connectedAt == at(0))
        let loggedOut = ConnectionLifecycle.apply(.disconnected(reason: .loggedOut), to: dropped, at: at(20))
        #expect(loggedOut.reason == .loggedOut)
        #expect(loggedOut.disconnectedAt == at(10))  // it was already disconnected at 10
    }

    @Test("reconnecting a known session: connecting without a QR has no scan reason")
    func resume() {
        let dropped = ConnectionLifecycle.apply(.disconnected(reason: .disconnected), to: .new, at: at(0))
        let resuming = ConnectionLifecycle.apply(.connecting, to: dropped, at: at(5))
        #expect(resuming.state == .connecting && resuming.reason == nil)
    }

    @Test("a late, older observation changes nothing")
    func staleObservation() {
        let connected = ConnectionLifecycle.apply(.connected(phone: "5511999990000"), to: .new, at: at(100))
        let lateQR = ConnectionLifecycle.apply(.qr(code: "2@old", pairingCode: nil), to: connected, at: at(50))
        #expect(lateQR == connected)
        let sameInstant = ConnectionLifecycle.apply(.disconnected(reason: .loggedOut), to: connected, at: at(100))
        #expect(sameInstant.state == .disconnected)
    }

    @Test("webhook events map to observations")
    func fromEvents() {
        #expect(ConnectionObservation(.qrUpdated(QRCodeUpdate(instance: "i", qr: "2@x", pairingCode: nil))) == .qr(code: "2@x", pairingCode: nil))
        #expect(ConnectionObservation(.connectionChanged(ConnectionChange(instance: "i", state: .connecting))) == .connecting)
        #expect(ConnectionObservation(.connectionChanged(ConnectionChange(instance: "i", state: .connected, reason: .scanCompleted, phone: "55119"))) == .connected(phone: "55119"))
        #expect(ConnectionObservation(.connectionChanged(ConnectionChange(instance: "i", state: .disconnected, reason: .loggedOut, code: 401))) == .disconnected(reason: .loggedOut))
        #expect(ConnectionObservation(.connectionChanged(ConnectionChange(instance: "i", state: .disconnected, code: 428))) == .disconnected(reason: .disconnected))
    }
}
