// `pioneer plugin`: the plugin author's tools, `plugin new` (a working plugin to start from)
// and `plugin test` (a plugin run on recorded feed bodies, without live feeds).
import ArgumentParser

struct PluginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin",
        abstract: "Write and try indicator plugins: `plugin new` scaffolds one, `plugin test` runs one on recorded feeds.",
        discussion: "docs/writing-plugins.md walks through both, for a Swift plugin and an external one.",
        subcommands: [PluginNewCommand.self, PluginTestCommand.self]
    )
}
