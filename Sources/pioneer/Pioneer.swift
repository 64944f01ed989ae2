// The `pioneer` command: a thin layer over the Pioneer modules.
import ArgumentParser

@main
struct Pioneer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pioneer",
        abstract: "Monitor the sites of an integrated care programme: validate, collect, track, return.",
        discussion: """
        Each site lives in sites/<site-id>/site.yaml. Commands that take SITE_DIR \
        arguments use every site under ./sites when none are given.

        Exit status: 0 success, 1 invalid configuration or input, 2 usage error, \
        3 some feeds or indicators failed (collect).
        """,
        version: "0.1.0",
        subcommands: [
            PluginsCommand.self,
            ValidateCommand.self,
            CollectCommand.self,
            MeasuresCommand.self,
            DemoFeedsCommand.self,
            DemoCommand.self,
        ]
    )
}
