// RFC 9535 JSONPath as Pioneer uses it on feed bodies: every construct on a feed-like document,
// normalized paths, the hint when a filter matches nothing, and parse errors that name the character.
// The standard's own suite runs in JSONPathComplianceTests.
import Foundation
import PioneerKit
import PioneerExtraction
import Testing

@Suite("JSONPath")
struct JSONPathTests {
    let document: JSONValue

    init() throws {
        document = try JSONValue(parsing: Data("""
        {
          "total": 2044,
          "report name": "Admissions",
          "data": [
            { "age_band": "0-17", "admissions": 212, "beds": { "days": 480 }, "tags": ["child"] },
            { "age_band": "65-74", "admissions": "731", "beds": { "days": 6111 } },
            { "age_band": "75+", "admissions": 58, "site": "Paignton", "beds": { "days": 402 }, "tags": [] }
          ],
          "totals": { "b": 2, "a": 1 }
        }
        """.utf8))
    }

    func select(_ path: String) throws -> [JSONValue] {
        try JSONPath(parsing: path).evaluate(document)
    }

    func paths(_ path: String) throws -> [String] {
        try JSONPath(parsing: path).nodes(in: document).map(\.path)
    }

    // MARK: Selectors and segments

    /// `\d` is not I-Regexp: RFC 9535 makes match() false for every value with such a pattern,
    /// so the filter quietly selected nothing and `if_empty: zero` stored 0. Validate warns now.
    @Test func aPatternThatIsNotAnIRegexpIsNamedForValidate() throws {
        let path = try JSONPath(parsing: #"$.data[?match(@.s, '\\d+') || search(@.t, '[0-9]+')].n"#)
        #expect(path.patternProblems.count == 1)
        #expect(path.patternProblems.first?.hasPrefix(#"`\d+` in match() is not an I-Regexp (RFC 9485): "#) == true,
                "\(path.patternProblems)")
        #expect(path.patternProblems.first?.hasSuffix("the call is false for every value, so the filter selects nothing") == true)
        #expect(try JSONPath(parsing: "$.data[?match(@.s, '[0-9]+')].n").patternProblems.isEmpty)
    }

    @Test func dollarSelectsTheWholeDocument() throws {
        #expect(try select("$") == [document])
        #expect(try paths("$") == ["$"])
    }

    @Test func dotAndBracketsSelectAMember() throws {
        #expect(try select("$.total") == [.number(2044)])
        #expect(try select("$['report name']") == [.string("Admissions")])
        #expect(try select(#"$["report name"]"#) == [.string("Admissions")])
        #expect(try select("$.missing").isEmpty)
    }

    @Test func namesCompareCodePointByCodePoint() throws {
        let composed = JSONValue.object(["caf\u{E9}": .number(1)])
        #expect(try JSONPath(parsing: "$['caf\u{E9}']").evaluate(composed) == [.number(1)])
        #expect(try JSONPath(parsing: "$['cafe\u{301}']").evaluate(composed).isEmpty)
    }

    @Test func indexSelectsAnElementCountingFromEitherEnd() throws {
        #expect(try select("$.data[0].admissions") == [.number(212)])
        #expect(try select("$.data[-1].admissions") == [.number(58)])
        #expect(try select("$.data[3]").isEmpty)
        #expect(try select("$.total[0]").isEmpty)
    }

    @Test func slicesTakeStartEndAndStep() throws {
        #expect(try paths("$.data[1:]") == ["$['data'][1]", "$['data'][2]"])
        #expect(try paths("$.data[:-1]") == ["$['data'][0]", "$['data'][1]"])
        #expect(try paths("$.data[::2]") == ["$['data'][0]", "$['data'][2]"])
        #expect(try paths("$.data[::-1]") == ["$['data'][2]", "$['data'][1]", "$['data'][0]"])
        #expect(try select("$.data[1:1]").isEmpty)
        #expect(try select("$.data[::0]").isEmpty)
    }

    @Test func wildcardSelectsElementsOrMemberValuesInKeyOrder() throws {
        #expect(try select("$.data[*].admissions") == [.number(212), .string("731"), .number(58)])
        #expect(try select("$.totals.*") == [.number(1), .number(2)])
        #expect(try paths("$.totals[*]") == ["$['totals']['a']", "$['totals']['b']"])
    }

    @Test func aBracketedListSelectsEachInTurn() throws {
        #expect(try select("$.data[2, 0].age_band") == [.string("75+"), .string("0-17")])
        #expect(try select("$.totals['b', 'a', 'b']") == [.number(2), .number(1), .number(2)])
        #expect(try select("$.data[0:1, -1].admissions") == [.number(212), .number(58)])
    }

    @Test func descendantsAreVisitedParentsFirstInDocumentOrder() throws {
        #expect(try select("$..days") == [.number(480), .number(6111), .number(402)])
        #expect(try paths("$..site") == ["$['data'][2]['site']"])
        #expect(try select("$..[0]") == [try #require(select("$.data[0]").first), .string("child")])
    }

    // MARK: Filters

    @Test func filterComparesStringsAndNumbersAsTheStandardSays() throws {
        #expect(try select("$.data[?@.age_band == '75+'].admissions") == [.number(58)])
        #expect(try select("$.data[?@.age_band != '75+'].admissions") == [.number(212), .string("731")])
        // A number written as a string is a string: it is neither equal to nor greater than 100.
        #expect(try select("$.data[?@.admissions > 100].age_band") == [.string("0-17")])
        #expect(try select("$.data[?@.admissions == 731]").isEmpty)
        #expect(try select("$.data[?@.admissions == '731'].age_band") == [.string("65-74")])
    }

    @Test func theParenthesisedFilterOfOlderExamplesStillReads() throws {
        #expect(try select("$.data[?(@.age_band == '75+')].admissions") == [.number(58)])
        #expect(try select("$.data[?(@.beds.days > 450 && @['age_band'] == \"0-17\")].beds.days") == [.number(480)])
    }

    @Test func orNotAndParenthesesCombineTests() throws {
        #expect(try select("$.data[?@.age_band == '65-74' || @.age_band == '75+'].beds.days") == [.number(6111), .number(402)])
        #expect(try select("$.data[?!(@.age_band == '0-17')].age_band") == [.string("65-74"), .string("75+")])
        #expect(try select("$.data[?!@.site].age_band") == [.string("0-17"), .string("65-74")])
        #expect(try select("$.data[?(@.beds.days < 450 || @.beds.days > 6000) && !@.site].age_band") == [.string("65-74")])
    }

    @Test func aMissingMemberEqualsOnlyAnotherMissingMember() throws {
        #expect(try select("$.data[?@.site != 'Torquay'].age_band") == [.string("0-17"), .string("65-74"), .string("75+")])
        #expect(try select("$.data[?@.site == @.nowhere].age_band") == [.string("0-17"), .string("65-74")])
        #expect(try select("$.data[?@.site < 'Z']").count == 1)
    }

    @Test func arraysAndObjectsCompareByValue() throws {
        #expect(try select("$.data[?@.tags == $.data[0].tags].age_band") == [.string("0-17")])
        #expect(try select("$[?@ == $.totals]").count == 1)
        #expect(try select("$[?@.b == 2 && @.a == 1]").count == 1)
    }

    @Test func stringOrderingComparesCodePointsSoISODatesOrder() throws {
        let dates = try JSONValue(parsing: Data(#"[{"d": "2026-05-31"}, {"d": "2026-06-01"}, {"d": "2026-07-01"}]"#.utf8))
        let path = try JSONPath(parsing: "$[?@.d >= '2026-06-01' && @.d < '2026-07-01'].d")
        #expect(path.evaluate(dates) == [.string("2026-06-01")])
    }

    @Test func lengthCountAndValueGiveValues() throws {
        #expect(try select("$.data[?length(@.age_band) == 4].age_band") == [.string("0-17")])
        #expect(try select("$.data[?length(@.tags) == 0].age_band") == [.string("75+")])
        #expect(try select("$.data[?count(@.*) >= 4].age_band") == [.string("0-17"), .string("75+")])
        #expect(try select("$.data[?value(@..days) > 1000].age_band") == [.string("65-74")])
        #expect(try select("$[?length(@) == 3]").count == 1)
    }

    @Test func matchTestsTheWholeStringAndSearchAnyPart() throws {
        #expect(try select("$.data[?match(@.age_band, '[0-9]+-[0-9]+')].age_band") == [.string("0-17"), .string("65-74")])
        #expect(try select("$.data[?search(@.age_band, '7')].age_band") == [.string("0-17"), .string("65-74"), .string("75+")])
        #expect(try select("$.data[?match(@.age_band, '7')]").isEmpty)
        #expect(try select(#"$.data[?match(@.age_band, '\\d+')]"#).isEmpty, "\\d is not I-Regexp, so the pattern matches nothing")
        #expect(try select(#"$.data[?search(@.site, '\\p{Lu}')].site"#) == [.string("Paignton")])
        #expect(try select("$.data[?search(@.age_band, '^7')].age_band") == [.string("75+")])
    }

    // MARK: I-Regexp

    @Test(arguments: [
        ("a.c", "abc", true), ("a.c", "a\nc", false), ("a.c", "a\rc", false),
        ("(ab|cd)+", "abcdab", true), ("x{2,3}", "xxxx", false), ("x{2,}", "xxxx", true),
        ("[^a-c]", "d", true), ("[^a-c]", "b", false), ("[-a]", "-", true), ("[a-]", "-", true),
        (#"\P{L}"#, "1", true), (#"\p{Nd}+"#, "٣4", true), ("a|", "", true),
    ])
    func iRegexpMatchesWholeStrings(pattern: String, text: String, matches: Bool) throws {
        let document = JSONValue.array([.string(text)])
        let path = try JSONPath(parsing: "$[?match(@, '\(pattern.replacingOccurrences(of: "\\", with: "\\\\"))')]")
        #expect(path.evaluate(document).isEmpty != matches)
    }

    @Test(arguments: [#"\d"#, "a{2,1}", "(a", "a)", "[]", "[b-a]", "*a", #"\p{Greek}"#, "^*", "a{"])
    func patternsOutsideIRegexpMatchNothing(pattern: String) throws {
        let document = JSONValue.array([.string(pattern), .string("a"), .string("aa"), .string("d")])
        let path = try JSONPath(parsing: "$[?search(@, '\(pattern.replacingOccurrences(of: "\\", with: "\\\\"))')]")
        #expect(path.evaluate(document).isEmpty)
    }

    // MARK: Normalized paths

    @Test func normalizedPathsEscapeNamesAsTheStandardWritesThem() throws {
        let odd = try JSONValue(parsing: Data(#"{"it's": {"a\\b": {"tab\tnew\nline": {"\u0001": 1}}}}"#.utf8))
        let nodes = try JSONPath(parsing: "$..*").nodes(in: odd)
        #expect(nodes.map(\.path) == [
            #"$['it\'s']"#, #"$['it\'s']['a\\b']"#, #"$['it\'s']['a\\b']['tab\tnew\nline']"#,
            #"$['it\'s']['a\\b']['tab\tnew\nline']['\u0001']"#,
        ])
    }

    // MARK: When a filter matches nothing

    @Test func anEmptyFilterSaysWhichValuesTheMemberHolds() throws {
        let path = try JSONPath(parsing: "$.data[?@.age_band == '65+'].admissions")
        #expect(path.evaluate(document).isEmpty)
        #expect(path.emptyResultHint(in: document) == "`age_band` holds `0-17` ×1, `65-74` ×1, `75+` ×1")
    }

    @Test func theHintListsAFewValuesAndCountsTheRest() throws {
        let rows = (1...40).map { JSONValue.object(["band": .number(Double($0 % 8)), "n": .number(1)]) }
            + [.object(["n": .number(2)])]
        let document = JSONValue.object(["rows": .array(rows)])
        let path = try JSONPath(parsing: "$.rows[?@.band == 9 || @.n > 5].n")
        #expect(path.emptyResultHint(in: document)
            == "`band` holds `1` ×5, `2` ×5, `3` ×5, `4` ×5, `5` ×5, and 3 other values, missing ×1; `n` holds `1` ×40, `2` ×1")
    }

    @Test func thereIsNoHintWhenNothingWasFilteredOut() throws {
        #expect(try JSONPath(parsing: "$.nothing[?@.a == 1]").emptyResultHint(in: document) == nil)
        #expect(try JSONPath(parsing: "$.data[?@.age_band == '75+'].missing").emptyResultHint(in: document) == nil)
        #expect(try JSONPath(parsing: "$.data[?@.ward == 'A']").emptyResultHint(in: document) == "none of the 3 items has `ward`")
        #expect(try JSONPath(parsing: "$.data[*].age_band[?@ == 'x']").emptyResultHint(in: document) == nil)
        #expect(try JSONPath(parsing: "$.data[0].tags[?@ == 'adult']").emptyResultHint(in: document) == "the items are `child` ×1")
    }

    // MARK: Parse errors

    @Test(arguments: [
        ("", 1, "the path is empty; it must start with `$`"),
        ("data.total", 1, "a path must start with `$`, found `d`"),
        ("$.", 3, "expected a member name or `*` after `.`, found the end of the path; write `['...']` for names that start with a digit or hold other characters"),
        ("$.age-band", 6, "a name after `.` holds only letters, digits and `_`; write other names in brackets, as in `['age-band']`"),
        ("$.data[0", 9, "expected `,` or `]` after a selector, found the end of the path"),
        ("$.data[x]", 8, "expected a quoted name, an index, a slice, `*` or `?` after `[`, found `x`"),
        ("$.data[01]", 8, "a whole number may not start with `0`"),
        ("$.data[9007199254740992]", 8, "the number is too large; indices lie within ±9007199254740991"),
        ("$['open", 3, "the string starting here is not closed with '"),
        (#"$['a\x']"#, 5, #"`\x` is not an escape here; the escapes are \' \\ \/ \b \f \n \r \t and \uXXXX"#),
        ("$..", 4, "expected a member name, `*` or `[` after `..`, found the end of the path"),
        ("$.a ", 4, "blank space may not end a path"),
        ("$.data[?(@.a = 1)]", 14, "`=` is not a comparison; write `==`"),
        ("$.data[?(@.a == x)]", 17, "`x` is not a literal, a query or a function; quote text as `'x'`, and start queries with `@` or `$`"),
        ("$.data[?@.a == 1 & @.b == 2]", 18, "`&` is not an operator; write `&&` for \"and\""),
        ("$.data[?@.a == 1 | @.b == 2]", 18, "`|` is not an operator; write `||` for \"or\""),
        ("$.data[?(@.a == 1]", 18, "expected `)` to close the `(` at character 9, found `]`"),
        ("$.data[?@.a == 1)]", 17, "expected `,` or `]` after a selector, found `)`"),
        ("$.data[?1 == 1 || 2]", 19, "a literal on its own is not a test; compare it with something, as in `@.x == 1`"),
        ("$.data[?@.* == 1]", 9, "this query can select several nodes, so it cannot be compared; use only names and indices (`@.a[0]`), or count() or value()"),
        ("$.data[?!@.a == 1]", 9, "`!` negates a query, a function or a test in parentheses, not a comparison; write `!(@.x == 1)`"),
        ("$.data[?length(@.a)]", 9, "`length()` gives a value, which is not a test on its own; compare it, as in `length(...) > 0`"),
        ("$.data[?match(@.a, 'x') == true]", 9, "`match()` gives true or false, which cannot be compared; use it as a test on its own"),
        ("$.data[?count(@.a, @.b) > 1]", 9, "`count()` takes 1 argument, as in `count(query)`; found 2"),
        ("$.data[?count('a') > 1]", 15, "`count()` needs a list of nodes here, as in `count(query)`"),
        ("$.data[?length(@.*) > 1]", 16, "`length()` needs a value here, as in `length(value)`; this query can select several nodes"),
        ("$.data[?size(@) > 1]", 9, "`size()` is not a function; the functions are `length()`, `count()`, `match()`, `search()`, `value()`"),
        ("$.data[?length (@) > 1]", 15, "expected `(` right after the function name `length`, found a space"),
    ])
    func parseErrorsNameTheCharacter(path: String, position: Int, reason: String) {
        #expect {
            _ = try JSONPath(parsing: path)
        } throws: { error in
            guard let error = error as? JSONPath.ParseError else { return false }
            return error.position == position && error.reason == reason
                && error.description == "invalid JSONPath `\(path)` at character \(position): \(reason)"
        }
    }

    @Test func deeplyNestedFiltersAreRefusedNotOverflowed() {
        let path = "$[?" + String(repeating: "(", count: 500) + "@.a" + String(repeating: ")", count: 500) + "]"
        #expect(throws: JSONPath.ParseError.self) { try JSONPath(parsing: path) }
    }
}

@Suite("JSONPath on a large feed")
struct JSONPathScaleTests {
    /// 20,000 rows of four members, one an object: 120,000 nodes.
    static let rows = 20_000
    static let document: JSONValue = .object([
        "limit": .number(5),
        "data": .array((0..<rows).map { row in
            .object(["id": .number(Double(row)), "band": .string(row % 2 == 0 ? "65-74" : "75+"),
                     "admissions": .number(Double(row % 10)), "beds": .object(["days": .number(1)])])
        }),
    ])

    @Test func descendantsAndFiltersWithRootQueriesVisitEachNodeOnce() throws {
        let document = Self.document
        let clock = ContinuousClock()
        var counts: [Int] = []
        let elapsed = try clock.measure {
            counts.append(try JSONPath(parsing: "$..days").evaluate(document).count)
            counts.append(try JSONPath(parsing: "$.data[?@.admissions < $.limit && @.band == '75+']").nodes(in: document).count)
            counts.append(try JSONPath(parsing: "$..[?@.days == 1]").evaluate(document).count)
        }
        print("JSONPath over \(Self.rows) rows: 3 queries in \(elapsed)")
        #expect(counts == [Self.rows, Self.rows / 5, Self.rows])
    }
}

@Suite("JSONPath examples in the docs")
struct JSONPathDocumentationTests {
    /// The repository's root, from this file's place in Tests/PluginTests/.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Each line of a ```text block that starts with `$`, up to the first run of two spaces.
    static func examples(in relativePath: String) throws -> [String] {
        let text = try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
        var examples: [String] = []
        var inText = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                inText = line == "```text"
            } else if inText, line.hasPrefix("$") {
                examples.append(String(line.split(separator: "  ", maxSplits: 1)[0]))
            }
        }
        return examples
    }

    @Test(arguments: ["docs/plugins.md", "Plugins/JSON/README.md"])
    func everyExamplePathParses(file: String) throws {
        let examples = try Self.examples(in: file)
        #expect(examples.count >= 9, "\(file) should list its JSONPath examples in a ```text block")
        for example in examples {
            #expect(throws: Never.self, "\(file): `\(example)`") { try JSONPath(parsing: example) }
        }
    }
}
