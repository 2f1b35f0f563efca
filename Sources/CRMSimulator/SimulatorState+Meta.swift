import Foundation

/// The Cloud API numbers: provisioning, Graph's access rules, sends and their statuses, contacts'
/// messages, and signed webhooks on the number's ordered queue.
extension SimulatorState {
    /// Whether a Graph call may go on, and with which number.
    enum MetaAccess: Sendable {
        case allowed(MetaNumber)
        case refused(SimulatorReply)
    }

    /// Graph's checks: a token no number has is refused (190, 401); a valid token asking for a
    /// number that does not exist or that it does not own gets "object does not exist" (100).
    func authorizeMeta(_ token: String?, phoneNumberId id: String, method: String) -> MetaAccess {
        guard let token, !token.isEmpty, instances.values.contains(where: { $0.meta != nil && $0.token == token }) else {
            return .refused(MetaErrors.invalidToken)
        }
        guard let instance = instances[id], let number = instance.meta, instance.token == token else {
            return .refused(MetaErrors.unknownObject(id, method: method))
        }
        return .allowed(number)
    }

    /// Creates or replaces a number (an instance named by its phone number id, already `open`).
    /// `appWebhookURL` is set only when its handshake passed; a replaced number keeps its override.
    func provisionMetaNumber(
        _ config: MetaNumberConfiguration, appWebhookURL: String?, verification: MetaWebhookVerification?
    ) -> SimulatorReply {
        let id = config.phoneNumberId
        if let existing = instances[id], existing.meta == nil {
            return .control(409, "instance \(id) exists and is not a Meta number")
        }
        let previous = instances[id]?.meta
        let number = MetaNumber(
            displayPhoneNumber: config.displayPhoneNumber, verifiedName: config.verifiedName, appSecret: config.appSecret,
            verifyToken: config.verifyToken ?? "", wabaId: config.wabaId ?? previous?.wabaId ?? MetaIdentifiers.wabaId(),
            appWebhookURL: appWebhookURL, overrideWebhookURL: previous?.overrideWebhookURL,
            allowedRecipients: config.allowedRecipients, templates: config.templates
        )
        var instance = SimulatedInstance(name: id, token: config.accessToken, integration: "WHATSAPP-BUSINESS", webhook: nil)
        instance.state = .open
        instance.ownerPhone = number.displayDigits
        instance.profileName = config.verifiedName
        instance.sentCount = instances[id]?.sentCount ?? 0
        instance.meta = number
        if previous == nil { openOutbox(for: id) }
        instances[id] = instance
        return .created([
            "phoneNumberId": .string(id), "displayPhoneNumber": .string(number.displayPhoneNumber),
            "wabaId": .string(number.wabaId), "webhookURL": .optional(appWebhookURL),
            "webhookVerification": verification?.json ?? .null,
        ])
    }

    /// Sets (or, with `nil`, removes) the number's alternate callback URL, already verified.
    func setMetaOverride(_ id: String, url: String?) {
        instances[id]?.meta?.overrideWebhookURL = url
    }

    // MARK: sends

    /// `POST /{id}/messages`: text or template; the statuses follow on the webhook.
    func sendMeta(_ id: String, _ body: JSONValue) -> SimulatorReply {
        guard var instance = instances[id], let number = instance.meta else { return MetaErrors.unknownObject(id, method: "post") }
        guard body["messaging_product"]?.stringValue == "whatsapp" else {
            return MetaErrors.invalidParameter("The parameter messaging_product is required.")
        }
        guard let rawTo = body["to"]?.stringValue, !PhoneNumber.digits(rawTo).isEmpty else {
            return MetaErrors.invalidParameter("The parameter to is required.")
        }
        let to = PhoneNumber.digits(rawTo)
        let text: String
        var template: String?
        switch body["type"]?.stringValue ?? "text" {
        case "text":
            guard let bodyText = body["text"]?["body"]?.stringValue, !bodyText.isEmpty else {
                return MetaErrors.invalidParameter("The parameter text['body'] is required.")
            }
            text = bodyText
        case "template":
            guard let name = body["template"]?["name"]?.stringValue, !name.isEmpty else {
                return MetaErrors.invalidParameter("The parameter template['name'] is required.")
            }
            guard let language = body["template"]?["language"]?["code"]?.stringValue, !language.isEmpty else {
                return MetaErrors.invalidParameter("The parameter template['language'] is required.")
            }
            let bodyComponents = (body["template"]?["components"]?.arrayValue ?? []).filter { $0["type"]?.stringValue == "body" }
            let parameters = bodyComponents.flatMap { $0["parameters"]?.arrayValue ?? [] }.compactMap { $0["text"]?.stringValue }
            guard let approved = number.template(name, language: language) else {
                return MetaErrors.templateNotFound(name: name, language: language)
            }
            guard parameters.count == approved.parameterCount else {
                return MetaErrors.templateParameterCount(given: parameters.count, expected: approved.parameterCount)
            }
            text = approved.rendered(parameters)
            template = "\(name)/\(language)"
        case let other:
            return MetaErrors.invalidParameter("Param type \(other) is not supported by the simulator (text, template)")
        }
        if let allowed = number.allowedRecipients, !allowed.contains(to) { return MetaErrors.recipientNotAllowed }
        let wamid = MetaIdentifiers.wamid(contact: to, outgoing: true)
        var message = SentMessage(instance: id, to: to, text: text, externalId: wamid, at: Date())
        message.template = template
        sent.append(message)
        instance.sentCount += 1
        instances[id] = instance
        let failure = settings.numbersNotOnWhatsApp.contains(to) ? MetaWebhooks.Failure.undeliverable : nil
        scheduleMetaStatuses(wamid: wamid, to: to, phoneNumberId: id, failure: failure)
        return .ok(MetaBodies.sent(input: rawTo, waId: to, wamid: wamid))
    }

    /// sent, delivered, read (`ackDelayMs` apart; no read when `sendsReadReceipt` is off), or one
    /// `failed` (131026) for a number that is not on WhatsApp: Meta accepts the send, then reports it.
    private func scheduleMetaStatuses(wamid: String, to: String, phoneNumberId id: String, failure: MetaWebhooks.Failure?) {
        let statuses = failure != nil ? ["failed"] : settings.sendsReadReceipt ? ["sent", "delivered", "read"] : ["sent", "delivered"]
        let conversationId = MetaIdentifiers.conversationId()
        let delay = settings.ackDelayMs
        guard delay > 0 else {
            for status in statuses {
                emitMetaStatus(status, wamid: wamid, to: to, phoneNumberId: id, conversationId: conversationId, failure: failure)
            }
            return
        }
        runInBackground { [weak self] in
            for status in statuses {
                try? await Task.sleep(for: .milliseconds(delay))
                guard !Task.isCancelled else { return }
                await self?.emitMetaStatus(status, wamid: wamid, to: to, phoneNumberId: id, conversationId: conversationId, failure: failure)
            }
        }
    }

    private func emitMetaStatus(
        _ status: String, wamid: String, to: String, phoneNumberId id: String, conversationId: String, failure: MetaWebhooks.Failure?
    ) {
        guard let number = instances[id]?.meta else { return }
        let fields = MetaWebhooks.status(
            wamid: wamid, status: status, recipient: to, timestamp: WireClock.seconds(), conversationId: conversationId, failure: failure)
        postMeta(MetaWebhooks.notification(phoneNumberId: id, number, fields), for: id, event: "statuses.\(status)")
    }

    // MARK: contacts' messages

    /// A contact writes to the number: a `messages` webhook (with `contacts`).
    func metaInbound(_ id: String, _ body: JSONValue) -> SimulatorReply {
        guard let number = instances[id]?.meta else { return .control(404, "no Meta number \(id)") }
        guard let from = body["from"]?.stringValue.map(PhoneNumber.digits), !from.isEmpty,
              let text = body["text"]?.stringValue else {
            return .control(400, "inbound needs \"from\" (digits) and \"text\"")
        }
        let wamid = body["id"]?.stringValue ?? MetaIdentifiers.wamid(contact: from, outgoing: false)
        let name = body["pushName"]?.stringValue ?? body["name"]?.stringValue ?? "Contact \(from.suffix(4))"
        let fields = MetaWebhooks.inboundText(id: wamid, from: from, name: name, text: text, timestamp: WireClock.seconds())
        postMeta(MetaWebhooks.notification(phoneNumberId: id, number, fields), for: id, event: "messages")
        return .ok(["externalId": .string(wamid)])
    }

    /// Signs the exact bytes and queues them for the number's webhook URL (nothing without one).
    private func postMeta(_ body: JSONValue, for id: String, event: String) {
        guard let number = instances[id]?.meta, let url = number.webhookURL else { return }
        let bytes = body.encoded()
        enqueue(WebhookDelivery(
            event: event, instance: id, url: url,
            headers: [MetaWebhooks.signatureHeader: MetaWebhooks.signature(of: bytes, appSecret: number.appSecret),
                      "User-Agent": "facebookexternalua"],
            body: bytes
        ), for: id)
    }
}
