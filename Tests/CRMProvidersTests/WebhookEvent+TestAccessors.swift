import CRMCore

/// Case payloads as optionals, so that tests can `#require` the kind they expect.
extension WebhookEvent {
    var inboundMessage: InboundMessage? {
        if case .inboundMessage(let message) = self { return message }
        return nil
    }

    var statusChange: MessageStatusChange? {
        if case .statusChanged(let change) = self { return change }
        return nil
    }

    var connectionChange: ConnectionChange? {
        if case .connectionChanged(let change) = self { return change }
        return nil
    }

    var qrCodeUpdate: QRCodeUpdate? {
        if case .qrUpdated(let update) = self { return update }
        return nil
    }
}
