import CRMCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The demo's private folder under $TMPDIR (mode 0700, a name no other process can guess in
/// advance), holding its SQLite database and WAL files; removed at the end unless --keep.
struct DemoFolder: Sendable {
    let path: String

    var databasePath: String { path + "/demo.sqlite" }
    var databaseURL: String { "sqlite://" + databasePath }

    static func create() throws -> DemoFolder {
        let base = FileManager.default.temporaryDirectory.path
        var template = Array(((base.hasSuffix("/") ? base : base + "/") + "crm-demo-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw CRMError.unavailable(
                "Cannot create a temporary folder in \(base): set TMPDIR to a folder you may write, then run crm demo again."
            )
        }
        return DemoFolder(path: String(cString: made))
    }

    /// Removes the folder and everything in it; a failure is not worth failing the demo for.
    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
