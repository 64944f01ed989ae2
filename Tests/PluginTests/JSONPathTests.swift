// The JSONPath subset: every construct, and parse errors that name the character.
import Foundation
import PioneerKit
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
            { "age_band": "0-17", "admissions": 212, "beds": { "days": 480 } },
            { "age_band": "65+", "admissions": "731", "beds": { "days": 6111 } },
            { "age_band": "65+", "admissions": 58, "site": "Paignton", "beds": { "days": 402 } }
          ],
          "totals": { "b": 2, "a": 1 }
        }
        """.utf8))
    }

    func select(_ path: String) throws -> [JSONValue] {
        try JSONPath(parsing: path).evaluate(document)
    }

    @Test func dollarSelectsTheWholeDocument() throws {
        #expect(try select("$") == [document])
    }

    @Test func dotSelectsAMember() throws {
        #expect(try select("$.total") == [.number(2044)])
        #expect(try select("$.missing").isEmpty)
    }

    @Test func quotedBracketSelectsAMemberWithSpaces() throws {
        #expect(try select("$['report name']") == [.string("Admissions")])
        #expect(try select(#"$["report name"]"#) == [.string("Admissions")])
    }

    @Test func indexSelectsAnElementCountingFromEitherEnd() throws {
        #expect(try select("$.data[0].admissions") == [.number(212)])
        #expect(try select("$.data[-1].admissions") == [.number(58)])
        #expect(try select("$.data[3]").isEmpty)
        #expect(try select("$.total[0]").isEmpty)
    }

    @Test func wildcardSelectsElementsOrMemberValuesInKeyOrder() throws {
        #expect(try select("$.data[*].admissions") == [.number(212), .string("731"), .number(58)])
        #expect(try select("$.totals.*") == [.number(1), .number(2)])
        #expect(try select("$.totals[*]") == [.number(1), .number(2)])
    }

    @Test func recursiveDescentFindsAMemberAtAnyDepth() throws {
        #expect(try select("$..days") == [.number(480), .number(6111), .number(402)])
        #expect(try select("$..site") == [.string("Paignton")])
    }

    @Test func filterComparesWithStringsAndNumbers() throws {
        #expect(try select("$.data[?(@.age_band == '65+')].admissions") == [.string("731"), .number(58)])
        #expect(try select("$.data[?(@.age_band != '65+')].admissions") == [.number(212)])
        #expect(try select("$.data[?(@.admissions > 100)].age_band") == [.string("0-17"), .string("65+")])
        #expect(try select("$.data[?(@.admissions >= 731)].admissions") == [.string("731")])
        #expect(try select("$.data[?(@.admissions < 100)].admissions") == [.number(58)])
        #expect(try select("$.data[?(@.admissions <= 212)].admissions") == [.number(212), .number(58)])
    }

    @Test func filterReadsNestedFieldsAndJoinsWithAnd() throws {
        #expect(try select("$.data[?(@.beds.days > 450 && @.age_band == '65+')].admissions") == [.string("731")])
        #expect(try select("$.data[?(@['age_band'] == \"0-17\")].beds.days") == [.number(480)])
    }

    @Test func filterComparisonWithAMissingFieldIsFalse() throws {
        #expect(try select("$.data[?(@.site != 'Torquay')].admissions") == [.number(58)])
    }

    @Test func stringOrderingComparesText() throws {
        let dates = try JSONValue(parsing: Data(#"[{"d": "2026-05-31"}, {"d": "2026-06-01"}, {"d": "2026-07-01"}]"#.utf8))
        let path = try JSONPath(parsing: "$[?(@.d >= '2026-06-01' && @.d < '2026-07-01')].d")
        #expect(path.evaluate(dates) == [.string("2026-06-01")])
    }

    @Test(arguments: [
        ("", 1, "the path is empty; it must start with `$`"),
        ("data.total", 1, "a path must start with `$`, found `d`"),
        ("$.", 3, "expected a member name or `*` after `.`, found the end of the path; write `['...']` for names with other characters"),
        ("$.data[0", 9, "expected `]` after the selector, found the end of the path"),
        ("$.data[x]", 8, "expected a quoted name, an index, `*` or `?(` after `[`, found `x`"),
        ("$['open", 3, "the string starting here is not closed with '"),
        ("$..", 4, "expected a member name after `..`, found the end of the path"),
        ("$.data[?(@.a = 1)]", 14, "`=` is not a comparison; write `==`"),
        ("$.data[?(@.a == x)]", 17, "expected a quoted string or a number after `==`, found `x`"),
        ("$.data[?(a == 1)]", 10, "a filter compares a field of `@`, such as `@.age_band == '65+'`; found `a`"),
        ("$.data[?(@ == 1)]", 12, "expected `.field` after `@`, found `=`"),
        ("$.data[?(@.a == 1 & @.b == 2)]", 20, "expected `&` after `&` (write `&&`), found ` `"),
        ("$.data[?(@.a == 1]", 18, "expected `)` after the filter, found `]`"),
        ("$total", 2, "expected `.` or `[`, found `t`"),
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
}
