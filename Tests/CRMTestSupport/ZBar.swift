import Foundation

/// zbarimg found no code in an image, or could not run.
package struct ZBarFailure: Error, CustomStringConvertible {
    package let path: String
    package let status: Int32
    package var description: String { "zbarimg could not read \(path) (exit \(status); apt-get install zbar-tools)" }
}

/// The text zbarimg (Debian zbar-tools, a decoder crm shares no code with) reads from the PNG at `path`.
package func decodePNG(_ path: String) async throws -> String {
    let (status, data) = try await onOwnThread {
        let process = try ChildProcess("zbarimg", ["--quiet", "--raw", "-Sbinary", path], stdout: .pipe)
        let data = CLIRunner.readAll(process.standardOutput!)
        return (process.waitUntilExit(), data)
    }
    guard status == 0 else { throw ZBarFailure(path: path, status: status) }
    var text = String(decoding: data, as: UTF8.self)
    if text.hasSuffix("\n") { text.removeLast() }
    return text
}

/// The text zbarimg reads from `png`, written to a temporary file for it.
package func decodePNG(_ png: Data) async throws -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("crm-qr-\(UUID().uuidString).png")
    try png.write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    return try await decodePNG(file.path)
}
