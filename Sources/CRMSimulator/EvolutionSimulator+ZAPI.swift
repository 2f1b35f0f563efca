/// The Z-API subset from code (same effects as `/_simulator/zapi/…`). Scan, rotate, close,
/// inbound, faults and the sent list are the shared ones, with the instance id as the name.
extension EvolutionSimulator {
    /// Provisions a Z-API instance, as Z-API's dashboard does; `false` when the id is taken by
    /// another instance. `clientToken`: the account's security token, required on every call when set.
    @discardableResult
    package func provisionZAPIInstance(instanceId: String, token: String, clientToken: String? = nil) async -> Bool {
        let reply = await state.provisionZAPI(instanceId: instanceId, token: token, clientToken: clientToken)
        return (200..<300).contains(reply.status)
    }

    /// The URL registered for each callback kind of a Z-API instance.
    package func zapiWebhooks(instanceId: String) async -> [ZAPIWebhookKind: String] {
        await state.zapiSettings(instanceId)?.webhooks ?? [:]
    }

    /// Whether the instance echoes messages sent by the account (ReceivedCallback `fromMe`).
    package func zapiNotifiesSentByMe(instanceId: String) async -> Bool {
        await state.zapiSettings(instanceId)?.notifySentByMe ?? false
    }
}
