// Walks Plugins/ and fails when a plugin folder is not registered, declared, documented or tested,
// or when its folder, target, type and YAML name disagree (after Telegraf's plugins/all_test.go
// and README linter).
import Foundation
import PioneerConfig
import PioneerCore
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
        #expect(Self.folders.count >= PluginCatalogue.builtInFactories.count, "found \(Self.folders) under \(Self.pluginsFolder.path)")
    }

    @Test func builtInPluginsHaveNamesOfTheirOwn() throws {
        let catalogue = try PluginCatalogue.builtIn()
        #expect(catalogue.names.count == PluginCatalogue.builtInFactories.count)
    }

    @Test(arguments: folders)
    func folderIsDeclaredInPackageSwift(folder: String) throws {
        // Compared into a Bool first: a failed #expect prints its operands, and the manifest
        // would bury the one line that says what to add.
        let manifest = try String(contentsOf: Self.root.appending(path: "Package.swift"), encoding: .utf8)
        let line = manifest.components(separatedBy: "\n").first { $0.hasPrefix("let indicatorPluginNames = [") } ?? ""
        let declared = line.contains("\"\(folder)\"")
        #expect(declared, "Plugins/\(folder) is not named in Package.swift's `indicatorPluginNames`: add \"\(folder)\"")
    }

    /// One name per plugin: folder `CareHomeDeaths`, type `CareHomeDeathsIndicatorPlugin` (the
    /// target, `CareHomeDeathsPlugin`, is made from the folder's name in Package.swift), YAML
    /// name `care-home-deaths` in the type, the sample and the built-in catalogue.
    @Test(arguments: folders)
    func folderTypeAndYAMLNameAgree(folder: String) throws {
        let type = "\(folder)IndicatorPlugin"
        let name = Self.yamlName(folder: folder)
        let types = try Self.pluginTypes(in: sources(folder))
        #expect(types == [type], "Plugins/\(folder) should define one plugin type, `\(type)`; it defines \(types)")
        let namesItself = try sources(folder).contains("static let name = \"\(name)\"")
        #expect(namesItself, "\(type) in Plugins/\(folder) should say `static let name = \"\(name)\"`")
        let sampleName = Self.pluginName(in: try text(folder, "sample.yaml"))
        #expect(sampleName == name, "Plugins/\(folder)/sample.yaml should say `plugin: \(name)`")
        let registered = PluginCatalogue.builtInFactories.contains { $0.name == name }
        #expect(registered, "no built-in plugin is named `\(name)`; add `PluginFactory(\(type).self)` and the import of \(folder)Plugin to Sources/PioneerPlugins/PluginCatalogue+BuiltIn.swift")
    }

    @Test("a folder's YAML name is its name in lowercase words joined by hyphens")
    func yamlNamesFollowTheFolder() {
        #expect(Self.yamlName(folder: "CareHomeDeaths") == "care-home-deaths")
        #expect(Self.yamlName(folder: "JSON") == "json")
        #expect(Self.yamlName(folder: "CSV") == "csv")
        #expect(Self.yamlName(folder: "ADXReturn") == "adx-return")
        #expect(Self.yamlName(folder: "Falls2") == "falls2")
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
            Issue.record("Plugins/\(folder)/README.md has no ```yaml block under `## Configuration`; add an empty one and run \(Self.updateCommand) to fill it")
            return
        }
        // The comparison is reported as one line, not as the two texts, which would bury it.
        if let difference = Self.firstDifference(block, sample) {
            if Self.updatingCopies {
                try Self.replaceConfigurationBlock(in: Self.pluginsFolder.appending(path: "\(folder)/README.md"), with: sample)
            } else {
                Issue.record("Plugins/\(folder)/README.md's `## Configuration` block differs from sample.yaml at \(difference); run \(Self.updateCommand) to copy the sample into it")
            }
        }
    }

    /// docs/plugins.md describes the built-in plugins; a copy of a sample there must be
    /// exact, but a new (site-local) plugin need not appear there at all.
    @Test(arguments: folders)
    func pluginsGuideCopyOfTheSampleIsExact(folder: String) throws {
        let sample = try text(folder, "sample.yaml")
        let pluginName = try #require(Self.pluginName(in: sample), "Plugins/\(folder)/sample.yaml has no `plugin:` line")
        let guideURL = Self.root.appending(path: "docs/plugins.md")
        var guide = try String(contentsOf: guideURL, encoding: .utf8)
        var updated = false
        for (line, block) in Self.yamlBlocks(in: guide) where Self.pluginName(in: block) == pluginName {
            if let difference = Self.firstDifference(block, sample) {
                if Self.updatingCopies {
                    guide = Self.replacingBlock(in: guide, fenceLine: line, with: sample)
                    updated = true
                } else {
                    Issue.record("docs/plugins.md:\(line): the `\(pluginName)` block differs from Plugins/\(folder)/sample.yaml at \(difference); run \(Self.updateCommand) to copy the sample into it")
                }
            }
        }
        if updated { try guide.write(to: guideURL, atomically: true, encoding: .utf8) }
    }

    /// sample.yaml is the one source: its copies in the README and docs/plugins.md are
    /// written from it by running the convention tests with this set, never by hand.
    static let updatingCopies = ProcessInfo.processInfo.environment["PIONEER_UPDATE_SAMPLES"] == "1"
    static let updateCommand = "`PIONEER_UPDATE_SAMPLES=1 swift test --skip-build --filter PluginConventionTests`"

    /// `document` with the ```yaml block whose fence opens on `fenceLine` (1-based) holding `sample`.
    static func replacingBlock(in document: String, fenceLine: Int, with sample: String) -> String {
        var lines = document.components(separatedBy: "\n")
        let start = fenceLine
        guard start <= lines.count,
              let end = lines[start...].firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("```") }) else {
            return document
        }
        lines.replaceSubrange(start..<end, with: sample.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "\n"))
        return lines.joined(separator: "\n")
    }

    /// Writes `sample` into the ```yaml block under a README's `## Configuration`.
    static func replaceConfigurationBlock(in readme: URL, with sample: String) throws {
        let text = try String(contentsOf: readme, encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        guard let section = lines.firstIndex(of: "## Configuration"),
              let fence = yamlBlocks(in: text).first(where: { $0.line > section + 1 }) else { return }
        try replacingBlock(in: text, fenceLine: fence.line, with: sample).write(to: readme, atomically: true, encoding: .utf8)
    }

    @Test("a sample's own feed names are declared by the test site it is loaded into")
    func aSampleMayNameItsOwnFeeds() {
        let header = Self.testSiteHeader(declaringFeedsOf: "- id: x\n  config:\n    feed: finance   # the council's ledger\n    other: { feed: bi }\n")
        #expect(header.contains("  finance: { base_url: \"http://127.0.0.1:9/finance\" }\nindicators:"))
        #expect(header.components(separatedBy: "bi:").count == 2, "bi is declared once")
    }

    @Test("a block is rewritten from the sample between its fences, and nothing else changes")
    func aBlockIsRewrittenFromTheSample() {
        let document = "# x\n\n```yaml\nold: 1\nold: 2\n```\n\ntext\n"
        #expect(Self.replacingBlock(in: document, fenceLine: 3, with: "new: 1\n") == "# x\n\n```yaml\nnew: 1\n```\n\ntext\n")
    }

    @Test("a copy that differs is reported by its first differing line")
    func firstDifferenceNamesTheLine() {
        #expect(Self.firstDifference("a: 1\nb: 2\n", "a: 1\nb: 2") == nil)
        #expect(Self.firstDifference("a: 1\nb: 2", "a: 1\nb: 3") == "line 2: `b: 2` where the sample has `b: 3`")
        #expect(Self.firstDifference("a: 1", "a: 1\nb: 2") == "line 2: nothing where the sample has `b: 2`")
        #expect(Self.yamlBlocks(in: "x\n```yaml\n- id: a\n  plugin: json\n```\n").map { $0.line } == [2])
    }

    /// A test site's lines before its `indicators:` entries: the feeds and populations of
    /// `SiteInfo.testSite`, which samples may name.
    static let testSiteHeader = """
        site: { id: test-site, name: Test site, region: Test, wave: Pilot, focus: older people }
        population: { total: 136000, aged_65_plus: 35400 }
        feeds:
          bi: { base_url: "http://127.0.0.1:9/bi" }
          council: { base_url: "http://127.0.0.1:9/council" }
          mortality: { base_url: "http://127.0.0.1:9/mortality" }
          survey: { base_url: "http://127.0.0.1:9/survey" }
        indicators:

        """

    /// The test site's header, declaring as well every feed the sample names (`feed: finance`):
    /// a plugin's sample may use the feed names its README documents, and the README holds
    /// the sample.
    static func testSiteHeader(declaringFeedsOf sample: String) -> String {
        var header = testSiteHeader
        let declared = ["bi", "council", "mortality", "survey"]
        var added: [String] = []
        for line in sample.components(separatedBy: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("feed:") else { continue }
            let name = trimmed.dropFirst("feed:".count).split(separator: "#").first
                .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard !name.isEmpty, !declared.contains(name), !added.contains(name) else { continue }
            added.append(name)
        }
        guard !added.isEmpty else { return header }
        let feeds = added.map { "  \($0): { base_url: \"http://127.0.0.1:9/\($0)\" }\n" }.joined()
        header = header.replacingOccurrences(of: "indicators:\n", with: feeds + "indicators:\n")
        return header
    }

    /// The sample is read by the site loader itself, as the only indicator of a test site,
    /// with the built-in catalogue: what passes here passes in a real site file.
    @Test(arguments: folders)
    func sampleLoadsCleanlyAsTheOnlyIndicatorOfATestSite(folder: String) throws {
        let file = "Plugins/\(folder)/sample.yaml"
        let sample = try text(folder, "sample.yaml")
        try withTemporaryFolder(prefix: "pioneer-sample") { folderURL in
            let site = folderURL.appending(path: "test-site")
            try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
            let header = Self.testSiteHeader(declaringFeedsOf: sample)
            try (header + sample).write(to: site.appending(path: "site.yaml"), atomically: true, encoding: .utf8)
            let headerLines = header.components(separatedBy: "\n").count - 1
            let loader = SiteLoader(plugins: try PluginCatalogue.builtIn(), environment: [:])
            do {
                let loaded = try loader.load(directory: site.path)
                #expect(loaded.site.indicators.count == 1, "\(file) should hold exactly one indicator, one entry of an `indicators:` list starting with `- id:`")
                #expect(loaded.warnings.isEmpty, "\(file): \(loaded.warnings.map(\.message))")
            } catch let error as ConfigError {
                // Each problem at its line in the sample: the sample starts after the header.
                for issue in error.issues {
                    let line = issue.location.line - headerLines
                    let place = line > 0 ? "\(file):\(line):\(issue.location.column)" : "\(file) (in the test site's header)"
                    Issue.record("\(place): \(issue.severity.rawValue): \(issue.path): \(issue.message)")
                }
            }
        }
    }

    @Test(arguments: folders)
    func aTestMentionsThePluginType(folder: String) throws {
        let types = try Self.pluginTypes(in: sources(folder))
        #expect(!types.isEmpty, "Plugins/\(folder) defines no `struct ...: IndicatorPlugin`")
        let testFiles = try FileManager.default.contentsOfDirectory(atPath: Self.testsFolder.path)
            .filter { $0.hasSuffix(".swift") && $0 != "PluginConventionTests.swift" }
        let tests = try testFiles.map { try String(contentsOf: Self.testsFolder.appending(path: $0), encoding: .utf8) }
        // Only code counts: a type named in a comment or a string is not a test of it.
        let code = tests.map(Self.codeOnly)
        for type in types {
            let used = code.contains { Self.usesIdentifier(type, in: $0) }
            #expect(used, "no test file in Tests/PluginTests uses \(type) from Plugins/\(folder) in its code (a comment or a string does not count)")
        }
    }

    @Test("a plugin type named only in a comment or a string does not count as used by a test")
    func commentsAndStringsDoNotCountAsUse() {
        let commented = ##"""
            // FooIndicatorPlugin is checked elsewhere
            /* FooIndicatorPlugin */ let name = "FooIndicatorPlugin"
            let other = #"FooIndicatorPlugin"#
            let long = """
                FooIndicatorPlugin
                """
            """##
        #expect(!Self.usesIdentifier("FooIndicatorPlugin", in: Self.codeOnly(commented)))
        #expect(!Self.usesIdentifier("FooIndicatorPlugin", in: Self.codeOnly("let x = BigFooIndicatorPlugin.self")))
        #expect(Self.usesIdentifier("FooIndicatorPlugin", in: Self.codeOnly("let h = try PluginHarness(FooIndicatorPlugin.self) // why")))
        #expect(Self.usesIdentifier("FooIndicatorPlugin", in: Self.codeOnly("let s = \"a\\\"b\"; FooIndicatorPlugin.configure()")))
    }

    @Test func everyRegisteredPluginHasAFolder() throws {
        let names = Self.folders.map { Self.yamlName(folder: $0) }
        for factory in PluginCatalogue.builtInFactories {
            #expect(names.contains(factory.name), "`\(factory.name)` is registered but no folder under Plugins/ has that name")
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

    /// The YAML name a folder's plugin takes: `CareHomeDeaths` → `care-home-deaths`, `JSON` → `json`.
    static func yamlName(folder: String) -> String {
        PluginCatalogue.pluginName(folder: folder)
    }

    /// Swift source with its comments and string literals removed (interpolations included):
    /// what is left is the code a test runs.
    static func codeOnly(_ source: String) -> String {
        let characters = Array(source)
        var code = ""
        var index = 0
        func starts(_ text: String, at position: Int) -> Bool {
            let wanted = Array(text)
            guard position + wanted.count <= characters.count else { return false }
            return Array(characters[position..<position + wanted.count]) == wanted
        }
        while index < characters.count {
            if starts("//", at: index) {
                while index < characters.count, characters[index] != "\n" { index += 1 }
            } else if starts("/*", at: index) {
                // Block comments nest in Swift.
                var depth = 0
                repeat {
                    if starts("/*", at: index) { depth += 1; index += 2 }
                    else if starts("*/", at: index) { depth -= 1; index += 2 }
                    else { index += 1 }
                } while depth > 0 && index < characters.count
                code += " "
            } else if characters[index] == "#" || characters[index] == "\"" {
                var hashes = 0
                while index + hashes < characters.count, characters[index + hashes] == "#" { hashes += 1 }
                guard index + hashes < characters.count, characters[index + hashes] == "\"" else {
                    code.append(characters[index]); index += 1; continue
                }
                let quote = starts("\"\"\"", at: index + hashes) ? "\"\"\"" : "\""
                let close = quote + String(repeating: "#", count: hashes)
                index += hashes + quote.count
                while index < characters.count, !starts(close, at: index) {
                    // A backslash in a plain string escapes the next character (a quote, say).
                    index += (hashes == 0 && characters[index] == "\\") ? 2 : 1
                }
                index += close.count
                code += " \"\" "
            } else {
                code.append(characters[index])
                index += 1
            }
        }
        return code
    }

    /// Whether `identifier` appears in `code` as a whole identifier, not inside a longer one.
    static func usesIdentifier(_ identifier: String, in code: String) -> Bool {
        var searchStart = code.startIndex
        while let range = code.range(of: identifier, range: searchStart..<code.endIndex) {
            let before = range.lowerBound > code.startIndex ? code[code.index(before: range.lowerBound)] : " "
            let after = range.upperBound < code.endIndex ? code[range.upperBound] : " "
            let isPart: (Character) -> Bool = { $0.isLetter || $0.isNumber || $0 == "_" }
            if !isPart(before) && !isPart(after) { return true }
            searchStart = range.upperBound
        }
        return false
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
}
