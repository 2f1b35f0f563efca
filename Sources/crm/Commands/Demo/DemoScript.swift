import CRMCore
import CRMProviders
import CRMSimulator
import CRMStore
import Foundation

/// The steps of `crm demo` once the database and the servers run: a unit, its number paired by a
/// simulated scan, a message sent until read, a contact's reply, the figures. Each step goes
/// through the same use cases as the commands, and what it narrates is read back from the database.
struct DemoScript: Sendable {
    let context: CommandContext
    let servers: DemoServers
    let box: SecretBox
    let narrator: DemoNarrator
    let deadline: DemoDeadline
    /// Pause after each step, for a presenter (`--pace`).
    let pace: Duration

    static let unitName = "Demo"
    /// The unit's (made-up) number, as the simulated phone reports it once scanned.
    static let unitNumber = "5511987654321"
    /// The contact, typed as a person would.
    static let contactInput = "+55 11 99876-5432"
    static let contactName = "Maria"
    static let text = "Olá Maria! Seu pedido #4521 saiu para entrega."
    static let reply = "Obrigada! Chegou certinho."
    static let clientMessageId = "demo-pedido-4521"

    /// What the steps produced, as stored.
    struct Outcome: Sendable {
        var unit: BusinessUnit
        var instance: String
        var phone: String
        /// The contact's number, normalized.
        var contactPhone: String
        var outbound: Message
        var inbound: MessageRecord
        var stats: StatsView
        var simulatorURL: String
        var listenerURL: String
    }

    func run() async throws -> Outcome {
        let store = context.store
        let unit = try await deadline.run("creating the unit") { [context] in
            try await context.units.create(name: Self.unitName, countryCode: "55", timezone: "America/Sao_Paulo")
        }
        narrator.step("Unit '\(unit.name)' created", [
            "slug \(unit.slug), id \(unit.id.text), +\(unit.defaultCountryCode), \(unit.timezone)",
        ])
        try await pause()

        let pairing = PairingService(store: store, secretBox: { [box] in box })
        let connection = try await pairing.connection(for: unit, provider: .evolution)
        let handle = try ProviderClients.make(.evolution(instance: connection.instanceName), environment: servers.providerEnvironment)
        let contact = try PhoneNumberNormalizer.normalize(Self.contactInput, defaultCountryCode: unit.defaultCountryCode)
        return try await handle.use { provider in
            let phone = try await pair(unit: unit, connection: connection, pairing: pairing, provider: provider)
            let outbound = try await send(unit: unit, contact: contact, provider: provider)
            let inbound = try await receiveReply(unit: unit, contact: contact, instance: connection.instanceName, answering: outbound)
            let stats = try await figures(unit: unit)
            return Outcome(
                unit: unit, instance: connection.instanceName, phone: phone, contactPhone: contact, outbound: outbound, inbound: inbound, stats: stats,
                simulatorURL: servers.simulatorURL, listenerURL: servers.listenerURL
            )
        }
    }

    /// Creates the instance at the provider, draws its QR code, has the simulated phone scan it, and
    /// waits until the listener has recorded the connection from the provider's webhook.
    private func pair(unit: BusinessUnit, connection: WhatsAppConnection, pairing: PairingService, provider: any WhatsAppProvider)
        async throws -> String
    {
        let listenerURL = servers.listenerURL
        let started = try await deadline.run("creating the WhatsApp instance") {
            try await pairing.start(unit: unit, connection: connection, provider: provider, baseURL: listenerURL, reset: false)
        }
        guard let code = started.qrCode else {
            throw CRMError(.internal, "The simulator gave no QR code for a new instance: please report this bug.")
        }
        narrator.step("WhatsApp instance \(connection.instanceName) created at the provider, waiting for a scan", [
            "webhook URL: \(started.maskedWebhookURL)",
            "QR code recorded: status \(started.status.state.rawValue)"
                + (started.status.reason.map { " (\($0.rawValue))" } ?? ""),
        ])
        let screen = QRScreen(onStandardError: narrator.onStandardError)
        screen.show(code: code.qr, status: "Scan it in WhatsApp (Linked devices → Link a device); here the simulator does.")
        try await pause()
        let simulator = servers.simulator
        guard await simulator.scan(instance: connection.instanceName, phone: Self.unitNumber, profileName: unit.name) else {
            throw CRMError(.internal, "The simulator refused the scan of \(connection.instanceName): please report this bug.")
        }
        let store = context.store
        let status = try await deadline.run("waiting for the listener to record the scan") {
            try await DemoDeadline.poll { () async throws -> ConnectionStatus? in
                guard let status = try await store.connection(unitId: unit.id)?.status, status.state == .connected else { return nil }
                return status
            }
        }
        let phone = status.phone ?? Self.unitNumber
        screen.finish("Scan simulated: connected as \(PhoneDisplay.masked(phone))")
        narrator.details([
            "recorded from the connection.update webhook: \(status.state.rawValue)"
                + (status.connectedAt.map { " since \($0.millisecondsDisplay)" } ?? ""),
        ])
        try await pause()
        return phone
    }

    /// `crm send`'s use case, then the receipts: sent → delivered → read, as the listener records them.
    private func send(unit: BusinessUnit, contact: String, provider: any WhatsAppProvider) async throws -> Message {
        let service = SendService(store: context.store)
        let outcome = try await deadline.run("sending the message") {
            let (request, connection) = try await service.prepare(
                unit: unit, to: Self.contactInput, text: Self.text, clientMessageId: Self.clientMessageId
            )
            return try await service.send(request, connection: connection, provider: provider, queueOnly: false)
        }
        let store = context.store
        let id = outcome.message.id
        let read = try await deadline.run("waiting for the delivered and read receipts") {
            try await DemoDeadline.poll { () async throws -> Message? in
                guard let message = try await store.outboundMessage(id: id), message.state == .read else { return nil }
                return message
            }
        }
        let stamps = [("sent", read.sentAt), ("delivered", read.deliveredAt), ("read", read.readAt)]
            .map { name, date in "\(name) \(date?.millisecondsDisplay ?? "—")" }.joined(separator: " · ")
        narrator.step("Message sent → delivered → read", [
            "to \(PhoneDisplay.masked(contact)): “\(Self.text)”",
            "message \(read.id.text), client id \(read.clientMessageId ?? "—")",
            "provider id \(read.externalId ?? "—")",
            "status \(read.state.rawValue) (\(stamps))",
        ])
        try await pause()
        return read
    }

    /// A contact's reply, posted by the simulated phone as `messages.upsert`, stored by the listener.
    private func receiveReply(unit: BusinessUnit, contact: String, instance: String, answering sent: Message) async throws
        -> MessageRecord
    {
        // The contact takes a moment to answer. Evolution's message timestamps have whole seconds, so
        // a reply within the same second would be stored as older than the message it answers.
        try await Task.sleep(for: .seconds(1))
        let simulator = servers.simulator
        guard let externalId = await simulator.inbound(instance: instance, from: contact, text: Self.reply, pushName: Self.contactName)
        else {
            throw CRMError(.internal, "The simulator refused the contact's reply: please report this bug.")
        }
        let reads = context.messageReads
        let record = try await deadline.run("waiting for the listener to store the reply") {
            try await DemoDeadline.poll {
                try await reads.messages(MessageFilter(unitId: unit.id, direction: .inbound, limit: 10))
                    .first { $0.message.externalId == externalId }
            }
        }
        let message = record.message
        let phone = record.contact.phone.map(PhoneDisplay.masked) ?? "—"
        narrator.step("Inbound reply stored", [
            "from \(record.contact.name.map { "\($0) (\(phone))" } ?? phone): “\(message.body ?? "")”",
            "message \(message.id.text), status \(message.state.rawValue)",
            "provider id \(message.externalId ?? "—")",
            message.conversationId == sent.conversationId
                ? "conversation \(message.conversationId.text), shared with the message sent"
                : "conversation \(message.conversationId.text) (the message sent is in \(sent.conversationId.text))",
        ])
        try await pause()
        return record
    }

    /// `crm stats --unit demo`: what the listener and the sends left in the database.
    private func figures(unit: BusinessUnit) async throws -> StatsView {
        let until = Date()
        let period = StatsPeriod(unitId: unit.id, since: until.addingTimeInterval(-86_400), until: until)
        let stats = try await OperatingStats.load(period, from: context.operatingStats)
        let view = StatsView(stats, unitSlug: unit.slug)
        narrator.step("crm stats --unit \(unit.slug)", [""] + view.text(periodName: "24h").split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        return view
    }

    private func pause() async throws {
        if pace > .zero { try await Task.sleep(for: pace) }
    }
}

extension Date {
    /// "16:11:07.042" in the local time zone: receipts a few hundred milliseconds apart stay apart.
    var millisecondsDisplay: String {
        formatted(Self.millisecondsStyle)
    }

    private static let millisecondsStyle = Date.VerbatimFormatStyle(
        format: "\(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits).\(secondFraction: .fractional(3))",
        timeZone: .current, calendar: Calendar(identifier: .gregorian)
    )
}
