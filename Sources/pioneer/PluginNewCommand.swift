// `pioneer plugin new`: writes a working plugin to start from, in Swift (a folder under
// Plugins/ registered in Package.swift and the catalogue, with its tests) or as an external
// plugin in Python or POSIX sh (a folder under <site>/plugins/ with its own test).
import ArgumentParser
import Foundation
import PioneerConfig
import PioneerCore
import PioneerKit
import PioneerPlugins

struct PluginNewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Scaffold a working plugin: source, README, sample indicator and a test.",
        discussion: """
        --swift writes Plugins/<Folder>/ (source, README.md, sample.yaml) and \
        Tests/PluginTests/<Folder>PluginTests.swift in the Pioneer package (run it in the \
        checkout), and adds the folder to Package.swift and the plugin to the built-in \
        catalogue; `swift build` and `swift test --filter PluginTests` then pass.

        --python and --shell write <site>/plugins/<name>/ (the plugin, its test, a recorded \
        body, sample.yaml and README.md) for the site given by --site (default: the current \
        folder, which must hold site.yaml), and print the `plugins:` lines to add to site.yaml. \
        Their test passes straight away: `python3 -m unittest` or `./test.sh` in the folder.

        Examples:
          pioneer plugin new falls --swift
          pioneer plugin new bed-days --python --site sites/torbay
          pioneer plugin new home-count --shell --site sites/cambridge
        """
    )

    enum Language: String, EnumerableFlag {
        case swift, python, shell
    }

    @Argument(help: ArgumentHelp("The plugin's name, as indicators give it in `plugin:`: lowercase words joined by hyphens.", valueName: "name"))
    var name: String

    @Flag(help: "The language to write the plugin in.")
    var language: Language?

    @Option(help: ArgumentHelp("The site folder a Python or shell plugin is written into (default: the current folder).", valueName: "dir"))
    var site: String?

    func validate() throws {
        guard let language else {
            throw ValidationError("choose the plugin's language: --swift (compiled into pioneer), --python or --shell (an external plugin of a site)")
        }
        guard PluginCatalogue.isPluginName(name) else {
            throw ValidationError("\(PluginCatalogueError.invalidName(name))")
        }
        // Its files are named after it (`test_<name>.py`): a file name has at most 255 bytes.
        guard name.utf8.count <= 64 else {
            throw ValidationError("`\(name.prefix(20))…` is \(name.utf8.count) characters long; a plugin name has at most 64")
        }
        if PluginCatalogue.builtInFactories.contains(where: { $0.name == name }) {
            throw ValidationError("`\(name)` is the name of a built-in plugin; choose another name")
        }
        if language == .swift {
            if site != nil {
                throw ValidationError("--site is for --python and --shell plugins; a Swift plugin goes under Plugins/ in the Pioneer package")
            }
            let folder = PluginScaffold.folderName(name)
            guard PluginFolder.yamlName(folder: folder) == name else {
                throw ValidationError("`\(name)` cannot name a Swift plugin: its folder would be `\(folder)`, whose name is `\(PluginFolder.yamlName(folder: folder))`; start each word after a hyphen with a letter")
            }
        }
    }

    func run() throws {
        let scaffold = PluginScaffold(name: name)
        do {
            switch language {
            case .swift: try scaffold.writeSwift(packageRoot: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            case .python: try scaffold.writeExternal(PluginTemplate.python, site: site ?? ".", language: "python")
            case .shell: try scaffold.writeExternal(PluginTemplate.shell, site: site ?? ".", language: "shell")
            case nil: break
            }
        } catch {
            throw PluginsShowCommand.fail(error.message)
        }
    }
}
