// `pioneer plugins`: the indicator plugins a site can name, and `pioneer plugins show NAME`,
// a plugin's README and sample, for an author choosing or copying one.
import ArgumentParser
import Foundation
import PioneerCollect
import PioneerCore
import PioneerKit
import PioneerPlugins

struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List the indicator plugins a site YAML can name in `plugin:`, or show one.",
        subcommands: [PluginsListCommand.self, PluginsShowCommand.self],
        defaultSubcommand: PluginsListCommand.self
    )
}

struct PluginsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the built-in plugins and, with --site, the site's own.",
        discussion: """
        Examples:
          pioneer plugins
          pioneer plugins --site sites/tower-hamlets
        """
    )

    @Option(help: ArgumentHelp("Also list this site's plugins, the folders under <dir>/plugins/.", valueName: "dir"))
    var site: String?

    func run() throws {
        var table = TextTable()
        for factory in try Plugins.catalogue().factories {
            table.add([factory.name, factory.summary])
        }
        if let site {
            try PluginsShowCommand.requireSite(site)
            let folders = PluginFolder.site(site)
            for folder in folders {
                table.add([folder.name, "\(folder.summaryFromReadme) (\(folder.shownPath))"])
            }
            // A plugin the site declares need not have a documented folder; it is still one a
            // site YAML can name.
            for (name, command) in PluginFolder.declared(site) where !folders.contains(where: { $0.name == name }) {
                table.add([name, "declared in \(site)/site.yaml: \(command) (no README.md beside it)"])
            }
        }
        StandardOutput.line(table.render())
    }
}

struct PluginsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a plugin's README and its sample indicator entry.",
        discussion: """
        Built-in plugins' READMEs are in the Pioneer checkout (Plugins/<Name>/), site plugins' \
        in <site>/plugins/<name>/. With --sample only the sample is printed, ready to copy into \
        a site's `indicators:` or to give `pioneer plugin test --config`.

        Examples:
          pioneer plugins show json
          pioneer plugins show json --sample > indicator.yaml
          pioneer plugins show care-process-target --site sites/tower-hamlets
        """
    )

    @Argument(help: ArgumentHelp("The plugin's name, as a site YAML gives it in `plugin:`.", valueName: "name"))
    var name: String

    @Option(help: ArgumentHelp("Also look among this site's plugins, the folders under <dir>/plugins/.", valueName: "dir"))
    var site: String?

    @Flag(help: "Print only the sample indicator entry (sample.yaml).")
    var sample = false

    func run() throws {
        let folder = try find()
        let sampleText = try? String(contentsOf: folder.sample, encoding: .utf8)
        if sample {
            guard let sampleText else { throw Self.fail("\(folder.shownPath) has no sample.yaml") }
            StandardOutput.line(sampleText, terminator: sampleText.hasSuffix("\n") ? "" : "\n")
            return
        }
        guard let readme = try? String(contentsOf: folder.readme, encoding: .utf8) else {
            throw Self.fail("cannot read \(folder.shownPath)/README.md")
        }
        StandardOutput.line(readme, terminator: readme.hasSuffix("\n") ? "" : "\n")
        // Built-in READMEs carry the sample in their Configuration block; print it only when not.
        if let sampleText, !readme.contains(sampleText.trimmingCharacters(in: .whitespacesAndNewlines)) {
            StandardOutput.line("\n## Sample (\(folder.shownPath)/sample.yaml)\n\n```yaml\n\(sampleText.trimmingCharacters(in: .newlines))\n```")
        }
    }

    private func find() throws -> PluginFolder {
        let catalogue = try Plugins.catalogue()
        var siteFolders: [PluginFolder] = []
        if let site {
            try Self.requireSite(site)
            siteFolders = PluginFolder.site(site)
            if let folder = siteFolders.first(where: { $0.name == name }) { return folder }
            if let declared = PluginFolder.declared(site).first(where: { $0.name == name }) {
                throw Self.fail("`\(name)` is declared in \(site)/site.yaml (command \(declared.command)), but has no "
                                + "README.md in \(site)/plugins/\(name)/ to show; `pioneer plugin new` writes one for a new plugin")
            }
        }
        guard catalogue.factory(named: name) != nil else {
            let names = catalogue.names + siteFolders.map(\.name)
            let known = names.map { "`\($0)`" }.joined(separator: ", ")
            throw Self.fail("unknown plugin `\(name)`\(didYouMean(name, among: names)); known plugins: \(known)"
                            + (site == nil ? " (add --site DIR for a site's own plugins)" : ""))
        }
        do {
            return try PluginFolder.builtIn(name)
        } catch {
            throw Self.fail("\(error)")
        }
    }

    /// Stops with a message when `directory` is not a site folder.
    static func requireSite(_ directory: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw fail("\(directory): no such site folder; --site names a folder holding site.yaml, such as sites/torbay")
        }
    }

    static func fail(_ message: String) -> ExitCode {
        StandardError.write("error: \(message)\n")
        return ExitCode(1)
    }
}
