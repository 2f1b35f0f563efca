import CRMTestSupport
import Foundation
@testable import QRCode
import Testing

/// The repository root, found from this file's path
/// (Tests/QRCodeTests/Support.swift).
let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// scripts/qr/NAME in the repository.
func qrScript(_ name: String) -> String {
    repositoryRoot.appendingPathComponent("scripts/qr/\(name)").path
}

/// A tool the tests need that is not installed. Tests fail with this (CI
/// installs every tool), they never skip.
struct MissingTool: Error, CustomStringConvertible {
    let name: String
    let install: String
    var description: String { "\(name) is not installed or not on PATH: install it with `\(install)`" }
}

struct ToolFailure: Error, CustomStringConvertible {
    let description: String
}

/// What a finished process left.
struct ProcessResult {
    let status: Int32
    let stdout: [UInt8]
    let stderr: String
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

/// Finds `name` on PATH.
func findExecutable(_ name: String, install: String) throws -> URL {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for directory in path.split(separator: ":") {
        let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    throw MissingTool(name: name, install: install)
}

/// Runs a program to completion. Standard input, output and error go
/// through files, so no pipe can fill up and block.
/// Waits on a thread of its own: blocking the test runner's few cooperative threads would stall
/// every other test's servers and actors.
func runProcess(_ executable: URL, _ arguments: [String], stdin: [UInt8] = []) async throws -> ProcessResult {
    try await onOwnThread { try runProcessBlocking(executable, arguments, stdin: stdin) }
}

private func runProcessBlocking(_ executable: URL, _ arguments: [String], stdin: [UInt8]) throws -> ProcessResult {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let inputURL = directory.appendingPathComponent("stdin")
    let outputURL = directory.appendingPathComponent("stdout")
    let errorURL = directory.appendingPathComponent("stderr")
    try Data(stdin).write(to: inputURL)
    _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)

    let process = try ChildProcess(
        executable.path, arguments, stdin: .file(inputURL), stdout: .file(outputURL), stderr: .file(errorURL)
    )
    return ProcessResult(status: process.waitUntilExit(),
                         stdout: [UInt8](try Data(contentsOf: outputURL)),
                         stderr: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self))
}

/// Runs one of the python scripts in scripts/qr; segno-dependent ones say so
/// on failure.
func runPython(_ script: String, _ arguments: [String] = [], stdin: [UInt8] = []) async throws -> ProcessResult {
    let python = try findExecutable("python3", install: "apt-get install python3")
    let result = try await runProcess(python, [qrScript(script)] + arguments, stdin: stdin)
    if result.status == 3 && result.stderr.contains("segno") {
        throw MissingTool(name: "segno (python package)", install: "pip install segno")
    }
    guard result.status == 0 else {
        throw ToolFailure(description: "\(script) exited with \(result.status): \(result.stderr)")
    }
    return result
}

/// A fresh empty directory under the system temporary directory.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("qrcode-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// SplitMix64: a small seeded generator so that random test cases (and
/// their failures) reproduce exactly.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension QRCode {
    /// The symbol as rows of "0"/"1" (1 = dark), like segno_matrix.py prints.
    var bitRows: [String] {
        (0..<size).map { y in String((0..<size).map { x in self[x, y] ? "1" : "0" }) }
    }
}

let alphanumericCharacters = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".utf8)
