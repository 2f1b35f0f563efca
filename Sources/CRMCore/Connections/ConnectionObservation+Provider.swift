extension ConnectionObservation {
    /// What a provider's answer to "what is your state?" tells about the recorded `current` status,
    /// or `nil` when it adds nothing (the record already says as much, or knows more).
    ///
    /// Providers answer with less detail than their webhooks: Evolution says `connecting` both
    /// while a QR waits for a scan and after the scan, and `close` whether the phone logged out or
    /// the session dropped. So a recorded QR is kept while the provider says connecting, and a
    /// recorded disconnection keeps its reason.
    package static func fromProvider(state: ConnectionState, phone: String?, current: ConnectionStatus)
        -> ConnectionObservation?
    {
        switch state {
        case .connected:
            return current.state == .connected && (phone == nil || phone == current.phone) ? nil : .connected(phone: phone)
        case .connecting:
            return current.state == .qr || current.state == .connecting ? nil : .connecting
        case .qr:
            return nil  // the code comes with requestQRCode
        case .disconnected:
            return current.state == .disconnected ? nil : .disconnected(reason: .disconnected)
        }
    }
}
