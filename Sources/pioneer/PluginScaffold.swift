// Writes a scaffolded plugin's files and, for a Swift plugin, registers it where the package
// declares plugins (Package.swift's `indicatorPluginNames`, the built-in catalogue). An edit
// whose anchor is not found is printed for the author to make instead: never a guess.
import Foundation
import PioneerConfig
import PioneerKit

/// Why a scaffold was not written.
struct PluginScaffoldError: Error {
    var message: String
}

struct PluginScaffold {
    var name: String

    /// `bed-days` → `BedDays`: the folder, and the start of the module and type names.
    static func folderName(_ name: String) -> String {
        name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    var folder: String { Self.folderName(name) }
    /// `bed-days` → `bed_days`: a name Python can import and sh scripts commonly use.
    var module: String { name.replacingOccurrences(of: "-", with: "_") }
    /// `bed-days` → `Bed days`.
    var title: String {
        let words = name.replacingOccurrences(of: "-", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    static let swiftSummary = "Numbers picked from a JSON feed and aggregated (scaffolded: say what yours computes)."

    // MARK: Swift

    func writeSwift(packageRoot root: URL) throws(PluginScaffoldError) {
        let manifest = root.appending(path: "Package.swift")
        guard let manifestText = try? String(contentsOf: manifest, encoding: .utf8), manifestText.contains(Self.namesPrefix),
              FileManager.default.fileExists(atPath: root.appending(path: "Plugins").path) else {
            throw PluginScaffoldError(message: "run `pioneer plugin new --swift` in the Pioneer package folder, the one holding Package.swift (with `\(Self.namesPrefix)...]`) and Plugins/; \(root.path) is not it")
        }
        let values = [
            "__NAME__": name, "__FOLDER__": folder, "__TITLE__": title,
            "__SUMMARY__": Self.swiftSummary,
            "__SUMMARY_LOWER__": "numbers picked from a JSON feed and aggregated.",
        ]
        let files = PluginTemplate.swift.map { template in
            (path: PluginTemplate.fill(template.path, values), template: template)
        }
        for file in files where FileManager.default.fileExists(atPath: root.appending(path: file.path).path) {
            throw PluginScaffoldError(message: "\(file.path) already exists; choose another name, or remove Plugins/\(folder) and its tests first")
        }
        let sample = files.first { $0.path.hasSuffix("sample.yaml") }.map { PluginTemplate.fill($0.template.text, values) } ?? ""
        var filled = values
        filled["__SAMPLE__"] = sample.trimmingCharacters(in: .newlines)
        for file in files {
            try write(PluginTemplate.fill(file.template.text, filled) + "\n", to: root.appending(path: file.path), executable: false)
        }
        StandardOutput.line("Wrote the `\(name)` plugin:")
        for file in files { StandardOutput.line("  \(file.path)") }

        var manual: [String] = []
        if let edited = Self.addingName(folder, toManifest: manifestText) {
            try write(edited, to: manifest, executable: false)
            StandardOutput.line("Added \"\(folder)\" to `indicatorPluginNames` in Package.swift.")
        } else {
            manual.append("Package.swift: add \"\(folder)\" to `indicatorPluginNames`")
        }
        let catalogue = root.appending(path: Self.cataloguePath)
        if let text = try? String(contentsOf: catalogue, encoding: .utf8), let edited = addingFactory(toCatalogue: text) {
            try write(edited, to: catalogue, executable: false)
            StandardOutput.line("Added `import \(folder)Plugin` and `PluginFactory(\(folder)IndicatorPlugin.self),` to \(Self.cataloguePath).")
        } else {
            manual.append("\(Self.cataloguePath): add `import \(folder)Plugin` and, in `builtInFactories`, `PluginFactory(\(folder)IndicatorPlugin.self),`")
        }
        if !manual.isEmpty {
            StandardOutput.line("\nMake these edits by hand (their usual lines were not found):")
            for line in manual { StandardOutput.line("  \(line)") }
        }
        StandardOutput.line("""

            Next:
              swift build
              swift test --filter \(folder)PluginTests        # the plugin's own tests
              swift test --filter PluginConventionTests         # folder, names, README and sample
              pioneer plugin test \(name) --config Plugins/\(folder)/sample.yaml \\
                --feed document=Tests/PluginTests/Payloads/\(name)/document.json --period 2026-06
            Then change `observe` in Plugins/\(folder)/\(folder)IndicatorPlugin.swift to compute your indicator.
            """)
    }

    static let namesPrefix = "let indicatorPluginNames = ["
    static let cataloguePath = "Sources/PioneerPlugins/PluginCatalogue+BuiltIn.swift"

    /// The manifest with `folder` in `indicatorPluginNames`, sorted as the list is (ignoring
    /// case); nil when the line is not the one-line list it usually is.
    static func addingName(_ folder: String, toManifest text: String) -> String? {
        var lines = text.components(separatedBy: "\n")
        guard let index = lines.firstIndex(where: { $0.hasPrefix(namesPrefix) }), lines[index].hasSuffix("]") else { return nil }
        let inside = lines[index].dropFirst(namesPrefix.count).dropLast()
        var names = inside.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard names.allSatisfy({ $0.hasPrefix("\"") && $0.hasSuffix("\"") && $0.count > 2 }) else { return nil }
        names = names.map { String($0.dropFirst().dropLast()) }
        guard !names.contains(folder) else { return text }
        names.append(folder)
        names.sort { $0.lowercased() < $1.lowercased() }
        lines[index] = namesPrefix + names.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        return lines.joined(separator: "\n")
    }

    /// The catalogue with this plugin's import and factory, each in its sorted place; nil when
    /// the imports or the `builtInFactories` list are not where they usually are.
    func addingFactory(toCatalogue text: String) -> String? {
        var lines = text.components(separatedBy: "\n")
        let importLine = "import \(folder)Plugin"
        let factoryLine = "        PluginFactory(\(folder)IndicatorPlugin.self),"
        let isPluginImport = { (line: String) in line.hasPrefix("import ") && line.hasSuffix("Plugin") }
        guard let firstImport = lines.firstIndex(where: isPluginImport) else { return nil }
        var lastImport = firstImport
        while lastImport + 1 < lines.count, isPluginImport(lines[lastImport + 1]) { lastImport += 1 }
        guard let open = lines.firstIndex(where: { $0.contains("static let builtInFactories: [PluginFactory] = [") }),
              let close = lines[open...].firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "]" }) else { return nil }
        let factories = Array(lines[(open + 1)..<close])
        guard factories.allSatisfy({ $0.hasPrefix("        PluginFactory(") && $0.hasSuffix("IndicatorPlugin.self),") }) else { return nil }
        let sortedFactories = (factories + [factoryLine]).sorted { Self.factoryName($0) < Self.factoryName($1) }
        lines.replaceSubrange((open + 1)..<close, with: sortedFactories)
        let imports = (Array(lines[firstImport...lastImport]) + [importLine]).sorted { $0.lowercased() < $1.lowercased() }
        lines.replaceSubrange(firstImport...lastImport, with: imports)
        return lines.joined(separator: "\n")
    }

    /// The YAML name of a factory line's type: `PluginFactory(CSVIndicatorPlugin.self),` → `csv`.
    private static func factoryName(_ line: String) -> String {
        let type = line.trimmingCharacters(in: .whitespaces)
            .replacingOccurrences(of: "PluginFactory(", with: "").replacingOccurrences(of: "IndicatorPlugin.self),", with: "")
        return PluginFolder.yamlName(folder: type)
    }

    // MARK: External

    func writeExternal(_ templates: [PluginTemplate], site: String, language: String) throws(PluginScaffoldError) {
        let siteFolder = URL(fileURLWithPath: site)
        let siteFile = siteFolder.appending(path: SiteLoader.fileName)
        guard let siteText = try? String(contentsOf: siteFile, encoding: .utf8) else {
            throw PluginScaffoldError(message: "\(site) holds no readable \(SiteLoader.fileName); --site names a site folder, such as sites/torbay")
        }
        let trimmedSite = site.hasSuffix("/") ? String(site.dropLast()) : site
        let shown = "\(trimmedSite)/plugins/\(name)"
        let folderURL = siteFolder.appending(path: "plugins").appending(path: name)
        guard !FileManager.default.fileExists(atPath: folderURL.path) else {
            throw PluginScaffoldError(message: "\(shown) already exists; choose another name, or remove the folder first")
        }
        if language == "python", let shadowed = Self.pythonModuleShadowed(module) {
            throw PluginScaffoldError(message: shadowed)
        }
        // The sample names a feed the site declares, so it validates in this site as written.
        let tree = try? ConfigDocument.parse(siteText, file: siteFile.path)
        let feed = tree?["feeds"]?.entries?.first?.key ?? "bi"
        let values = ["__NAME__": name, "__MODULE__": module, "__FEED__": feed, "__TITLE__": title, "__SITE__": trimmedSite]
        let sample = templates.first { $0.path == "sample.yaml" }.map { PluginTemplate.fill($0.text, values) } ?? ""
        var filled = values
        filled["__SAMPLE__"] = sample.trimmingCharacters(in: .newlines).components(separatedBy: "\n").map { "  " + $0 }.joined(separator: "\n")
        var written: [String] = []
        for template in templates {
            let path = PluginTemplate.fill(template.path, values)
            try write(PluginTemplate.fill(template.text, filled) + "\n", to: folderURL.appending(path: path), executable: template.executable)
            written.append("\(shown)/\(path)")
        }
        let command = templates.first { $0.executable }.map { PluginTemplate.fill($0.path, values) } ?? ""
        let test = language == "python" ? "python3 -m unittest" : "./test.sh"
        StandardOutput.line("Wrote the `\(name)` plugin (\(language)):")
        for path in written { StandardOutput.line("  \(path)") }
        StandardOutput.line("""

            Its test passes now:
              (cd \(shown) && \(test))

            To use it, declare it in \(trimmedSite)/\(SiteLoader.fileName) and name it in an indicator \
            (\(shown)/sample.yaml is one):
              plugins:
                \(name):
                  kind: exec
                  command: plugins/\(name)/\(command)
                  deadline: 30\(language == "shell" ? "\n      bodies: file      # a shell plugin reads each body from its file: quick at any size" : "")

            Then try it on the recorded body: see the README's `Try it`.
            """)
    }

    /// Why `module` cannot name a Python plugin's module, or nil: when Python already has a
    /// module of that name (`difflib`, `select`), its tests' `import` and the plugin's own
    /// imports would find one in place of the other. Nil too when python3 cannot be asked.
    static func pythonModuleShadowed(_ module: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-I", "-c",
                             "import importlib.util, sys; sys.exit(1 if importlib.util.find_spec(sys.argv[1]) else 0)", module]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 1 else { return nil }
        return "`\(module)` is the name of a module Python already has, which the plugin's `\(module).py` would hide "
            + "(its tests, and any code importing that module, would find the wrong one); choose another name, such as `\(module.replacingOccurrences(of: "_", with: "-"))-count`"
    }

    // MARK: Files

    private func write(_ text: String, to url: URL, executable: Bool) throws(PluginScaffoldError) {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            if executable {
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
            }
        } catch {
            throw PluginScaffoldError(message: "cannot write \(url.path): \(error.localizedDescription)")
        }
    }
}
