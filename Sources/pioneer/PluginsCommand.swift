// `pioneer plugins`: the indicator plugins this build knows.
import ArgumentParser
import PioneerCollect
import PioneerPlugins
import PioneerKit
import PioneerCore

struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List the indicator plugins a site YAML can name in `plugin:`."
    )

    func run() throws {
        var table = TextTable()
        for factory in try Plugins.catalogue().factories {
            table.add([factory.name, factory.summary])
        }
        print(table.render())
    }
}
