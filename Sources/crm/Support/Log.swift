import Foundation
import Logging

/// The process's logger: stderr, level from CRM_LOG_LEVEL (warning by default), as text or JSON.
/// A long-running command may call `configure` before the first use of `logger`.
enum Log {
    enum Format: String, CaseIterable {
        case text, json
    }

    nonisolated(unsafe) private static var level: Logger.Level?
    nonisolated(unsafe) private static var format: Format = .text

    /// Whether the log is one JSON object per line (`crm webhook serve --log-format json`): then
    /// an error that ends the process is logged too, so that every line of stderr stays JSON.
    static var writesJSON: Bool { format == .json }

    /// Sets the level and format; only effective before `logger` is first used.
    static func configure(level: Logger.Level?, format: Format) {
        self.level = level
        self.format = format
    }

    static let logger: Logger = {
        let level = Self.level
            ?? ProcessInfo.processInfo.environment["CRM_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        let format = Self.format
        LoggingSystem.bootstrap { label in LogLineHandler(label: label, logLevel: level, format: format) }
        return Logger(label: "crm")
    }()
}
