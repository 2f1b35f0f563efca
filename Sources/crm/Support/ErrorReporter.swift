import ArgumentParser
import CRMCore
import Foundation
import Logging

/// Prints an error as one line on stderr and exits with its documented code.
/// Nothing internal (stack traces, SQL, driver messages) is printed.
enum ErrorReporter {
    static func exit(with error: any Error) -> Never {
        Foundation.exit(report(error))
    }

    /// Prints the error as `exit(with:)` does and returns its exit code, for the console, which goes on.
    static func report(_ error: any Error) -> Int32 {
        switch error {
        case let error as CRMError:
            return print(error.message, status: ExitStatus(error.kind))
        case let error as ProviderError:
            return print(error.message, status: ExitStatus(error.error.kind))
        case let error as OutputFileError:
            return print(error.message, status: .cannotWriteOutput)
        case let error as StoreError:
            // A use case should have translated it; say what kind of refusal it was, nothing more.
            switch error {
            case .uniqueViolation: return print("That record already exists.", status: .conflict)
            case .foreignKeyViolation: return print("A record this one refers to does not exist.", status: .notFound)
            case .constraintViolation: return print("The database refused the value: check the input.", status: .invalidInput)
            }
        case let error as ValidationError:
            // Thrown by a command's run(): the message alone (the root's usage line would mislead).
            return print(error.message + " See --help.", status: .usage)
        case is CleanExit, is ExitCode:
            return argumentParserMessage(error)
        case is CancellationError:
            return print("Interrupted.", status: .cancelled)
        case _ where CRM.exitCode(for: error) == .success:
            // `--help` and `help SUBCOMMAND` arrive here as the run of swift-argument-parser's own help
            // command, which throws its (internal) "help requested" error: print the help, exit 0.
            return argumentParserMessage(error)
        default:
            return print("Unexpected error (\(type(of: error))): run again with CRM_LOG_LEVEL=debug and report it.", status: .internalError)
        }
    }

    private static func print(_ message: String, status: ExitStatus) -> Int32 {
        if Log.writesJSON {
            Log.logger.critical("\(message)", metadata: ["exitCode": "\(status.rawValue)"])
            return status.rawValue
        }
        let prefix = Terminal.colorsEnabled(forStderr: true) ? "\u{1B}[31mError:\u{1B}[0m" : "Error:"
        Terminal.writeError("\(prefix) \(message)")
        return status.rawValue
    }

    /// What `CRM.exit(withError:)` prints for help, `--version`, usage errors and `ExitCode`, without exiting:
    /// help on stdout, errors on stderr.
    static func argumentParserMessage(_ error: any Error) -> Int32 {
        let message = CRM.fullMessage(for: error)
        let code = CRM.exitCode(for: error)
        if !message.isEmpty {
            if code == .success {
                Swift.print(message)
            } else {
                Terminal.writeError(message)
            }
        }
        return code.rawValue
    }
}
