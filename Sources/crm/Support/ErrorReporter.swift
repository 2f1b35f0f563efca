import ArgumentParser
import CRMCore
import Foundation
import Logging

/// Prints an error as one line on stderr and exits with its documented code.
/// Nothing internal (stack traces, SQL, driver messages) is printed.
enum ErrorReporter {
    static func exit(with error: any Error) -> Never {
        switch error {
        case let error as CRMError:
            print(error.message, status: ExitStatus(error.kind))
        case let error as ProviderError:
            print(error.message, status: ExitStatus(error.error.kind))
        case let error as OutputFileError:
            print(error.message, status: .cannotWriteOutput)
        case let error as StoreError:
            // A use case should have translated it; say what kind of refusal it was, nothing more.
            switch error {
            case .uniqueViolation: print("That record already exists.", status: .conflict)
            case .foreignKeyViolation: print("A record this one refers to does not exist.", status: .notFound)
            case .constraintViolation: print("The database refused the value: check the input.", status: .invalidInput)
            }
        case let error as ValidationError:
            // Thrown by a command's run(): the message alone (the root's usage line would mislead).
            print(error.message + " See --help.", status: .usage)
        case is CleanExit, is ExitCode:
            CRM.exit(withError: error)
        case is CancellationError:
            print("Interrupted.", status: .cancelled)
        case _ where CRM.exitCode(for: error) == .success:
            // `--help` and `help SUBCOMMAND` arrive here as the run of swift-argument-parser's own help
            // command, which throws its (internal) "help requested" error: print the help, exit 0.
            CRM.exit(withError: error)
        default:
            print("Unexpected error (\(type(of: error))): run again with CRM_LOG_LEVEL=debug and report it.", status: .internalError)
        }
    }

    private static func print(_ message: String, status: ExitStatus) -> Never {
        if Log.writesJSON {
            Log.logger.critical("\(message)", metadata: ["exitCode": "\(status.rawValue)"])
            Foundation.exit(status.rawValue)
        }
        let prefix = Terminal.colorsEnabled(forStderr: true) ? "\u{1B}[31mError:\u{1B}[0m" : "Error:"
        Terminal.writeError("\(prefix) \(message)")
        Foundation.exit(status.rawValue)
    }
}
