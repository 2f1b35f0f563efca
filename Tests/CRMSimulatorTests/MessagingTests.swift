import CRMCore
import CRMProviders
@testable import CRMSimulator
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Sends, their receipts, contacts' messages and the record of accepted sends.
@Suite struct MessagingTests {
    @Test func sendTextEchoesAndReceipts() async throws {
        try await SimulatorHarness.with { h in
            try await h.connectedInstance("unit-acme")
            let sent = try await h.call(.POST, "/message/sendText/unit-acme", json: ["number": "5511999990001", "text": "Olá ☕"])
            #expect(sent.status == 201)
            let key = try #require(sent.json["key"] as? [String: Any])
            let id = try #require(key["id"] as? String)
            #expect(id.count == 22 && id.hasPrefix("3EB0") && id.allSatisfy { $0.isHexDigit && !$0.isLowercase })
            #expect(sent.json["status"] as? String == "PENDING")
            #expect(EvolutionFixture.extraKeys(sent.json, comparedTo: try EvolutionFixture.json("api/message-sendText.response.json")) == [])

            let echo = try await h.collector.waitFor("send.message")
            guard case .inboundMessage(let message)? = try SimulatorHarness.parse(try #require(echo.first)).first else {
                Issue.record("echo not parsed as a message"); return
            }
            #expect(message.fromMe && message.externalId == id && message.from == "5511999990001" && message.text == "Olá ☕")

            let updates = try await h.collector.waitFor("messages.update", count: 3)
            let statuses = try updates.flatMap(SimulatorHarness.parse).compactMap { event -> MessageStatusChange? in
                if case .statusChanged(let change) = event { change } else { nil }
            }
            #expect(statuses.map(\.status) == [.sent, .delivered, .read])
            #expect(statuses.allSatisfy { $0.externalId == id && $0.instance == "unit-acme" })
            try #require(updates.count >= 3)
            let read = try JSONSerialization.jsonObject(with: updates[2].body)
            #expect(EvolutionFixture.extraKeys(read, comparedTo: try EvolutionFixture.json("webhooks/messages-update-read.json")) == [])

            let record = try await h.call(.GET, "/_simulator/sent")
            #expect(record.array.count == 1)
            #expect(record.array.first?["externalId"] as? String == id)
            #expect(record.array.first?["to"] as? String == "5511999990001")
        }
    }

    @Test func receiptsWaitForTheAckDelay() async throws {
        try await SimulatorHarness.with(settings: SimulatorSettings(ackDelayMs: 150)) { h in
            try await h.connectedInstance("unit-acme")
            let sentAt = ContinuousClock.now
            _ = try await h.call(.POST, "/message/sendText/unit-acme", json: ["number": "5511999990001", "text": "hi"])
            let updates = try await h.collector.waitFor("messages.update", count: 3)
            #expect(updates.count == 3)
            // Lower bounds only: each receipt waits ackDelayMs after the previous one.
            #expect(updates.first.map { $0.at - sentAt >= .milliseconds(150) } == true)
            #expect(updates.last.map { $0.at - sentAt >= .milliseconds(450) } == true)
        }
    }

    @Test func inboundMessageParses() async throws {
        try await SimulatorHarness.with { h in
            try await h.connectedInstance("unit-acme")
            let reply = try await h.call(.POST, "/_simulator/instances/unit-acme/inbound",
                                         json: ["from": "5511999990001", "text": "Vocês entregam no sábado?", "pushName": "Maria"])
            #expect(reply.status == 200)
            let upserts = try await h.collector.waitFor("messages.upsert")
            guard case .inboundMessage(let message)? = try SimulatorHarness.parse(try #require(upserts.first)).first else {
                Issue.record("upsert not parsed"); return
            }
            #expect(!message.fromMe && message.from == "5511999990001" && message.text == "Vocês entregam no sábado?")
            #expect(message.senderName == "Maria" && message.externalId == reply.json["externalId"] as? String)
            let body = try JSONSerialization.jsonObject(with: upserts[0].body)
            #expect(EvolutionFixture.extraKeys(body, comparedTo: try EvolutionFixture.json("webhooks/messages-upsert-conversation.json")) == [])
        }
    }

    @Test func fiftyConcurrentSendsAreRecordedOnce() async throws {
        try await SimulatorHarness.with { h in
            try await h.connectedInstance("unit-acme")
            let ids = try await withThrowingTaskGroup(of: String?.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        // A generous timeout: 50 requests at once on a loaded 2-core machine.
                        let reply = try await h.call(.POST, "/message/sendText/unit-acme",
                                                     json: ["number": "55119999\(String(format: "%05d", index))", "text": "n\(index)"],
                                                     timeout: .seconds(90))
                        return (reply.json["key"] as? [String: Any])?["id"] as? String
                    }
                }
                return try await group.reduce(into: [String?]()) { $0.append($1) }
            }
            #expect(ids.compactMap { $0 }.count == 50)
            #expect(Set(ids.compactMap { $0 }).count == 50)
            let record = try await h.call(.GET, "/_simulator/sent").array
            #expect(record.count == 50)
            #expect(Set(record.compactMap { $0["externalId"] as? String }) == Set(ids.compactMap { $0 }))
            #expect(try await h.collector.waitFor("send.message", count: 50).count == 50)
        }
    }

    @Test func sendIsRefusedWhenNotConnectedOrNotOnWhatsApp() async throws {
        try await SimulatorHarness.with(settings: SimulatorSettings(numbersNotOnWhatsApp: ["5511999990009"])) { h in
            try await h.createInstance("unit-acme")
            let closed = try await h.call(.POST, "/message/sendText/unit-acme", json: ["number": "5511999990001", "text": "x"])
            #expect(closed.status == 400)
            #expect(closed.json["response"] as? [String: [String]] == ["message": ["Error: Connection Closed"]])
            _ = try await h.call(.POST, "/_simulator/instances/unit-acme/scan")
            let missing = try await h.call(.POST, "/message/sendText/unit-acme", json: ["number": "5511999990009", "text": "x"])
            #expect(missing.status == 400)
            let entry = ((missing.json["response"] as? [String: Any])?["message"] as? [[String: Any]])?.first
            #expect(entry?["exists"] as? Bool == false && entry?["number"] as? String == "5511999990009")
            #expect(try await h.call(.GET, "/_simulator/sent").array.isEmpty)
        }
    }
}
