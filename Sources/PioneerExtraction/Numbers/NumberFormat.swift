// How the `json` and `csv` blocks read a number written as text: strictly, or as people write it.
//
// Opt-in, because reading `1,234` as 1234 is a guess: the same text is 1.234 to a
// site whose exports use a decimal comma. A site that names its format once gets
// every value read that way, and a site that names none gets today's strict reading.
import PioneerKit

/// The `number_format:` setting of a `json` or `csv` block.
///
/// | Setting | Reads | Also accepts |
/// |---|---|---|
/// | `strict` (default) | `1234.5`, `-3` | (csv) a leading `£` |
/// | `readable` | `3,945,237.88`, `1 234.5`, `£1,204.50`, `(1,234.00)`, `12.5%` | `,`, space, thin space or no-break space between thousands; `.` before decimals |
/// | `readable-decimal-comma` | `3.945.237,88`, `1 234,5`, `€1.204,50`, `(1.234,00)`, `12,5%` | `.`, space, thin space or no-break space between thousands; `,` before decimals |
///
/// A readable number may start with `-` or be in accountants' brackets (negative),
/// may carry one currency sign (`£`, `€`, `$`) before or after its digits, and may end
/// in `%`, which divides it by 100 (`12.5%` is 0.125, the way a proportion is stored).
/// Thousands must come in groups of three (`1,234,567`), so `12,34` is refused rather
/// than guessed at.
public enum NumberFormat: String, Sendable, Hashable, CaseIterable {
    case strict
    case readable
    case readableDecimalComma = "readable-decimal-comma"

    /// The setting to suggest for `text`, when `strict` refuses it but another format reads it.
    ///
    /// `readable` wins when both read the text (`1,234` is more often a thousand than
    /// one and a bit in the exports Pioneer reads); nil when no format reads it.
    public static func suggestion(for text: String) -> NumberFormat? {
        guard NumberFormat.strict.parse(text) == nil else { return nil }
        return [NumberFormat.readable, .readableDecimalComma].first { $0.parse(text) != nil }
    }

    /// `text` as a finite number in this format, or nil.
    public func parse(_ text: String) -> Double? {
        let trimmed = Substring(text.trimmingWhitespaceFast())
        switch self {
        case .strict:
            return Self.plain(trimmed)
        case .readable:
            return Self.readable(trimmed, decimal: ".", thousands: [",", " ", "\u{2009}", "\u{202F}", "\u{00A0}"])
        case .readableDecimalComma:
            return Self.readable(trimmed, decimal: ",", thousands: [".", " ", "\u{2009}", "\u{202F}", "\u{00A0}"])
        }
    }

    /// A plain decimal such as `1234.5` or `-3`.
    private static func plain(_ text: Substring) -> Double? {
        guard text.isPlainDecimal, let value = Double(text), value.isFinite else { return nil }
        return value
    }

    private static let currencies: Set<Character> = ["£", "€", "$"]

    private static func readable(_ input: Substring, decimal: Character, thousands: Set<Character>) -> Double? {
        var text = input
        var negative = false
        var percent = false
        if text.first == "(" && text.last == ")" {
            negative = true
            text = text.dropFirst().dropLast()
        }
        text = trimmed(text)
        if text.last == "%" {
            percent = true
            text = trimmed(text.dropLast())
        }
        // One sign and one currency, in either order before the digits (`-£5`, `£-5`),
        // or the currency after them (`5 €`).
        var sawCurrency = false
        while let first = text.first {
            if first == "-" || first == "\u{2212}", !negative {
                negative = true
            } else if currencies.contains(first), !sawCurrency {
                sawCurrency = true
            } else {
                break
            }
            text = trimmed(text.dropFirst())
        }
        if let last = text.last, currencies.contains(last), !sawCurrency {
            text = trimmed(text.dropLast())
        }
        guard let magnitude = grouped(text, decimal: decimal, thousands: thousands) else { return nil }
        let signed = negative ? -magnitude : magnitude
        let value = percent ? signed / 100 : signed
        return value.isFinite ? value : nil
    }

    /// Digits with optional thousands groups of three and an optional decimal part.
    private static func grouped(_ text: Substring, decimal: Character, thousands: Set<Character>) -> Double? {
        let parts = text.split(separator: decimal, maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first else { return nil }
        let fraction = parts.count == 2 ? parts[1] : nil
        if let fraction, fraction.isEmpty || !fraction.allSatisfy(\.isASCIIDigit) { return nil }
        var separator: Character?
        var groups: [Substring] = []
        var start = whole.startIndex
        for index in whole.indices where !whole[index].isASCIIDigit {
            let character = whole[index]
            // One kind of separator per number: `1,234 567` is not a number.
            guard thousands.contains(character), separator == nil || separator == character else { return nil }
            separator = character
            groups.append(whole[start..<index])
            start = whole.index(after: index)
        }
        groups.append(whole[start...])
        guard let head = groups.first, (1...3).contains(head.count) || groups.count == 1,
              !head.isEmpty, groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
        var digits = groups.joined()
        if let fraction { digits += "." + fraction }
        return Double(digits)
    }

    private static func trimmed(_ text: Substring) -> Substring {
        Substring(String(text).trimmingWhitespaceFast())
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension NumberFormat {
    /// What to add to "should hold a number, but found `…`" about the `number_format:` setting.
    ///
    /// Names the setting that would read `text` when the configured one does not, and
    /// says which setting was used when none would: "; to read numbers written like
    /// this, add `number_format: readable` to the block".
    public static func hint(for text: String, configured: NumberFormat) -> String {
        // The strict format (the default) is named too when it reads what the configured one does
        // not: `readable` refuses `+5`, `1e5` and `.5`, which `strict` reads.
        let candidates = NumberFormat.allCases.filter { $0 != configured && ($0 != .strict || configured != .strict) }
        if let other = candidates.first(where: { $0.parse(text) != nil }) {
            return configured == .strict
                ? "; to read numbers written like this, add `number_format: \(other.rawValue)` to the block"
                : "; it reads as a number with `number_format: \(other.rawValue)`, not `\(configured.rawValue)`"
        }
        guard configured != .strict else { return "" }
        return " (read with `number_format: \(configured.rawValue)`)"
    }
}

extension StringProtocol {
    /// Whether the text is a plain decimal: an optional sign, digits with an optional point,
    /// an optional exponent (`-12.5`, `3e4`). Swift's `Double(_:)` also reads hexadecimal
    /// (`0x10`, `0x1p3`), `nan` and `infinity`, which a feed's number never is.
    package var isPlainDecimal: Bool {
        var bytes = utf8[...]
        if let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        var digits = 0
        while let byte = bytes.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { digits += 1; bytes = bytes.dropFirst() }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            while let byte = bytes.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { digits += 1; bytes = bytes.dropFirst() }
        }
        guard digits > 0 else { return false }
        if let byte = bytes.first, byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            var exponent = 0
            while let byte = bytes.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { exponent += 1; bytes = bytes.dropFirst() }
            guard exponent > 0 else { return false }
        }
        return bytes.isEmpty
    }
}
