// Where a plugin's README.md and sample.yaml are: a built-in plugin's folder under Plugins/ in
// the Pioneer checkout, a site plugin's under <site>/plugins/. The checkout is found beside the
// executable (.build/debug/pioneer), then where this source file was compiled, then above the
// current folder, so a binary built from a fresh clone finds it from anywhere.
import Foundation
import PioneerConfig
import PioneerCore
import PioneerKit

/// One plugin's documentation folder.
struct PluginFolder {
    /// The name a site YAML uses in `plugin:`.
    var name: String
    var folder: URL
    /// `Plugins/JSON` or `sites/torbay/plugins/falls`, for messages.
    var shownPath: String

    var readme: URL { folder.appending(path: "README.md") }
    var sample: URL { folder.appending(path: "sample.yaml") }

    /// The folder a plugin's YAML name gives under Plugins/: `care-home-deaths` → `CareHomeDeaths`,
    /// found by the convention test's rule in reverse (`JSON` → `json`), so acronyms work.
    static func builtIn(_ name: String) throws(PluginFolderError) -> PluginFolder {
        let candidates = checkoutCandidates()
        for root in candidates {
            let plugins = root.appending(path: "Plugins")
            let folders = (try? FileManager.default.contentsOfDirectory(atPath: plugins.path)) ?? []
            if let folder = folders.first(where: { yamlName(folder: $0) == name }) {
                return PluginFolder(name: name, folder: plugins.appending(path: folder), shownPath: "Plugins/\(folder)")
            }
        }
        throw .checkoutNotFound(plugin: name, looked: candidates.map(\.path))
    }

    /// The plugins a site's file declares under `plugins:`, with each one's `command`, read
    /// leniently (a file with other problems still lists them); empty when it cannot be read.
    static func declared(_ directory: String) -> [(name: String, command: String)] {
        let file = URL(fileURLWithPath: directory).appending(path: "site.yaml")
        guard let text = try? String(contentsOf: file, encoding: .utf8),
              let tree = try? ConfigDocument.parse(text, file: file.path), let entries = tree["plugins"]?.entries else { return [] }
        return entries.map { ($0.key, $0.value["command"]?.scalar ?? "no command given") }
    }

    /// The plugin folders of a site: `<site>/plugins/<name>/` holding a README.md.
    static func site(_ directory: String) -> [PluginFolder] {
        let plugins = URL(fileURLWithPath: directory).appending(path: "plugins")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: plugins.path)) ?? []
        let trimmed = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        return names.sorted().compactMap { name in
            let folder = plugins.appending(path: name)
            guard PluginCatalogue.isPluginName(name),
                  FileManager.default.fileExists(atPath: folder.appending(path: "README.md").path) else { return nil }
            return PluginFolder(name: name, folder: folder, shownPath: "\(trimmed)/plugins/\(name)")
        }
    }

    /// The README's title without the plugin's name: "# `falls`: falls admissions" → "falls admissions".
    var summaryFromReadme: String {
        let title = ((try? String(contentsOf: readme, encoding: .utf8)) ?? "")
            .split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        var text = Substring(title.trimmingCharacters(in: .whitespaces))
        while text.hasPrefix("#") { text = text.dropFirst() }
        let plain = text.trimmingCharacters(in: .whitespaces)
        let prefix = "`\(name)`:"
        return plain.hasPrefix(prefix) ? plain.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces) : plain
    }

    /// Folders that may be the Pioneer checkout, most likely first, each holding Plugins/ and Package.swift.
    static func checkoutCandidates() -> [URL] {
        var starts: [URL] = []
        if let executable = Bundle.main.executableURL {
            starts.append(executable.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        // The source tree this binary was compiled from: Sources/pioneer/PluginFolders.swift.
        starts.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent())
        starts.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        var found: [URL] = []
        for start in starts {
            var folder = start.standardizedFileURL
            while true {
                let isCheckout = FileManager.default.fileExists(atPath: folder.appending(path: "Package.swift").path)
                    && FileManager.default.fileExists(atPath: folder.appending(path: "Plugins").path)
                if isCheckout {
                    if !found.contains(folder) { found.append(folder) }
                    break
                }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        return found
    }

    /// A plugin folder's YAML name (`CareHomeDeaths` → `care-home-deaths`).
    static func yamlName(folder: String) -> String {
        PluginCatalogue.pluginName(folder: folder)
    }
}

/// Why a plugin's folder was not found.
enum PluginFolderError: Error, CustomStringConvertible {
    case checkoutNotFound(plugin: String, looked: [String])

    var description: String {
        switch self {
        case .checkoutNotFound(let plugin, let looked):
            let places = looked.isEmpty ? "no Pioneer checkout (a folder with Package.swift and Plugins/) was found beside the executable, where it was built, or above the current folder"
                : "looked in " + looked.map { "\($0)/Plugins" }.joined(separator: ", ")
            return "cannot find the folder of built-in plugin `\(plugin)`: \(places); run pioneer from its checkout"
        }
    }
}
