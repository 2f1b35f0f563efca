// Times our encoder on a fixed 250-byte payload at level M and prints the
// median ns/encode over several rounds, in the format of
// scripts/qr/qrencode_bench.c (libqrencode on the same payload), so that
// scripts/qr/bench.sh can put the two side by side.
//
// Usage: QRBenchmark [encodes-per-round] [rounds]   (build with -c release)

import QRCode

/// Keep in sync with scripts/qr/qrencode_bench.c: an Evolution pairing code
/// padded to exactly 250 bytes.
let payload = "2@SiUcJzrxuQOkdfXRYnOHcOLwUwvsNqXi70taAt8ZWEhK5D679278QNN2tflwh9oCqVMOdJ6t"
    + "nOxAKj9AEEX+muny,C/8UaKf/Zj5ahVYQLjnwdXUh+XwABV097GrpqdJiGVo=,Dz9gvAbWv1tz"
    + "mWaB4dVKMt8qhdJw3sYdVZDtaov1LZM=,KuB3Ss/4OoYgUUjJ+/QJMXbV/6vNyuLtERFWONTs7"
    + "y4=,17000000000,ZXZvbHV0aW9u"
precondition(payload.utf8.count == 250, "payload must be 250 bytes")

let arguments = CommandLine.arguments
let encodesPerRound = arguments.count > 1 ? Int(arguments[1]) ?? 2000 : 2000
let rounds = arguments.count > 2 ? Int(arguments[2]) ?? 11 : 11

/// Median ns/encode over `rounds` rounds of `count` encodes, and the
/// version encoded.
func measure(count: Int, rounds: Int) throws -> (nanoseconds: Double, version: Int) {
    let clock = ContinuousClock()
    var sink = 0
    var version = 0
    var perEncode: [Double] = []
    for _ in 0..<rounds {
        let elapsed = try clock.measure {
            for _ in 0..<count {
                let code = try QRCode(text: payload, ecc: .medium)
                sink &+= code[7, 3] ? 1 : 0
                version = code.version
            }
        }
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        perEncode.append(nanoseconds / Double(count))
    }
    if sink == -1 { print(sink) } // keep the work observable
    return (perEncode.sorted()[rounds / 2], version)
}

_ = try measure(count: encodesPerRound / 10 + 1, rounds: 1) // warm-up
let (median, version) = try measure(count: encodesPerRound, rounds: rounds)
print("QRCode-swift             bytes=250 level=M version=\(version) ns/encode=\(Int(median + 0.5))")
