// JSONValue(parsing:): a strict RFC 8259 parser whose errors say what and where.
import Foundation
import PioneerKit
import PioneerExtraction
import Testing

@Suite struct JSONParserTests {
    private func parse(_ text: String) throws -> JSONValue {
        try JSONValue(parsing: Data(text.utf8))
    }

    private func message(_ text: String) -> String? {
        do {
            _ = try JSONValue(parsing: Data(text.utf8))
            return nil
        } catch {
            return error.description
        }
    }

    @Test func parsesEveryKindOfValueAndNesting() throws {
        let value = try parse("""
            \u{FEFF} { "count": 42, "rate": -0.125, "big": 1.5E3, "small": 2e-2, "ok": true, "no": false,
              "none": null, "list": [1, [2, []], {}], "nested": {"a": {"b": "c"}} }\r\n
            """)
        #expect(value == .object([
            "count": .number(42), "rate": .number(-0.125), "big": .number(1500), "small": .number(0.02),
            "ok": .bool(true), "no": .bool(false), "none": .null,
            "list": .array([.number(1), .array([.number(2), .array([])]), .object([:])]),
            "nested": .object(["a": .object(["b": .string("c")])]),
        ]))
        #expect(try parse("0") == .number(0))
        #expect(try parse(" \"top\" ") == .string("top"))
        #expect(try parse("-0.0") == .number(-0.0))
    }

    @Test func decodesEscapesAndUnicode() throws {
        let value = try parse(#"["a\"b\\c\/d\b\f\n\r\t", "\u00e9\u20AC", "\ud83d\ude00", "plain é ☃ 日本"]"#)
        #expect(value == .array([
            .string("a\"b\\c/d\u{8}\u{c}\n\r\t"), .string("é€"), .string("😀"), .string("plain é ☃ 日本"),
        ]))
    }

    @Test func numbersMatchSwiftsOwnParsing() throws {
        for text in ["3.141592653589793", "1e308", "-2.2250738585072014e-308", "123456789012345678901234567890", "0.1", "5e-324"] {
            #expect(try parse(text) == .number(Double(text) ?? .nan), "\(text)")
        }
    }

    @Test func aRepeatedKeyIsRefusedAtItsLineAndColumnNotResolvedToTheLast() throws {
        // Readers differ on which counts (JSONSerialization keeps the last), so none is chosen.
        #expect {
            try parse("{\"a\": 1,\n \"a\": 2}")
        } throws: { error in
            "\(error)" == "the member \"a\" appears twice in one object; a repeated member is ambiguous, so the body cannot be read (line 2, column 2)"
        }
        // The same name in two objects is no repeat.
        #expect(try parse(#"[{"a": 1}, {"a": 2}]"#) == .array([.object(["a": .number(1)]), .object(["a": .number(2)])]))
    }

    @Test(arguments: [
        (#"{"a": 1,"#, "the JSON ends where an object key (a quoted string) was expected (line 1, column 9)"),
        ("[1,", "the JSON ends where a value was expected (line 1, column 4)"),
        (#"{"a": 1,}"#, "where an object key (a quoted string) was expected (line 1, column 9)"),
        ("[1, 2,]", "unexpected `]` where a value was expected (line 1, column 7)"),
        ("{a: 1}", "unexpected `a` where an object key (a quoted string) was expected (line 1, column 2)"),
        ("['x']", "unexpected `'` where a value was expected (line 1, column 2)"),
        ("{\"a\" 1}", "expected `:` after the key \"a\", found `1`"),
        ("[1 2]", "expected `,` or `]` in an array, found `2`"),
        ("{\"a\": 1 \"b\": 2}", "expected `,` or `}` in an object, found `\"`"),
        ("012", "a number may not start with 0 followed by digits"),
        ("1.", "a number needs digits after its decimal point"),
        ("-", "a number needs digits after `-`"),
        ("1e", "a number needs digits in its exponent"),
        ("1e400", "the number 1e400 is too large"),
        ("NaN", "unexpected `N` where a value was expected"),
        ("tru", "unexpected `t` where a value was expected"),
        ("\"open", "a string is not closed with `\"` (line 1, column 1)"),
        ("\"tab\there\"", "a string holds a raw control character; it must be escaped"),
        (#""\x""#, #"`\x` is not a JSON escape"#),
        (#""\u12""#, #"a \u escape needs four hex digits"#),
        (#""\ud83d""#, "must be followed by its low surrogate"),
        (#""\ude00""#, "a lone low surrogate"),
        ("{} {}", "unexpected `{` after the end of the JSON value (line 1, column 4)"),
        ("{\n  \"a\": [1,\n    2,\n  }", "unexpected `}` where a value was expected (line 4, column 3)"),
        ("   ", "the body holds only whitespace"),
    ])
    func malformedInputIsRefusedWithWhatAndWhere(text: String, expected: String) {
        let found = message(text)
        #expect(found?.contains(expected) == true, "\(text.debugDescription): \(found ?? "parsed")")
    }

    @Test func invalidUTF8InAStringIsRefused() {
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x22]
        #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: Data(bytes)) }
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(message(deep)?.contains("nests more than 512 levels") == true)
        let fine = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(message(fine) == nil)
    }
}
