// The `pioneer` command: a thin layer over the Pioneer modules.
import ArgumentParser
import Foundation

@main
struct Pioneer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pioneer",
        abstract: "Monitor the sites of an integrated care programme: validate, collect, track, return.",
        discussion: """
        Each site lives in sites/<site-id>/site.yaml. Commands that take SITE_DIR \
        arguments use every site under ./sites when none are given.

        Exit status: 0 success, 1 invalid configuration or input, 2 usage error, \
        3 some feeds or indicators failed (collect), 130 interrupted by Ctrl-C or SIGTERM (collect).
        """,
        version: "0.1.0",
        subcommands: [
            PluginsCommand.self,
            ValidateCommand.self,
            CollectCommand.self,
            MeasuresCommand.self,
            RunsCommand.self,
            DemoFeedsCommand.self,
            DemoCommand.self,
            BenchFeedsCommand.self,
        ]
    )

    /// Runs the command, with usage errors exiting 2 rather than argument-parser's 64,
    /// and a closed output pipe ending the run quietly rather than with a signal.
    static func main() async {
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                StandardError.write(fullMessage(for: error) + "\n")
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
