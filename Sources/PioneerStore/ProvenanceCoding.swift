// The provenance column's JSON: written by hand (a collection stores one per measure,
// and JSONEncoder's generic machinery cost more than the SQLite insert beside it),
// read back with JSONDecoder. Both sides agree on one format, checked in the tests.
import PioneerKit
import Foundation

/// JSON for the provenance column: sorted snake_case keys, no spaces, `/` unescaped,
/// dates in ISO 8601 UTC with milliseconds (`2026-07-03T09:14:07.512Z`, truncated
/// as `Date.ISO8601FormatStyle` does). The output is what `JSONEncoder` with
/// `[.sortedKeys, .withoutEscapingSlashes]` and `.convertToSnakeCase` would write.
enum ProvenanceCoding {
    /// `2026-07-03T09:14:07.512Z`
    static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// The JSON text of `provenance`.
    static func json(_ provenance: Provenance) -> String {
        var out = ""
        out.reserveCapacity(160 + 260 * provenance.sources.count)
        out += "{\"collected_at\":\""
        appendTimestamp(provenance.collectedAt, to: &out)
        out += "\",\"plugin\":"
        appendString(provenance.plugin, to: &out)
        out += ",\"sources\":["
        for (index, source) in provenance.sources.enumerated() {
            if index > 0 { out += "," }
            out += "{\"content_hash\":"
            appendString(source.contentHash, to: &out)
            out += ",\"feed\":"
            appendString(source.feed, to: &out)
            out += ",\"fetched_at\":\""
            appendTimestamp(source.fetchedAt, to: &out)
            out += "\",\"status\":"
            out += String(source.status)
            out += ",\"url\":"
            appendString(source.url, to: &out)
            out += "}"
        }
        out += "]}"
        return out
    }

    /// `date` as `YYYY-MM-DDTHH:MM:SS.mmmZ` in UTC, milliseconds truncated.
    static func timestamp(_ date: Date) -> String {
        var out = ""
        appendTimestamp(date, to: &out)
        return out
    }

    static func appendTimestamp(_ date: Date, to out: inout String) {
        // From the reference date, which is what a Date holds, as Foundation's formatter
        // does: going through 1970 first adds a rounding error to the milliseconds.
        let interval = date.timeIntervalSinceReferenceDate
        guard interval.isFinite, abs(interval) < 250_000_000_000 else {
            // Far outside years 0001–9999: leave it to Foundation, which knows what to do.
            out += style.format(date)
            return
        }
        let whole = interval.rounded(.down)
        let milliseconds = min(999, Int((interval - whole) * 1000))
        let seconds = Int(whole) + 978_307_200
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSince1970: days)
        pad(year, 4, &out); out += "-"; pad(month, 2, &out); out += "-"; pad(day, 2, &out)
        out += "T"
        pad(secondOfDay / 3600, 2, &out); out += ":"; pad(secondOfDay / 60 % 60, 2, &out); out += ":"
        pad(secondOfDay % 60, 2, &out); out += "."; pad(milliseconds, 3, &out)
        out += "Z"
    }

    /// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civilDate(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func pad(_ value: Int, _ width: Int, _ out: inout String) {
        let digits = String(value)
        if digits.utf8.count < width { out += String(repeating: "0", count: width - digits.utf8.count) }
        out += digits
    }

    /// `text` as a JSON string: `"` and `\` escaped, control characters as `\n`-style
    /// escapes or `\u00XX`, everything else (including `/` and non-ASCII) as it is.
    static func appendString(_ text: String, to out: inout String) {
        out += "\""
        let needsEscaping = text.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        guard needsEscaping else {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// The decoder for the provenance column (also reads dates without milliseconds).
    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = try? style.parse(text) { return date }
            if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "`\(text)` is not an ISO 8601 date")
        }
        return decoder
    }

    /// The `JSONEncoder` settings the hand-written ``json(_:)`` reproduces; the tests compare the two.
    static var referenceEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(style.format(date))
        }
        return encoder
    }
}
