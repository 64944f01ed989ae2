// `number_format:` on the `json` block: formatted strings read when asked for, and named when not.
import JSONPlugin
import PioneerKit
import PioneerExtraction
import PioneerTesting
import Testing

@Suite("json number format")
struct JSONNumberFormatTests {
    let june = Period.month(2026, 6)
    let finance: FeedBody = #"{"month": "2026-06", "spend_gbp": "3,945,237.88", "lines": [{"gbp": "£1,204.50"}, {"gbp": "(204.50)"}, {"gbp": 10}]}"#

    func harness(select: String, aggregate: String = "value", format: String? = nil) throws -> PluginHarness<JSONIndicatorPlugin> {
        var pairs: [(key: String, value: ConfigLiteral)] = [
            ("feed", "bi"), ("path", "/finance/{period}"), ("select", .scalar(select, quoted: true)), ("aggregate", .scalar(aggregate, quoted: false)),
        ]
        if let format { pairs.append(("number_format", .scalar(format, quoted: false))) }
        return try PluginHarness(JSONIndicatorPlugin.self, config: .mapping(pairs), indicator: .example(.amount))
    }

    @Test func readsFormattedStringsWithReadable() throws {
        #expect(try harness(select: "$.spend_gbp", format: "readable").run(june, bodies: ["document": finance]).value == 3_945_237.88)
        #expect(try harness(select: "$.lines[*].gbp", aggregate: "sum", format: "readable").run(june, bodies: ["document": finance]).value == 1010)
    }

    @Test func withoutTheOptionTheStrictErrorNamesIt() throws {
        #expect {
            try harness(select: "$.spend_gbp").run(june, bodies: ["document": finance])
        } throws: { error in
            (error as? PluginError)?.message == "`$.spend_gbp` in http://bi.test/finance/2026-06 should select numbers, but `$['spend_gbp']` is a string `3,945,237.88`; to read numbers written like this, add `number_format: readable` to the block"
        }
    }

    @Test func aHexadecimalStringIsNotANumber() throws {
        #expect(JSONValue.string(" 731 ").numberValue == 731)
        #expect(JSONValue.string("0x1p3").numberValue == nil)
        #expect(JSONValue.string("0X10").numberValue == nil)
        #expect(JSONValue.string("1e3").numberValue == 1000)
    }

    @Test func aStringNoFormatReadsSaysWhichFormatWasUsed() throws {
        #expect {
            try harness(select: "$.month", format: "readable").run(june, bodies: ["document": finance])
        } throws: { error in
            (error as? PluginError)?.message == "`$.month` in http://bi.test/finance/2026-06 should select numbers, but `$['month']` is a string `2026-06` (read with `number_format: readable`)"
        }
    }

    @Test func anUnknownFormatIsAConfigError() {
        let issues = PluginHarness<JSONIndicatorPlugin>.issues(configuring: [
            "feed": "bi", "path": "/x", "select": "$.a", "number_format": "uk",
        ])
        #expect(issues.map(\.description) == [
            "<test>: error: config.number_format: `uk` is not one of `strict`, `readable`, `readable-decimal-comma`",
        ])
    }
}
