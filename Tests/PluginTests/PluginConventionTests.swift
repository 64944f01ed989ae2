// Walks Plugins/ and fails when a plugin folder is not registered, declared, documented or tested
// (after Telegraf's plugins/all_test.go and README linter).
import Foundation
import PioneerConfig
import PioneerKit
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
        let manifest = try String(contentsOf: Self.root.appending(path: "Package.swift"), encoding: .utf8)
        let declared = manifest.contains(#", "\#(folder)"),"#) || manifest.contains(#", "\#(folder)")"#)
        #expect(declared, "Plugins/\(folder) has no line in Package.swift's `indicatorPlugins`: add (\"<Target>\", \"\(folder)\")")
    }

    @Test(arguments: folders)
    func folderHasAReadmeWithTheRequiredSections(folder: String) throws {
        let readme = try text(folder, "README.md")
        for section in Self.requiredSections {
            #expect(readme.components(separatedBy: "\n").contains(section), "Plugins/\(folder)/README.md has no `\(section)` section")
        }
    }

    @Test(arguments: folders)
    func readmeConfigurationBlockIsACopyOfTheSample(folder: String) throws {
        let sample = try text(folder, "sample.yaml")
        let readme = try text(folder, "README.md")
        let block = try #require(Self.configurationBlock(in: readme), "Plugins/\(folder)/README.md has no ```yaml block under `## Configuration`")
        #expect(block.trimmingCharacters(in: .whitespacesAndNewlines) == sample.trimmingCharacters(in: .whitespacesAndNewlines),
                "the yaml block under `## Configuration` in Plugins/\(folder)/README.md differs from sample.yaml; copy sample.yaml into it")
    }

    @Test(arguments: folders)
    func pluginsGuideCarriesTheSample(folder: String) throws {
        let sample = try text(folder, "sample.yaml").trimmingCharacters(in: .whitespacesAndNewlines)
        let guide = try String(contentsOf: Self.root.appending(path: "docs/plugins.md"), encoding: .utf8)
        #expect(guide.contains("```yaml\n\(sample)\n```"), "docs/plugins.md should carry Plugins/\(folder)/sample.yaml unchanged in a ```yaml block")
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
                                  "\(file) names plugin `\(pluginName)`, which PluginCatalogue.all does not register")
        let typeName = String(describing: plugin)
        #expect(try sources(folder).contains("struct \(typeName)"),
                "the plugin `\(pluginName)` (\(typeName)) registered for \(file) is not defined in Plugins/\(folder)")
        let definition = try #require(indicator, "\(file): \(issues.issues.map(\.description))")
        let setup = PluginSetup(site: .testSite, indicator: definition, feeds: SiteInfo.testFeeds)
        let configured = plugin.configure(config ?? ConfigLiteral.null.node(), setup: setup, issues: issues)
        #expect(issues.issues.isEmpty, "\(issues.issues.map(\.description).joined(separator: "\n"))")
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
            #expect(tests.contains { $0.contains(type) }, "no test file in Tests/PluginTests mentions \(type) from Plugins/\(folder)")
        }
    }

    @Test func everyRegisteredPluginHasAFolder() throws {
        let allSources = try Self.folders.map { try sources($0) }.joined()
        for plugin in PluginCatalogue.all {
            #expect(allSources.contains("struct \(String(describing: plugin))"), "\(plugin.name) is registered but defined in no folder under Plugins/")
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
