// The `number_format:` setting: what each format reads, what it refuses, and the hint it gives.
import PioneerKit
import PioneerExtraction
import Testing

@Suite("number format")
struct NumberFormatTests {
    @Test(arguments: [
        ("3,945,237.88", 3_945_237.88), ("1 234.5", 1234.5), ("1\u{2009}234.5", 1234.5), ("1\u{00A0}234", 1234),
        ("£1,204.50", 1204.5), ("€12", 12), ("$0.5", 0.5), ("12 £", 12), ("-£5", -5), ("£-5", -5),
        ("(1,234.00)", -1234), ("(£12)", -12), ("12.5%", 0.125), ("  42  ", 42), ("1234", 1234), ("0", 0),
    ])
    func readableReadsNumbersAsPeopleWriteThem(_ text: String, _ expected: Double) throws {
        let value = try #require(NumberFormat.readable.parse(text), "`\(text)`")
        #expect(abs(value - expected) < 1e-9, "`\(text)`")
    }

    @Test(arguments: [
        ("3.945.237,88", 3_945_237.88), ("1 234,5", 1234.5), ("1\u{202F}234,5", 1234.5), ("1.204,50 €", 1204.5),
        ("(1.234,00)", -1234), ("12,5%", 0.125), ("-0,5", -0.5),
    ])
    func decimalCommaReadsContinentalNumbers(_ text: String, _ expected: Double) throws {
        let value = try #require(NumberFormat.readableDecimalComma.parse(text), "`\(text)`")
        #expect(abs(value - expected) < 1e-9, "`\(text)`")
    }

    @Test(arguments: ["", "n/a", "12,34", "1,2345", "1,234 567", ",123", "1,,234", "£", "--5", "£€5", "(5", "1.2.3", "12%%", "1e3%x", "inf", "nan"])
    func readableRefusesWhatItWouldHaveToGuess(_ text: String) {
        #expect(NumberFormat.readable.parse(text) == nil, "`\(text)`")
    }

    @Test func strictReadsOnlyPlainDecimals() {
        #expect(NumberFormat.strict.parse(" 1234.5 ") == 1234.5)
        #expect(NumberFormat.strict.parse("-3") == -3)
        #expect(NumberFormat.strict.parse("1,234") == nil)
        #expect(NumberFormat.strict.parse("£12") == nil)
        #expect(NumberFormat.strict.parse("inf") == nil)
    }

    @Test func suggestsTheFormatThatReadsAStrictlyRefusedNumber() {
        #expect(NumberFormat.suggestion(for: "3,945,237.88") == .readable)
        #expect(NumberFormat.suggestion(for: "3.945.237,88") == .readableDecimalComma)
        #expect(NumberFormat.suggestion(for: "12") == nil)
        #expect(NumberFormat.suggestion(for: "n/a") == nil)
        #expect(NumberFormat.hint(for: "3,945,237.88", configured: .strict)
            == "; to read numbers written like this, add `number_format: readable` to the block")
        #expect(NumberFormat.hint(for: "n/a", configured: .strict) == "")
        #expect(NumberFormat.hint(for: "n/a", configured: .readable) == " (read with `number_format: readable`)")
        // What the default reads and `readable` does not: the hint names the default.
        for text in ["+5", "1e5", ".5"] {
            #expect(NumberFormat.hint(for: text, configured: .readable)
                    == "; it reads as a number with `number_format: strict`, not `readable`", "\(text)")
        }
    }
}
