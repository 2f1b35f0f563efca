import CRMTestSupport
import Foundation

/// A fenced shell block of a Markdown file whose info string is `sh runnable` (or `bash runnable`):
/// an example that `RunnableDocsTests` runs with the built `crm` (docs/operations.md, "The
/// examples in these docs are tested").
struct RunnableBlock: Sendable, CustomStringConvertible {
    /// The file, relative to the repository.
    let file: String
    /// The line of the opening fence, counted from 1.
    let line: Int
    let script: String

    var description: String { "\(file):\(line)" }
}

/// Finds the runnable blocks of README.md and docs/*.md.
enum RunnableDocs {
    static let repository = RepositoryFiles.root

    /// The word after the language in a fence's info string that marks a block to run.
    static let marker = "runnable"
    static let shells: Set<String> = ["sh", "bash", "shell"]

    /// README.md, then docs/*.md by name: the Markdown files whose examples people copy.
    static func files() -> [String] {
        let docs = (try? FileManager.default.contentsOfDirectory(atPath: repository.appendingPathComponent("docs").path)) ?? []
        return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/\($0)" }
    }

    static func blocks(inFile file: String) throws -> [RunnableBlock] {
        try blocks(in: String(contentsOf: repository.appendingPathComponent(file), encoding: .utf8), file: file)
    }

    /// CommonMark fences: a line of three or more backticks (or tildes), indented by up to three
    /// spaces (more inside list items), closed by a line of at least as many of the same character
    /// and nothing else. Blocks of other languages are skipped whole, so a fence shown inside a
    /// longer fence is not mistaken for one.
    static func blocks(in text: String, file: String) -> [RunnableBlock] {
        var found: [RunnableBlock] = []
        var open: (fence: Character, count: Int, line: Int, runnable: Bool, body: [Substring])?
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " }
            if var block = open {
                let run = trimmed.prefix { $0 == block.fence }
                if run.count >= block.count && trimmed.dropFirst(run.count).allSatisfy(\.isWhitespace) {
                    if block.runnable {
                        found.append(RunnableBlock(file: file, line: block.line, script: block.body.joined(separator: "\n")))
                    }
                    open = nil
                } else {
                    block.body.append(line)
                    open = block
                }
                continue
            }
            guard let fence = trimmed.first, fence == "`" || fence == "~" else { continue }
            let run = trimmed.prefix { $0 == fence }
            guard run.count >= 3 else { continue }
            let words = trimmed.dropFirst(run.count).split(whereSeparator: \.isWhitespace).map(String.init)
            let runnable = words.first.map(shells.contains) == true && words.dropFirst().contains(marker)
            open = (fence, run.count, index + 1, runnable, [])
        }
        return found
    }
}
