/// Baileys' message key, as Evolution forwards it. Which fields carry the phone and which the
/// LID changed between versions (see the fixtures' README): 2.3.5+ keep an `@lid` `remoteJid`
/// with the phone JID in `remoteJidAlt`; 2.3.1–2.3.4 rewrote `remoteJid` to the phone and kept
/// the LID in `previousRemoteJid`; Baileys 6.7 put the phone in `senderPn`; up to 2.3.0 a bare
/// `@lid` may arrive with no phone at all.
struct EvolutionMessageKey: Decodable {
    let id: String
    let remoteJid: String
    let fromMe: Bool?
    let participant: String?
    let remoteJidAlt: String?
    let participantAlt: String?
    let previousRemoteJid: String?
    let senderPn: String?
    let senderLid: String?
    let participantPn: String?
    let participantLid: String?
}
