// ConfigReader: typed reads, located errors, and unknown keys with suggestions.
import Testing
@testable import PioneerKit

private let file = "sites/test/site.yaml"

private func node(_ text: String, line: Int, column: Int = 3, path: String) -> ConfigNode {
    ConfigNode(.scalar(text, quoted: false), location: SourceLocation(file: file, line: line, column: column), path: path)
}

private func mapping(_ entries: [(String, ConfigNode)], line: Int = 1, path: String = "") -> ConfigNode {
    ConfigNode(
        .mapping(entries.map { ConfigNode.Entry(key: $0.0, keyLocation: SourceLocation(file: file, line: $0.1.location.line, column: 1), value: $0.1) }),
        location: SourceLocation(file: file, line: line, column: 1), path: path)
}

@Suite("ConfigReader")
struct ConfigReaderTests {
    @Test func readsTypedValues() {
        let issues = IssueCollector()
        let reader = ConfigReader(mapping([
            ("name", node("Torbay", line: 2, path: "name")),
            ("decimals", node("2", line: 3, path: "decimals")),
            ("rate", node("1_000.5", line: 4, path: "rate")),
            ("verify", node("yes", line: 5, path: "verify")),
            ("kind", node("outcome", line: 6, path: "kind")),
        ]), issues: issues)
        #expect(reader.string("name") == "Torbay")
        #expect(reader.int("decimals") == 2)
        #expect(reader.double("rate") == 1000.5)
        #expect(reader.bool("verify") == true)
        #expect(reader.choice("kind") == IndicatorKind.outcome)
        reader.finish()
        #expect(issues.issues.isEmpty)
    }

    /// Found by a tester: "expected a number, found a number `1e309`".
    @Test func aNumberThatIsNotFiniteOrTooLargeIsSaidToBeThat() {
        let issues = IssueCollector()
        let reader = ConfigReader(mapping([
            ("big", node("1e309", line: 2, path: "big")),
            ("nan", node("NaN", line: 3, path: "nan")),
            ("inf", node(".inf", line: 4, path: "inf")),
            ("points", node("99999999999999999999999", line: 5, path: "points")),
            ("word", node("many", line: 6, path: "word")),
        ]), issues: issues)
        #expect(reader.double("big") == nil && reader.double("nan") == nil && reader.double("inf") == nil)
        #expect(reader.int("points") == nil && reader.int("word") == nil)
        #expect(issues.issues.map(\.message) == [
            "`1e309` is beyond the largest number there is (about ±1.8e308)",
            "`NaN` is not a number; give a finite number",
            "`.inf` is infinite; give a finite number",
            "`99999999999999999999999` is too large for a whole number (at most 9,223,372,036,854,775,807)",
            "expected a whole number, found a string `many`",
        ])
    }

    @Test func reportsAMissingRequiredKeyAtTheMapping() {
        let issues = IssueCollector()
        let reader = ConfigReader(mapping([], line: 7, path: "site"), issues: issues)
        _ = reader.string("name", required: true)
        #expect(issues.issues.map(\.description) == ["\(file):7:1: error: site.name: missing required key `name`"])
    }

    @Test func reportsAWrongTypeWithTheValueFound() {
        let issues = IssueCollector()
        let reader = ConfigReader(mapping([("decimals", node("two", line: 9, column: 15, path: "decimals"))]), issues: issues)
        #expect(reader.int("decimals") == nil)
        #expect(issues.issues.first?.description == "\(file):9:15: error: decimals: expected a whole number, found a string `two`")
    }

    @Test func suggestsTheNearestKeyForAnUnknownOne() {
        let issues = IssueCollector()
        let reader = ConfigReader(mapping([
            ("indicatr", node("x", line: 4, path: "indicatr")),
        ], path: "goals[0]"), issues: issues)
        _ = reader.string("indicator")
        _ = reader.string("title")
        reader.finish()
        #expect(issues.issues.first?.description == "\(file):4:1: error: goals[0].indicatr: unknown key `indicatr` (did you mean `indicator`?)")
    }

    @Test func rejectsAnEnumValueAndListsTheChoices() {
        let issues = IssueCollector()
        let reader = ConfigReader(mapping([("kind", node("outcom", line: 3, path: "kind"))]), issues: issues)
        let kind: IndicatorKind? = reader.choice("kind")
        #expect(kind == nil)
        #expect(issues.issues.first?.message == "`outcom` is not one of `process`, `outcome`, `experience`, `cost` (did you mean `outcome`?)")
    }

    @Test func readsAPeriodAndChecksItsType() {
        let issues = IssueCollector()
        let reader = ConfigReader(mapping([
            ("period", node("2026Q1", line: 5, path: "baseline.period")),
        ]), issues: issues)
        #expect(reader.period("period", type: .month) == nil)
        #expect(issues.issues.first?.message.contains("calendar quarter") == true)
    }

    @Test func aScalarWhereAMappingBelongsIsReportedOnce() {
        let issues = IssueCollector()
        let reader = ConfigReader(node("oops", line: 2, path: "site"), issues: issues)
        _ = reader.string("id", required: true)
        reader.finish()
        #expect(issues.issues.count == 1)
        #expect(issues.issues.first?.message == "expected a mapping of keys to values, found a string")
    }

    @Test func aLongListOfNamesIsCutToTheFirstFewAndACount() {
        #expect(quotedList([String]()) == "")
        #expect(quotedList(["bi", "council"]) == "`bi`, `council`")
        let ids = (1...1000).map { "bench-\($0)" }
        #expect(quotedList(ids, limit: 3) == "`bench-1`, `bench-2`, `bench-3` and 997 more")
        #expect(quotedList(ids.prefix(3), limit: 3) == "`bench-1`, `bench-2`, `bench-3`")
        #expect(quotedList(ids).count < 200)
    }

    @Test func editDistanceSuggestsOnlyCloseWords() {
        #expect(Suggestions.closest(to: "retires", in: ["retries", "timeout"]) == "retries")
        #expect(Suggestions.closest(to: "zzzzzz", in: ["retries", "timeout"]) == nil)
        #expect(Suggestions.closest(to: "gaols", in: ["goals", "feeds", "site"]) == "goals")
        #expect(Suggestions.closest(to: "monthly", in: ["quarter", "month"]) == "month")
        #expect(Suggestions.closest(to: "feed-20000", in: ["feed-20", "feed-2000"]) == "feed-2000")
        #expect(Suggestions.editDistance("gaols", "goals") == 1)
        #expect(Suggestions.editDistance("kitten", "sitting") == 3)
    }
}

@Suite("ConfigReader: invisible characters")
struct ConfigReaderInvisibleCharacterTests {
    /// Found by a tester: `u\u{200B}nit` printed as `unit` beside "did you mean `unit`?", and
    /// `outcome\u{00A0}` as `outcome ` beside "did you mean `outcome`?".
    @Test func aKeyOrValueWithAnInvisibleCharacterShowsIt() {
        let issues = IssueCollector()
        let reader = ConfigReader(mapping([
            ("u\u{200B}nit", node("people", line: 2, path: "u\u{200B}nit")),
            ("kind", node("outcome\u{00A0}", line: 3, path: "kind")),
        ]), issues: issues)
        _ = reader.choice("kind") as IndicatorKind?
        reader.finish()
        let messages = issues.issues.map(\.message)
        #expect(messages.contains("`outcome\\u00a0` is not one of `process`, `outcome`, `experience`, `cost` (it is `outcome` with an invisible character in it, which an editor may not show; delete it and type `outcome` again)"), "\(messages)")
        #expect(messages.contains("unknown key `u\\u200bnit`"), "\(messages)")
        #expect(issues.issues.map(\.description).contains { $0.contains(": error: u\\u200bnit: unknown key") }, "\(issues.issues)")
    }
}
