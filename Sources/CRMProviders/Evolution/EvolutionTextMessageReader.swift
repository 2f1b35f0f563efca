import CRMCore
import Foundation

/// The listener's fast path for the bulk of its traffic: an Evolution `messages.upsert` (or
/// `send.message`) whose messages are plain text, read from a `JSONTape` instead of through
/// `JSONDecoder` and `Decodable` (16 % of the listener's CPU under load, see docs/performance.md).
///
/// It gives the `EvolutionEnvelope` that `JSONDecoder` would, or `nil`, and then the decoder
/// runs: for any other event or content (media, reactions, wrappers…), any value of a type the
/// envelope does not expect, any key it reads that occurs twice, and any document `JSONTape`
/// refuses. So it never rejects a body and never decides an error; the tests compare both paths
/// on every fixture and thousands of mutations of them.
enum EvolutionTextMessageReader {
    /// Not for this path: the decoder decides.
    private struct Fallback: Error {}

    static func envelope(_ body: Data, pathEvent: String?) -> EvolutionEnvelope? {
        body.withUnsafeBytes { raw in
            guard let tape = JSONTape(raw.bindMemory(to: UInt8.self)) else { return nil }
            return try? Reader(tape: tape).envelope(pathEvent: pathEvent)
        }
    }

    private struct Reader {
        let tape: JSONTape

        func envelope(pathEvent: String?) throws(Fallback) -> EvolutionEnvelope {
            let root = 0
            try expect(root, .object)
            let bodyEvent = try optionalString(root, "event")
            guard let eventName = bodyEvent ?? pathEvent.flatMap({ $0.isEmpty ? nil : $0 }) else { throw Fallback() }
            switch EvolutionEventName(eventName) {
            case .messagesUpsert, .sendMessage: break
            default: throw Fallback()
            }
            let instance = try optionalString(root, "instance")
            let sender = try optionalString(root, "sender")
            guard let data = try member(root, "data") else { throw Fallback() }
            let items: [Int]
            switch tape.nodes[data].kind {
            case .object: items = [data]
            case .array: items = Array(tape.elements(of: data))
            default: throw Fallback()
            }
            return EvolutionEnvelope(instance: instance, sender: sender, payload: .messages(try items.map(messageData)))
        }

        private func messageData(_ index: Int) throws(Fallback) -> EvolutionMessageData {
            try expect(index, .object)
            guard let key = try member(index, "key") else { throw Fallback() }
            try expect(key, .object)
            return EvolutionMessageData(
                key: EvolutionMessageKey(
                    id: try requiredString(key, "id"), remoteJid: try requiredString(key, "remoteJid"),
                    fromMe: try optionalBool(key, "fromMe"), participant: try optionalString(key, "participant"),
                    remoteJidAlt: try optionalString(key, "remoteJidAlt"),
                    participantAlt: try optionalString(key, "participantAlt"),
                    previousRemoteJid: try optionalString(key, "previousRemoteJid"),
                    senderPn: try optionalString(key, "senderPn"), senderLid: try optionalString(key, "senderLid"),
                    participantPn: try optionalString(key, "participantPn"),
                    participantLid: try optionalString(key, "participantLid")
                ),
                pushName: try optionalString(index, "pushName"),
                message: try content(index),
                messageTimestamp: try timestamp(index)
            )
        }

        /// Text (`conversation`, or `extendedTextMessage.text`), or a control message; anything
        /// else is the decoder's.
        private func content(_ data: Int) throws(Fallback) -> EvolutionMessageContent? {
            guard let message = try member(data, "message"), tape.nodes[message].kind != .null else { return nil }
            try expect(message, .object)
            var present: [String] = []
            for (key, value) in tape.members(of: message) where tape.nodes[value].kind != .null {
                present.append(tape.string(at: key))
            }
            if present.contains(where: EvolutionMessageContent.controlKeys.contains) { return .control }
            if present.contains(where: EvolutionMessageContent.wrapperKeys.contains) { throw Fallback() }
            if let text = try optionalString(message, "conversation") {
                return .content(MessageContent(type: .text, text: text))
            }
            if let extended = try member(message, "extendedTextMessage"), tape.nodes[extended].kind != .null {
                try expect(extended, .object)
                if let text = try optionalString(extended, "text") {
                    return .content(MessageContent(type: .text, text: text))
                }
            }
            throw Fallback()
        }

        /// A JSON integer of at most 15 digits (exact as a `Double`, as the decoder reads it) or a
        /// string; a `Long` object or anything else is the decoder's.
        private func timestamp(_ data: Int) throws(Fallback) -> ProviderTimestamp? {
            guard let index = try member(data, "messageTimestamp") else { return nil }
            switch tape.nodes[index].kind {
            case .null:
                return nil
            case .string:
                return ProviderTimestamp(epoch: Double(tape.string(at: index)))
            case .number:
                let text = tape.numberText(at: index)
                guard text.count <= 15, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                      let value = Double(text)
                else { throw Fallback() }
                return ProviderTimestamp(epoch: value)
            default:
                throw Fallback()
            }
        }

        // MARK: Members

        /// The value of `key` in the object at `object`; a key that occurs twice is the decoder's
        /// to resolve.
        private func member(_ object: Int, _ key: String) throws(Fallback) -> Int? {
            var found: Int?
            for (name, value) in tape.members(of: object) where tape.string(at: name, equals: key) {
                guard found == nil else { throw Fallback() }
                found = value
            }
            return found
        }

        private func optionalString(_ object: Int, _ key: String) throws(Fallback) -> String? {
            guard let index = try member(object, key) else { return nil }
            switch tape.nodes[index].kind {
            case .null: return nil
            case .string: return tape.string(at: index)
            default: throw Fallback()
            }
        }

        private func requiredString(_ object: Int, _ key: String) throws(Fallback) -> String {
            guard let index = try member(object, key) else { throw Fallback() }
            try expect(index, .string)
            return tape.string(at: index)
        }

        private func optionalBool(_ object: Int, _ key: String) throws(Fallback) -> Bool? {
            guard let index = try member(object, key) else { return nil }
            switch tape.nodes[index].kind {
            case .null: return nil
            case .true: return true
            case .false: return false
            default: throw Fallback()
            }
        }

        private func expect(_ index: Int, _ kind: JSONTape.Kind) throws(Fallback) {
            guard tape.nodes[index].kind == kind else { throw Fallback() }
        }
    }
}
