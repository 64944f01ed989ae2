// The README's plugin example, kept compiling and correct: ReadmeWaitingListPlugin.swift is
// its exact copy, and here it computes a value and accepts its own correct configuration
// in a site file that has an unrelated error elsewhere.
import Foundation
import PioneerConfig
import PioneerKit
import PioneerExtraction
import PioneerTesting
import PioneerCore
import Testing

@Suite("README plugin example")
struct ReadmePluginExampleTests {
    static let root = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("ReadmeWaitingListPlugin.swift is the README's example, unchanged")
    func copyIsExact() throws {
        let readme = try String(contentsOf: Self.root.appending(path: "README.md"), encoding: .utf8)
        let copy = try String(contentsOf: Self.root.appending(path: "Tests/PluginTests/ReadmeWaitingListPlugin.swift"), encoding: .utf8)
        let section = try #require(readme.range(of: "\n## Writing a plugin\n"), "README.md has no `## Writing a plugin` section")
        let open = try #require(readme.range(of: "```swift\n", range: section.upperBound..<readme.endIndex), "no ```swift block under `## Writing a plugin`")
        let close = try #require(readme.range(of: "\n```\n", range: open.upperBound..<readme.endIndex))
        if let difference = PluginConventionTests.firstDifference(copy, String(readme[open.upperBound..<close.lowerBound]), original: "the README") {
            Issue.record("Tests/PluginTests/ReadmeWaitingListPlugin.swift differs from README.md's plugin example at \(difference); keep the two the same")
        }
    }

    @Test("the example counts the patients waiting longer than its threshold")
    func countsLongWaits() throws {
        let harness = try PluginHarness(WaitingListIndicatorPlugin.self, config: ["feed": "bi", "weeks": 18], indicator: .example(.count))
        let observation = try harness.run(.month(2026, 6), bodies: [
            "list": #"[{"weeks": 20}, {"weeks": 12}, {"weeks": 18}, {"weeks": 31}]"#,
        ])
        #expect(observation.value == 2)
    }

    @Test("an error elsewhere in the site file does not make the example refuse its correct config")
    func unrelatedErrorDoesNotFailTheExample() throws {
        try withTemporaryFolder(prefix: "pioneer-readme-example") { folder in
            let site = folder.appending(path: "torbay")
            try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
            try """
            site: { id: torbay, name: Torbay, region: South West, wave: Pilot, focus: older people }
            feeds:
              bi: { base_url: "http://127.0.0.1:9/api", timeout: -1 }
            indicators:
              - id: long-waits
                name: Patients waiting over 18 weeks
                kind: process
                value_type: count
                unit: patients
                period: month
                better: lower
                plugin: waiting-list
                config: { feed: bi, weeks: 18 }

            """.write(to: site.appending(path: "site.yaml"), atomically: true, encoding: .utf8)
            let loader = SiteLoader(plugins: try PluginCatalogue([PluginFactory(WaitingListIndicatorPlugin.self)]), environment: [:])
            let error = try #require(throws: ConfigError.self) { try loader.load(directory: site.path) }
            #expect(error.errors.count == 1, "\(error)")
            #expect(error.errors.first?.path == "feeds.bi.timeout", "\(error)")
            #expect(!error.description.contains("did not accept"), "\(error)")
        }
    }
}
