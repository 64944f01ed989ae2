// Plugins as named factories: one adapter type serving plugins whose names are known only at
// run time, the catalogue's names and its messages.
import Foundation
import JSONPlugin
import PioneerConfig
import PioneerCore
import PioneerKit
import PioneerPlugins
import PioneerTesting
import Testing

/// A stand-in for an adapter that runs a program per plugin name: one type, many names.
/// Each factory gives the adapter its program; the YAML's config says which feed to read.
private struct ProgramAdapter: IndicatorPlugin {
    static let name = "program"
    static let summary = "Runs a program."
    var program: String
    var feed: String

    static func configure(_ config: ConfigNode, setup: PluginSetup, issues: IssueCollector) -> ProgramAdapter? {
        configure(program: "program", config, setup: setup, issues: issues)
    }

    static func configure(program: String, _ config: ConfigNode, setup: PluginSetup, issues: IssueCollector) -> ProgramAdapter? {
        let reader = ConfigReader(config, issues: issues)
        let feed = reader.string("feed", required: true)
        reader.finish()
        guard let feed, setup.checkFeed(feed, at: config["feed"], issues: issues) else { return nil }
        return ProgramAdapter(program: program, feed: feed)
    }

    static func factory(named name: String) -> PluginFactory {
        PluginFactory(name: name, summary: "Runs ./\(name).") { config, setup, issues in
            configure(program: "./\(name)", config, setup: setup, issues: issues)
        }
    }

    func requests(for period: Period, context: PluginContext) throws -> [FeedRequest] {
        [FeedRequest(key: "data", feed: feed, path: "/\(program)?period={period}")]
    }

    func observe(period: Period, responses: FeedResponses, context: PluginContext) throws -> Observation {
        .value(1)
    }
}

@Suite("Plugin catalogue")
struct PluginCatalogueTests {
    @Test("one adapter type serves two plugins named at run time, each configured by its own factory")
    func oneAdapterServesManyNames() throws {
        var catalogue = try PluginCatalogue.builtIn()
        try catalogue.add(ProgramAdapter.factory(named: "waiting-list"))
        try catalogue.add(ProgramAdapter.factory(named: "falls"))
        try withTemporaryFolder(prefix: "pioneer-catalogue") { folder in
            let site = folder.appending(path: "torbay")
            try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
            try """
            site: { id: torbay, name: Torbay, region: South West, wave: Pilot, focus: older people }
            feeds:
              bi: { base_url: "http://127.0.0.1:9/api" }
            indicators:
              - id: long-waits
                name: Long waits
                kind: process
                value_type: count
                unit: patients
                period: month
                better: lower
                plugin: waiting-list
                config: { feed: bi }
              - id: falls
                name: Falls
                kind: outcome
                value_type: count
                unit: falls
                period: month
                better: lower
                plugin: falls
                config: { feed: bi }

            """.write(to: site.appending(path: "site.yaml"), atomically: true, encoding: .utf8)
            let loaded = try SiteLoader(plugins: catalogue, environment: [:]).load(directory: site.path)
            let programs = loaded.plugins.mapValues { ($0 as? ProgramAdapter)?.program }
            #expect(programs == ["long-waits": "./waiting-list", "falls": "./falls"])
            #expect(loaded.site.indicators.map(\.plugin) == ["waiting-list", "falls"])
        }
    }

    @Test("a factory made from a plugin type takes the type's name and summary and configures it")
    func factoryFromAType() throws {
        let factory = PluginFactory(JSONIndicatorPlugin.self)
        #expect(factory.name == "json")
        #expect(factory.summary == JSONIndicatorPlugin.summary)
        let issues = IssueCollector()
        let setup = PluginSetup(site: SiteInfo(id: "torbay", name: "Torbay"), indicator: .example(), feeds: ["bi"])
        let literal: ConfigLiteral = ["feed": "bi", "path": "/t", "select": "$.total"]
        let plugin = factory.configure(literal.node(), setup: setup, issues: issues)
        #expect(plugin is JSONIndicatorPlugin)
        #expect(issues.issues.isEmpty)
    }

    @Test("a name registered twice is refused, saying which name")
    func duplicateNameIsRefused() throws {
        var catalogue = try PluginCatalogue.builtIn()
        #expect(throws: PluginCatalogueError.duplicate("json")) { try catalogue.add(ProgramAdapter.factory(named: "json")) }
        #expect(PluginCatalogueError.duplicate("json").description
            == "two plugins are registered under the name `json`; each plugin needs a name of its own")
        #expect(catalogue.factory(named: "json")?.summary == JSONIndicatorPlugin.summary)
    }

    @Test("a name a site YAML could not give is refused", arguments: ["", "Waiting", "waiting list", "-falls", "falls-", "two--hyphens", "1st"])
    func invalidNameIsRefused(name: String) throws {
        var catalogue = PluginCatalogue()
        #expect(throws: PluginCatalogueError.invalidName(name)) { try catalogue.add(ProgramAdapter.factory(named: name)) }
        #expect(catalogue.names.isEmpty)
    }

    @Test("lists factories sorted by name")
    func listsSortedByName() throws {
        let catalogue = try PluginCatalogue([ProgramAdapter.factory(named: "zeta"), ProgramAdapter.factory(named: "alpha2")])
        #expect(catalogue.names == ["alpha2", "zeta"])
        #expect(catalogue.factories.map(\.name) == ["alpha2", "zeta"])
        #expect(catalogue.factory(named: "beta") == nil)
    }

    @Test("an unknown name is answered with the closest registered name and the list")
    func unknownNameMessage() throws {
        let catalogue = try PluginCatalogue.builtIn()
        #expect(catalogue.unknownNameMessage("jsn")
            == "unknown plugin `jsn` (did you mean `json`?); registered plugins: `care-home-deaths`, `csv`, `json`, `rate`, `survey` (see `pioneer plugins`)")
        #expect(PluginCatalogue().unknownNameMessage("json")
            == "unknown plugin `json`; no plugins are registered in this build (see `pioneer plugins`)")
    }
}
