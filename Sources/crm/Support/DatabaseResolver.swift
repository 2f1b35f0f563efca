import CRMCore
import CRMStore
import Foundation

/// Chooses the database: --database, else CRM_DATABASE_URL, else DATABASE_URL, else the embedded
/// SQLite file in the user's data folder.
enum DatabaseResolver {
    struct Choice {
        var location: DatabaseLocation
        /// True for the default file, whose folder crm may create.
        var isDefault: Bool
    }

    static func resolve(_ explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> Choice
    {
        for candidate in [explicit, environment["CRM_DATABASE_URL"], environment["DATABASE_URL"]] {
            if let candidate, !candidate.trimmingCharacters(in: .whitespaces).isEmpty {
                return Choice(location: try DatabaseLocation.parse(candidate), isDefault: false)
            }
        }
        return Choice(location: .sqlite(path: try defaultPath(environment)), isDefault: true)
    }

    static func defaultPath(_ environment: [String: String]) throws -> String {
        if let dataHome = environment["XDG_DATA_HOME"], dataHome.hasPrefix("/") {
            return dataHome + "/crm/crm.sqlite"
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else {
            throw CRMError.configuration(
                "Neither XDG_DATA_HOME nor HOME is set: pass --database sqlite:///path/crm.sqlite or set CRM_DATABASE_URL."
            )
        }
        return home + "/.local/share/crm/crm.sqlite"
    }
}
