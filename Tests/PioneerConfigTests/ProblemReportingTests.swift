// Every problem in one run, each once, where it is, with a suggestion where one exists:
// a goal's own mistakes beside its indicator's, a population written for people, a
// period type written as an adjective, a line indented to fit nothing, and a plugin
// that asks only about its own section.
import PioneerKit
import PioneerTesting
import PioneerPlugins
import PioneerCore
import Testing
@testable import PioneerConfig
import Foundation
import PioneerCore

/// A plugin written as the README shows: it decides from its own section's errors only.
struct SectionOnlyPlugin: IndicatorPlugin {
    static let name = "section-only"
    static let summary = "Reads `feed` and `weeks` and judges only its own section (tests only)."
    var feed: String

    static func configure(_ config: ConfigNode, setup: PluginSetup, issues: IssueCollector) -> SectionOnlyPlugin? {
        let reader = ConfigReader(config, issues: issues)
        let feed = reader.string("feed", required: true)
        _ = reader.int("weeks")
        if let feed { setup.checkFeed(feed, at: config["feed"], issues: issues) }
        reader.finish()
        guard let feed, !reader.hasErrors else { return nil }
        return SectionOnlyPlugin(feed: feed)
    }

    func requests(for period: Period, context: PluginContext) throws -> [FeedRequest] {
        [FeedRequest(key: "items", feed: feed, path: "/items", period: period)]
    }

    func observe(period: Period, responses: FeedResponses, context: PluginContext) throws -> Observation {
        .value(0)
    }
}

@Suite("Problem reporting")
struct ProblemReportingTests {
    // MARK: Characters an editor does not show

    @Test("a key with an invisible character in it is said to be the known key with one, escaped")
    func aKeyWithAnInvisibleCharacterIsSaidToHoldOne() {
        // A byte-order mark pasted into the file (two files joined, a copy from a web page).
        let text = SiteFixture.replacing("  name: Torbay and South Devon\n", with: "  \u{FEFF}name: Torbay and South Devon\n")
        let errors = SiteFixture.issues(text).filter { $0.severity == .error }
        let unknown = errors.first { $0.message.contains("unknown key") }
        #expect(unknown?.message == "unknown key `\\ufeffname` (it is `name` with an invisible character in it, which an editor may not show; delete it and type `name` again)",
                "\(errors.map(\.description))")
        #expect(unknown?.location.line == 3)
    }

    @Test("an id with an invisible character in it is shown escaped and said to hold one")
    func anIdWithAnInvisibleCharacterIsShownEscaped() {
        let text = SiteFixture.replacing("  id: torbay\n", with: "  id: torbay\u{200B}\n")
        let errors = SiteFixture.issues(text).filter { $0.severity == .error }
        #expect(errors.contains { $0.message == "site id `torbay\\u200b` holds an invisible character, which an editor may not show; delete it and type `torbay` again" },
                "\(errors.map(\.description))")
        // Without one, the rule and a suggestion, as before.
        let spaced = SiteFixture.issues(SiteFixture.replacing("  id: torbay\n", with: "  id: Tor Bay\n"))
        #expect(spaced.contains { $0.message == "site id `Tor Bay` may use only lowercase letters, digits and `-` (e.g. `tor-bay`)" },
                "\(spaced.map(\.description))")
    }

    // MARK: Goals on broken indicators

    @Test("a goal's own error is reported when its indicator has another")
    func goalErrorBesideIndicatorError() {
        let text = SiteFixture.valid
            .replacingOccurrences(of: "    kind: outcome\n    value_type: rate", with: "    kind: outcom\n    value_type: rate")
            .replacingOccurrences(of: "{ period: 2024-04, value: 23.5 }", with: "{ period: 2024Q2, value: 23.5 }")
        let errors = SiteFixture.issues(text).filter { $0.severity == .error }
        #expect(errors.count == 2, "\(errors.listing)")
        #expect(errors.contains { $0.location.line == 26 && $0.message.contains("`outcom` is not one of") }, "\(errors.listing)")
        let goal = errors.first(containing: "`2024Q2` is a calendar quarter, but this indicator is reported by month")
        #expect(goal?.location.line == 53 && goal?.location.column == 25, "\(errors.listing)")
        #expect(goal?.path == "goals[0].baseline.period")
    }

    @Test("a goal naming an indicator by an id that breaks the rules is not told it is unknown")
    func goalOnMisspeltIDIsReportedOnce() {
        let text = SiteFixture.valid
            .replacingOccurrences(of: "  - id: emergency-admissions-65", with: "  - id: Emergency-Admissions-65")
            .replacingOccurrences(of: "    indicator: emergency-admissions-65", with: "    indicator: Emergency-Admissions-65")
        let errors = SiteFixture.issues(text).filter { $0.severity == .error }
        #expect(errors.count == 1, "\(errors.listing)")
        #expect(errors.first?.path == "indicators[0].id")
        #expect(errors.first?.message.hasPrefix("indicator id `Emergency-Admissions-65` may use only lowercase letters") == true, "\(errors.listing)")
    }

    @Test("a number written as a string, in quotes or tagged !!str, is refused where a number is expected")
    func numberWrittenAsStringIsRefused() throws {
        for written in ["\"21.2\"", "'21.2'", "!!str 21.2"] {
            let text = SiteFixture.valid.replacingOccurrences(of: "{ period: 2027-03, value: 21.2 }", with: "{ period: 2027-03, value: \(written) }")
            let errors = SiteFixture.issues(text).filter { $0.severity == .error }
            #expect(errors.count == 1, "\(errors.listing)")
            #expect(errors.first?.path == "goals[0].target.value")
            #expect(errors.first?.location.line == 54)
            #expect(errors.first?.message == "expected a number, found the string `21.2`: in quotes or tagged `!!str`, "
                + "YAML reads it as text; write it plainly, without quotes or tag", "\(errors.listing)")
        }
        let tagged = SiteFixture.valid.replacingOccurrences(of: "{ period: 2027-03, value: 21.2 }", with: "{ period: 2027-03, value: !!float 21.2 }")
        #expect(SiteFixture.issues(tagged).filter { $0.severity == .error }.isEmpty)
    }

    @Test("a value the YAML refused is not reported again by the schema")
    func yamlRefusalHasNoFollowOn() throws {
        let merged = SiteFixture.valid.replacingOccurrences(
            of: "    target: { period: 2027-03, value: 21.2 }",
            with: "    target:\n      <<: { period: 2027-03 }\n      value: 21.2")
        let errors = SiteFixture.issues(merged).filter { $0.severity == .error }
        #expect(errors.map(\.message) == ["merge keys (`<<`) are not supported; write the keys out in full"], "\(errors.listing)")
        let mistagged = SiteFixture.valid.replacingOccurrences(of: "{ period: 2027-03, value: 21.2 }", with: "{ period: 2027-03, value: !!float abc }")
        let tagErrors = SiteFixture.issues(mistagged).filter { $0.severity == .error }
        #expect(tagErrors.map(\.message) == ["`abc` is not a number, as its tag `!!float` says; correct the value or remove the tag"], "\(tagErrors.listing)")
    }

    @Test("a proportion's goal written in percent is told to write a fraction")
    func proportionGoalInPercent() throws {
        let text = SiteFixture.replacing("      as_of: 2026-10-31\n", with: [
            "      as_of: 2026-10-31",
            "  - id: more-at-home",
            "    indicator: still-at-home-91",
            "    title: More people still at home 91 days after reablement",
            "    baseline: { period: FY2024-25 Q1, value: 37 }",
            "    target: { period: FY2026-27 Q4, value: 0.45 }",
            "    trajectory:",
            "      - { period: FY2025-26 Q4, value: -0.1 }",
        ].joined(separator: "\n") + "\n")
        let errors = SiteFixture.issues(text).filter { $0.severity == .error }
        #expect(errors.count == 2, "\(errors.listing)")
        let percent = try #require(errors.first(containing: "a proportion's goal values are fractions between 0 and 1, found `37`; for 37% write `0.37`"),
                                   "\(errors.listing)")
        #expect(percent.location.line == 65 && percent.location.column == 46, "\(percent)")
        #expect(percent.path == "goals[1].baseline.value")
        let negative = try #require(errors.first(containing: "(0.37 for 37%), found `-0.1`"), "\(errors.listing)")
        #expect(negative.path == "goals[1].trajectory[0].value")

        let good = text.replacingOccurrences(of: "value: 37 }", with: "value: 0.37 }").replacingOccurrences(of: "value: -0.1 }", with: "value: 0.41 }")
        #expect(try SiteFixture.load(good).site.goals.count == 2)
    }

    // MARK: Populations

    static let rateOnPopulation = SiteFixture.replacing(
        "    plugin: feed-count\n    config:\n      feed: bi\n      path: /admissions?month={period}",
        with: "    plugin: rate\n    config:\n      numerator: { value: 12 }\n      denominator: { population: aged_65_plus }")

    static func catalogueLoader() -> SiteLoader {
        SiteLoader(plugins: .builtIn(adding: [PluginFactory(FeedCountPlugin.self)]), environment: SiteFixture.environment)
    }

    @Test("a population written with thousands separators is reported once, with the number meant")
    func populationWithSeparators() throws {
        #expect(SiteFixture.issues(Self.rateOnPopulation, loader: Self.catalogueLoader()).isEmpty)
        let text = Self.rateOnPopulation.replacingOccurrences(of: "  aged_65_plus: 35400", with: "  aged_65_plus: 35,400")
        let errors = SiteFixture.issues(text, loader: Self.catalogueLoader()).filter { $0.severity == .error }
        #expect(errors.count == 1, "\(errors.listing)")
        let error = try #require(errors.first)
        #expect(error.message == "expected a number of people, found a string `35,400`; write whole numbers without thousands separators: `35400`")
        #expect(error.location.line == 10 && error.location.column == 17)
        #expect(error.path == "population.aged_65_plus")
    }

    @Test("when every population is broken, a rate on one is not told the site declares none")
    func everyPopulationBroken() {
        let text = Self.rateOnPopulation
            .replacingOccurrences(of: "  total: 136000", with: "  total: 136 000")
            .replacingOccurrences(of: "  aged_65_plus: 35400", with: "  aged_65_plus: lots")
        let errors = SiteFixture.issues(text, loader: Self.catalogueLoader()).filter { $0.severity == .error }
        #expect(errors.map(\.location.line) == [9, 10], "\(errors.listing)")
        #expect(errors.first?.message.hasSuffix("write whole numbers without thousands separators: `136000`") == true, "\(errors.listing)")
        #expect(errors.last?.message == "expected a number of people, found a string `lots`")
        #expect(errors.first(containing: "declares none") == nil)
    }

    @Test("a rate on a population the site really lacks is still reported")
    func undeclaredPopulationIsReported() {
        let text = Self.rateOnPopulation.replacingOccurrences(of: "{ population: aged_65_plus }", with: "{ population: aged_65_pluss }")
        let error = SiteFixture.issues(text, loader: Self.catalogueLoader()).first(containing: "unknown population `aged_65_pluss` (did you mean `aged_65_plus`?)")
        #expect(error?.location.line == 35)
    }

    // MARK: Suggestions

    @Test("a period type written as an adjective suggests the type", arguments: [
        ("monthly", "month"), ("quarterly", "quarter"), ("weekly", "iso-week"), ("yearly", "fy-year"), ("Monthly", "month"),
    ])
    func periodAdjectiveSuggestsType(written: String, meant: String) {
        let text = SiteFixture.replacing("    period: month", with: "    period: \(written)")
        let issue = SiteFixture.issues(text).first(containing: "`\(written)` is not one of")
        #expect(issue?.message.hasSuffix("(did you mean `\(meant)`?)") == true, "\(String(describing: issue))")
        #expect(issue?.location.line == 29 && issue?.location.column == 13)
    }

    @Test("an ending only suggests a name it extends by a few letters")
    func inflectionIsBounded() {
        #expect(didYouMean("feedback", among: ["feed", "path"]) == "")
        #expect(didYouMean("mon", among: ["month"]) == "")
        #expect(didYouMean("paths", among: ["path"]) == " (did you mean `path`?)")
        #expect(didYouMean("indicatr", among: ["indicator", "id"]) == " (did you mean `indicator`?)")
    }

    // MARK: Indentation

    /// A YAML text with a misplaced line, where libyaml stops, and what the message must say.
    struct Misindented: CustomTestStringConvertible, Sendable {
        var name: String
        var text: String
        var line: Int
        var says: [String]
        var testDescription: String { name }
    }

    static let misindented: [Misindented] = [
        Misindented(name: "a key left of its item's keys", text: "indicators:\n  - id: a\n    name: b\n   kind: c\n", line: 4,
                    says: ["this line's indentation doesn't fit the lines above: it starts at column 4, between `name:` (line 3, column 5) and the list item `- ` (line 2, column 3)",
                           "the items of a list start with `- ` at the same column",
                           "(libyaml: did not find expected '-' indicator)"]),
        Misindented(name: "a list item right of the items above", text: "indicators:\n  - id: a\n    name: b\n   - id: c\n", line: 4,
                    says: ["it starts at column 4, between `name:` (line 3, column 5) and the list item `- ` (line 2, column 3)"]),
        Misindented(name: "a list item left of the items above", text: "indicators:\n  - id: a\n    name: b\n - id: c\n   name: d\n", line: 4,
                    says: ["it starts at column 2, between the list item `- ` (line 2, column 3) and `indicators:` (line 1, column 1)",
                           "(libyaml: did not find expected key)"]),
        Misindented(name: "a key at the column of the list's dashes", text: "goals:\n  - id: a\n    title: b\n  indicator: c\n", line: 4,
                    says: ["this line starts at column 3, where the list's items start with `- ` (line 2): start a new item with `- `, or line it up with the item's keys (column 5, as `title:` on line 3)"]),
        Misindented(name: "a nested key one column short", text: "indicators:\n  - id: x\n    config:\n      numerator:\n        value: 1\n     denominator:\n        value: 2\n", line: 6,
                    says: ["it starts at column 6, between `numerator:` (line 4, column 7) and `config:` (line 3, column 5)"]),
        Misindented(name: "a key deeper than a key with a value", text: "site:\n  id: a\n    name: b\n", line: 3,
                    says: ["this line starts at column 5, deeper than `id:` on line 2 (column 3), which already has its value; keys of one mapping start at the same column"]),
        Misindented(name: "a list entry without its dash", text: "focus:\n  - older people\n  intermediate care\n", line: 3,
                    says: ["could not find expected ':'", "a key is missing its `:`"]),
        Misindented(name: "a dash without its space", text: "focus:\n  - older people\n  -intermediate care\n", line: 3,
                    says: ["could not find expected ':'; a list item's `-` must be followed by a space, as in `- value`"]),
        Misindented(name: "a bracket left open", text: "site:\n  focus: [older people, intermediate care\n  name: Torbay\n", line: 3,
                    says: ["the `[` opened at line 2, column 10 is not closed with `]` before this, or a `,` is missing between two of its items"]),
    ]

    @Test("a misplaced line is explained at its own line", arguments: misindented)
    func misplacedLineIsExplained(_ case: Misindented) throws {
        let (_, issues) = ConfigDocument.read(`case`.text, file: "site.yaml")
        #expect(issues.count == 1, "\(issues.listing)")
        let issue = try #require(issues.first)
        #expect(issue.location.line == `case`.line, "\(issue)")
        #expect(issue.message.hasPrefix("YAML syntax error: "))
        for fragment in `case`.says {
            #expect(issue.message.contains(fragment), "“\(fragment)” not in: \(issue.message)")
        }
    }

    @Test("a misplaced line in a whole site file is explained at its line")
    func misplacedLineInSiteFile() throws {
        let text = SiteFixture.replacing("    unit: \"%\"", with: "   unit: \"%\"")
        let issues = SiteFixture.issues(text)
        #expect(issues.count == 1, "\(issues.listing)")
        let issue = try #require(issues.first)
        #expect(issue.location.line == 40 && issue.location.column == 4)
        #expect(issue.message.contains("between `value_type:` (line 39, column 5) and the list item `- ` (line 36, column 3)"), "\(issue)")
    }

    // MARK: A plugin's own section

    @Test("an error elsewhere in the file does not make a correct plugin config fail")
    func unrelatedErrorDoesNotFailAPlugin() throws {
        let loader = SiteLoader(plugins: .testing([PluginFactory(FeedCountPlugin.self), PluginFactory(SectionOnlyPlugin.self)]), environment: SiteFixture.environment)
        let correct = SiteFixture.replacing("      feed: bi\n      path: /reablement", with: "      feed: bi\n      weeks: 18")
            .replacingOccurrences(of: "    decimals: 1\n    plugin: feed-count", with: "    decimals: 1\n    plugin: section-only")
        #expect(try SiteFixture.load(correct, loader: loader).plugins["still-at-home-91"] is SectionOnlyPlugin)

        let elsewhere = correct.replacingOccurrences(of: "rag: green", with: "rag: greeen")
        let errors = SiteFixture.issues(elsewhere, loader: loader).filter { $0.severity == .error }
        #expect(errors.count == 1, "\(errors.listing)")
        #expect(errors.first?.message.contains("`greeen` is not one of") == true)
        #expect(errors.first(containing: "did not accept") == nil)

        let own = correct.replacingOccurrences(of: "      weeks: 18", with: "      weeks: eighteen")
        let ownErrors = SiteFixture.issues(own, loader: loader).filter { $0.severity == .error }
        #expect(ownErrors.map(\.path) == ["indicators[1].config.weeks"], "\(ownErrors.listing)")
    }

    @Test("a section's errors are those at its key path or inside it")
    func errorsUnderANode() {
        let issues = IssueCollector()
        let config = ConfigNode(.mapping([]), location: .unknown(), path: "indicators[1].config")
        issues.add(ConfigIssue(.error, at: .unknown(), path: "indicators[10].config.feed", "elsewhere"))
        issues.add(ConfigIssue(.error, at: .unknown(), path: "indicators[1].configuration", "a neighbour"))
        issues.add(ConfigIssue(.warning, at: .unknown(), path: "indicators[1].config.feed", "only a warning"))
        #expect(!issues.hasErrors(under: config))
        #expect(!ConfigReader(config, issues: issues).hasErrors)
        #expect(issues.hasErrors)
        issues.add(ConfigIssue(.error, at: .unknown(), path: "indicators[1].config.numerator.json.select", "inside"))
        #expect(issues.hasErrors(under: config))
        #expect(ConfigReader(config, issues: issues).hasErrors)
        #expect(issues.hasErrors(under: ConfigNode(.null, location: .unknown(), path: "indicators[1].config.numerator")))
        #expect(issues.hasErrors(under: ConfigNode(.null, location: .unknown(), path: "")))
    }
}
