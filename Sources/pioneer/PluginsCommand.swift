// `pioneer plugins`: the indicator plugins this build knows.
import ArgumentParser
import PioneerPlugins
import PioneerKit

struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List the indicator plugins a site YAML can name in `plugin:`."
    )

    func run() throws {
        let width = PluginCatalogue.names.map(\.count).max() ?? 0
        for plugin in PluginCatalogue.all.sorted(by: { $0.name < $1.name }) {
            let pad = String(repeating: " ", count: width - plugin.name.count)
            print("\(plugin.name)\(pad)  \(plugin.summary)")
        }
    }
}
