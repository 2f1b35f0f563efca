import Foundation

/// Files of this repository (docs, fixtures) and the tools the tests check them with.
package enum RepositoryFiles {
    package static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    package static func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    package static func text(_ path: String) throws -> String { try String(contentsOf: url(path), encoding: .utf8) }

    /// The first of `paths` that is an executable file, e.g. a Debian package's tool.
    package static func tool(_ paths: String...) -> String? {
        paths.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a tool to its end without blocking a thread (its output goes to a file, read after), and
    /// returns its exit status (nil when it did not end within `seconds`: it is killed) and what it
    /// wrote on stdout and stderr together.
    package static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, seconds: Double = 60
    ) async throws -> (status: Int32?, output: String) {
        let log = try TestDatabases.temporaryFolder().appendingPathComponent("output.log")
        let process = try ChildProcess(executable, arguments, environment: environment, stdout: .file(log), stderr: .standardOutput)
        let status = await process.exitStatus(within: seconds)
        if status == nil { process.send(9) }
        return (status, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }
}
