// Walks Plugins/ and fails when a plugin folder is not registered, declared, documented or tested
// (after Telegraf's plugins/all_test.go and README linter).
import Foundation
import PioneerConfig
import PioneerKit
import PioneerExtraction
import PioneerPlugins
import PioneerTesting
import Testing

@Suite("Plugin folder conventions")
struct PluginConventionTests {
    static let root = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let pluginsFolder = root.appending(path: "Plugins")
    static let testsFolder = root.appending(path: "Tests/PluginTests")
    static let requiredSections = ["## Configuration", "## Output", "## Errors", "## Example"]

    static var folders: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: pluginsFolder.path)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: pluginsFolder.appending(path: name).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
    }

    @Test func thePluginsFolderIsFound() {
        #expect(Self.folders.count >= PluginCatalogue.all.count, "found \(Self.folders) under \(Self.pluginsFolder.path)")
    }

    @Test(arguments: folders)
    func folderIsDeclaredInPackageSwift(folder: String) throws {
        // Compared into a Bool first: a failed #expect prints its operands, and the manifest
        // would bury the one line that says what to add.
        let manifest = try String(contentsOf: Self.root.appending(path: "Package.swift"), encoding: .utf8)
        let declared = manifest.contains(#", "\#(folder)"),"#) || manifest.contains(#", "\#(folder)")"#)
        #expect(declared, "Plugins/\(folder) has no line in Package.swift's `indicatorPlugins`: add (\"<Target>\", \"\(folder)\")")
    }

    @Test(arguments: folders)
    func folderHasAReadmeWithTheRequiredSections(folder: String) throws {
        let readme = try text(folder, "README.md")
        for section in Self.requiredSections {
            let present = readme.components(separatedBy: "\n").contains(section)
            #expect(present, "Plugins/\(folder)/README.md has no `\(section)` section")
        }
    }

    @Test(arguments: folders)
    func readmeConfigurationBlockIsACopyOfTheSample(folder: String) throws {
        let sample = try text(folder, "sample.yaml")
        let readme = try text(folder, "README.md")
        guard let block = Self.configurationBlock(in: readme) else {
            Issue.record("Plugins/\(folder)/README.md has no ```yaml block under `## Configuration`; copy sample.yaml into one")
            return
        }
        // The comparison is reported as one line, not as the two texts, which would bury it.
        if let difference = Self.firstDifference(block, sample) {
            Issue.record("Plugins/\(folder)/README.md's `## Configuration` block differs from sample.yaml at \(difference); copy sample.yaml into it")
        }
    }

    /// docs/plugins.md describes the built-in plugins; a copy of a sample there must be
    /// exact, but a new (site-local) plugin need not appear there at all.
    @Test(arguments: folders)
    func pluginsGuideCopyOfTheSampleIsExact(folder: String) throws {
        let sample = try text(folder, "sample.yaml")
        let pluginName = try #require(Self.pluginName(in: sample), "Plugins/\(folder)/sample.yaml has no `plugin:` line")
        let guide = try String(contentsOf: Self.root.appending(path: "docs/plugins.md"), encoding: .utf8)
        for (line, block) in Self.yamlBlocks(in: guide) where Self.pluginName(in: block) == pluginName {
            if let difference = Self.firstDifference(block, sample) {
                Issue.record("docs/plugins.md:\(line): the `\(pluginName)` block differs from Plugins/\(folder)/sample.yaml at \(difference); copy the sample into it")
            }
        }
    }

    @Test("a copy that differs is reported by its first differing line")
    func firstDifferenceNamesTheLine() {
        #expect(Self.firstDifference("a: 1\nb: 2\n", "a: 1\nb: 2") == nil)
        #expect(Self.firstDifference("a: 1\nb: 2", "a: 1\nb: 3") == "line 2: `b: 2` where the sample has `b: 3`")
        #expect(Self.firstDifference("a: 1", "a: 1\nb: 2") == "line 2: nothing where the sample has `b: 2`")
        #expect(Self.yamlBlocks(in: "x\n```yaml\n- id: a\n  plugin: json\n```\n").map { $0.line } == [2])
    }

    @Test(arguments: folders)
    func sampleParsesAndConfiguresCleanlyWithARegisteredPluginFromThisFolder(folder: String) throws {
        let file = "Plugins/\(folder)/sample.yaml"
        let document = try ConfigDocument.parse(try text(folder, "sample.yaml"), file: file)
        let items = try #require(document.items, "\(file) should be one entry of an `indicators:` list, starting with `- id:`")
        #expect(items.count == 1, "\(file) should hold exactly one indicator")
        let entry = try #require(items.first)
        let issues = IssueCollector()
        let reader = ConfigReader(entry, issues: issues)
        let indicator = Self.indicator(reader)
        let pluginName = reader.string("plugin", required: true) ?? ""
        let config = reader.node("config", required: true)
        reader.finish()
        let plugin = try #require(PluginCatalogue.plugin(named: pluginName),
                                  "\(file) names plugin `\(pluginName)`, which PluginCatalogue.all does not register; add the target's import and the type to `all` in Sources/PioneerPlugins/PluginCatalogue.swift")
        let typeName = String(describing: plugin)
        let definedHere = try sources(folder).contains("struct \(typeName)")
        #expect(definedHere, "the plugin `\(pluginName)` (\(typeName)) registered for \(file) is not defined in Plugins/\(folder)")
        let definition = try #require(indicator, "\(file): \(issues.issues.map(\.description))")
        let setup = PluginSetup(site: .testSite, indicator: definition, feeds: SiteInfo.testFeeds)
        let configured = plugin.configure(config ?? ConfigLiteral.null.node(), setup: setup, issues: issues)
        if let first = issues.issues.first {
            Issue.record("\(first)\(issues.issues.count > 1 ? " (and \(issues.issues.count - 1) more)" : "")")
        }
        #expect(configured != nil)
    }

    @Test(arguments: folders)
    func aTestMentionsThePluginType(folder: String) throws {
        let types = try Self.pluginTypes(in: sources(folder))
        #expect(!types.isEmpty, "Plugins/\(folder) defines no `struct ...: IndicatorPlugin`")
        let testFiles = try FileManager.default.contentsOfDirectory(atPath: Self.testsFolder.path)
            .filter { $0.hasSuffix(".swift") && $0 != "PluginConventionTests.swift" }
        let tests = try testFiles.map { try String(contentsOf: Self.testsFolder.appending(path: $0), encoding: .utf8) }
        for type in types {
            let mentioned = tests.contains { $0.contains(type) }
            #expect(mentioned, "no test file in Tests/PluginTests mentions \(type) from Plugins/\(folder)")
        }
    }

    @Test func everyRegisteredPluginHasAFolder() throws {
        let allSources = try Self.folders.map { try sources($0) }.joined()
        for plugin in PluginCatalogue.all {
            let defined = allSources.contains("struct \(String(describing: plugin))")
            #expect(defined, "\(plugin.name) is registered but defined in no folder under Plugins/")
        }
    }

    // MARK: Helpers

    func text(_ folder: String, _ name: String) throws -> String {
        let url = Self.pluginsFolder.appending(path: folder).appending(path: name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw HarnessError("Plugins/\(folder) has no \(name)")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The folder's Swift sources, concatenated.
    func sources(_ folder: String) throws -> String {
        let url = Self.pluginsFolder.appending(path: folder)
        return try FileManager.default.contentsOfDirectory(atPath: url.path)
            .filter { $0.hasSuffix(".swift") }.sorted()
            .map { try String(contentsOf: url.appending(path: $0), encoding: .utf8) }
            .joined(separator: "\n")
    }

    /// Names of `struct X: IndicatorPlugin` declarations.
    static func pluginTypes(in source: String) -> [String] {
        source.components(separatedBy: "\n").compactMap { line in
            guard line.contains(": IndicatorPlugin"), let range = line.range(of: "struct ") else { return nil }
            return line[range.upperBound...].split(separator: ":").first.map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    /// Where `copy` first differs from `sample`, line by line, ignoring blank lines at
    /// either end; nil when they agree.
    static func firstDifference(_ copy: String, _ sample: String, original: String = "the sample") -> String? {
        let copyLines = copy.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "\n")
        let sampleLines = sample.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "\n")
        for index in 0..<max(copyLines.count, sampleLines.count) {
            let copyLine = index < copyLines.count ? copyLines[index] : nil
            let sampleLine = index < sampleLines.count ? sampleLines[index] : nil
            guard copyLine != sampleLine else { continue }
            let found = copyLine.map { "`\($0)`" } ?? "nothing"
            let wanted = sampleLine.map { "`\($0)`" } ?? "nothing"
            return "line \(index + 1): \(found) where \(original) has \(wanted)"
        }
        return nil
    }

    /// The ```yaml blocks of a Markdown text, each with the line of its opening fence.
    static func yamlBlocks(in markdown: String) -> [(line: Int, text: String)] {
        var blocks: [(line: Int, text: String)] = []
        var open: (line: Int, lines: [String])?
        for (index, line) in markdown.components(separatedBy: "\n").enumerated() {
            if var current = open {
                if line == "```" {
                    blocks.append((current.line, current.lines.joined(separator: "\n")))
                    open = nil
                } else {
                    current.lines.append(line)
                    open = current
                }
            } else if line == "```yaml" {
                open = (index + 1, [])
            }
        }
        return blocks
    }

    /// The value of an indicator entry's top-level `plugin:` line.
    static func pluginName(in yaml: String) -> String? {
        yaml.components(separatedBy: "\n").lazy
            .compactMap { line -> String? in
                guard line.hasPrefix("  plugin:") else { return nil }
                let value = line.dropFirst("  plugin:".count).split(separator: "#").first ?? ""
                return value.trimmingCharacters(in: .whitespaces)
            }.first
    }

    /// The first ```yaml block after `## Configuration`.
    static func configurationBlock(in readme: String) -> String? {
        guard let section = readme.range(of: "\n## Configuration\n"),
              let open = readme.range(of: "```yaml\n", range: section.upperBound..<readme.endIndex),
              let close = readme.range(of: "\n```", range: open.upperBound..<readme.endIndex) else { return nil }
        return String(readme[open.upperBound..<close.lowerBound])
    }

    /// The indicator a sample declares, read as the site loader would.
    static func indicator(_ reader: ConfigReader) -> IndicatorDefinition? {
        let id = reader.string("id", required: true)
        let name = reader.string("name", required: true)
        let kind: IndicatorKind? = reader.choice("kind", required: true)
        let valueType: ValueType? = reader.choice("value_type", required: true)
        let unit = reader.string("unit", required: true)
        let period: PeriodType? = reader.choice("period", required: true)
        let better: Direction? = reader.choice("better", required: true)
        let decimals = reader.int("decimals")
        let per = reader.int("per")
        let description = reader.string("description")
        guard let id, let name, let kind, let valueType, let unit, let period, let better else { return nil }
        return IndicatorDefinition(
            id: id, name: name, kind: kind, valueType: valueType, unit: unit, periodType: period, better: better,
            decimals: decimals ?? 1, factor: per.flatMap(PopulationFactor.init(rawValue:)), description: description)
    }
}
