/// `status.instance` data. Since 2.2.1 Evolution sends it with `status: "closed"` when a session
/// ends for good (codes it does not reconnect on: 401, 403, 402, 406).
struct EvolutionInstanceStatusData: Decodable {
    let status: String
    let disconnectionReasonCode: Int?
}
