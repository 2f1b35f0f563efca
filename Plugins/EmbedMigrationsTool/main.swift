import Foundation

// Usage: EmbedMigrationsTool OUTPUT.swift db/DIALECT/NNNN_name.sql...
// Writes one Swift file that lists every migration with its dialect, file name and SQL text.

let arguments = CommandLine.arguments.dropFirst()
guard let outputPath = arguments.first else {
    FileHandle.standardError.write(Data("usage: EmbedMigrationsTool OUTPUT FILE...\n".utf8))
    exit(64)
}

/// A raw string delimiter long enough that the SQL text cannot close the literal early.
func rawDelimiter(for text: String) -> String {
    var hashes = "#"
    while text.contains("\"\"\"" + hashes) || text.contains("\"" + hashes) { hashes += "#" }
    return hashes
}

var source = """
// Generated at build time by the EmbedMigrations plugin from db/. Do not edit.

extension EmbeddedMigrations {
    static let files: [EmbeddedMigrationFile] = [

"""
for path in arguments.dropFirst() {
    let url = URL(fileURLWithPath: path)
    let dialect = url.deletingLastPathComponent().lastPathComponent
    let text = try String(contentsOf: url, encoding: .utf8)
    let hashes = rawDelimiter(for: text)
    source += "        EmbeddedMigrationFile(\n"
    source += "            dialect: \"\(dialect)\",\n"
    source += "            fileName: \"\(url.lastPathComponent)\",\n"
    source += "            sql: \(hashes)\"\"\"\n\(text)\n\"\"\"\(hashes)\n"
    source += "        ),\n"
}
source += "    ]\n}\n"
try source.write(toFile: outputPath, atomically: true, encoding: .utf8)
