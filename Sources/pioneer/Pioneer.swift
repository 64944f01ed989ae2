// The `pioneer` command: a thin layer over the Pioneer modules.
import ArgumentParser
import Foundation
import PioneerCore

/// The process's entry: fits malloc to a limit on address space if there is one, checks, before
/// Swift's concurrency needs threads, that the system will start them, then runs ``Pioneer`` as
/// an async command.
///
/// Swift's async `main` runs on a thread of the concurrency pool; where the system will not
/// start one (the limit on processes and threads, `ulimit -u`, or a container's pids limit,
/// nearly used up), it never runs at all and the process waits for ever. So the limit is
/// probed here, on the main thread, and a refusal is an error naming it.
@main
enum PioneerEntry {
    static func main() {
        VirtualMemoryLimit.fitAllocatorToLimit()
        if let problem = ThreadLimits.probe() {
            FileHandle.standardError.write(Data("error: \(problem)\n".utf8))
            exit(1)
        }
        Task {
            await Pioneer.runMain()
            exit(0)
        }
        dispatchMain()
    }
}

struct Pioneer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pioneer",
        abstract: "Monitor the sites of an integrated care programme: validate, collect, track, return.",
        discussion: """
        Each site lives in sites/<site-id>/site.yaml. Commands that take SITE_DIR \
        arguments use every site under ./sites when none are given.

        Exit status: 0 success, 1 invalid configuration or input, 2 usage error, \
        3 some feeds or indicators failed (collect) or some returns were left out (aggregate), \
        4 a goal at or beyond --fail-on (progress), 5 accepted with warnings, 6 rejected by the \
        service, 7 not delivered (submit), 130 interrupted by Ctrl-C or SIGTERM (collect).
        """,
        version: "0.1.0",
        subcommands: [
            PluginsCommand.self,
            PluginCommand.self,
            ValidateCommand.self,
            CollectCommand.self,
            MeasuresCommand.self,
            ReportCommand.self,
            RunsCommand.self,
            ProgressCommand.self,
            SPCCommand.self,
            ReturnCommand.self,
            AggregateCommand.self,
            ServeCommand.self,
            SubmitCommand.self,
            DemoFeedsCommand.self,
            DemoCommand.self,
            BenchFeedsCommand.self,
            BenchIntakeCommand.self,
        ]
    )

    /// "error: …", as every other message pioneer writes, rather than argument-parser's "Error: …".
    static var _errorPrefix: String { "error: " }

    /// Runs the command, with usage errors exiting 2 rather than argument-parser's 64,
    /// and a closed output pipe ending the run quietly rather than with a signal. A file that
    /// reaches the process's file-size limit (`ulimit -f`) makes the write fail, reported as
    /// "File too large", rather than killing the process with SIGXFSZ.
    ///
    /// A usage error is a ``ValidationError``: thrown by a subcommand's `validate()` when the
    /// options alone show it, or by its `run()` when only the sites do (an `--indicator`
    /// no site declares). Either way it is printed with the subcommand's usage.
    static func runMain() async {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)
        raiseOpenFileLimit()
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exitOnUsageError(fullMessage(for: error), code: exitCode(for: error))
            exit(withError: error)
        }
        do {
            var command = command
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            if let failure = StandardOutput.failure {
                StandardError.write("\(_errorPrefix)\(failure)\n")
                Foundation.exit(1)
            }
        } catch let error as ValidationError {
            let subcommand = type(of: command)
            let name = commandPath(to: subcommand).joined(separator: " ")
            exitOnUsageError("\(_errorPrefix)\(error.message)\nUsage: \(usageString(for: subcommand))\n  See '\(name) --help' for more information.",
                             code: .validationFailure)
        } catch {
            // The command's own failure stands; a failed write to stdout is said beside it.
            if let failure = StandardOutput.failure { StandardError.write("\(_errorPrefix)\(failure)\n") }
            exit(withError: error)
        }
    }

    /// The words that run `target`: `pioneer plugin test`, not `pioneer test`.
    static func commandPath(to target: any ParsableCommand.Type) -> [String] {
        func search(_ node: any ParsableCommand.Type, _ path: [String]) -> [String]? {
            if ObjectIdentifier(node) == ObjectIdentifier(target) { return path }
            for child in node.configuration.subcommands {
                if let found = search(child, path + [child._commandName]) { return found }
            }
            return nil
        }
        return search(Pioneer.self, [Pioneer._commandName]) ?? [Pioneer._commandName, target._commandName]
    }

    /// Raises the soft limit on open files to the hard limit (at most 65,536): a collect over
    /// many sites keeps about five files open for each site's store, and the usual soft limit
    /// of 1,024 would stop it at two hundred sites.
    private static func raiseOpenFileLimit() {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        let wanted = min(limit.rlim_max, 65_536)
        guard limit.rlim_cur < wanted else { return }
        limit.rlim_cur = wanted
        _ = setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
    }

    /// Writes `message` and exits 2 when `code` is argument-parser's usage error.
    private static func exitOnUsageError(_ message: String, code: ExitCode) {
        guard code == .validationFailure else { return }
        StandardError.write(message + "\n")
        Foundation.exit(2)
    }
}
