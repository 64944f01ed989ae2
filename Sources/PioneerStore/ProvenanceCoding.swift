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
        out += CalendarDate(dayNumber: days).description
        out += "T"
        pad(secondOfDay / 3600, 2, &out); out += ":"; pad(secondOfDay / 60 % 60, 2, &out); out += ":"
        pad(secondOfDay % 60, 2, &out); out += "."; pad(milliseconds, 3, &out)
        out += "Z"
    }

    private static func pad(_ value: Int, _ width: Int, _ out: inout String) {
        CalendarDate.appendPadded(value, width: width, to: &out)
    }

    static func appendString(_ text: String, to out: inout String) {
        JSONText.appendString(text, to: &out)
    }

    /// The provenance in the column's `text`: the format ``json(_:)`` writes is read directly;
    /// anything else (a string with an escape, a date without milliseconds, rows written
    /// before that format) through ``decoder``. Reading a site's history for `progress` or a
    /// report read one provenance a measure, and JSONDecoder was most of that time.
    static func decode(_ text: String) throws -> Provenance {
        var text = text
        if let provenance = text.withUTF8({ bytes in
            var reader = Reader(bytes: bytes)
            return reader.provenance()
        }) {
            return provenance
        }
        return try decoder.decode(Provenance.self, from: Data(text.utf8))
    }

    /// A reader for exactly what ``json(_:)`` writes, keys in its order; nil at anything else.
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func provenance() -> Provenance? {
            guard take("{\"collected_at\":"), let collectedAt = date(), take(",\"plugin\":"), let plugin = string(),
                  take(",\"sources\":[") else { return nil }
            var sources: [FeedSource] = []
            if !take("]") {
                repeat {
                    guard take("{\"content_hash\":"), let contentHash = string(), take(",\"feed\":"), let feed = string(),
                          take(",\"fetched_at\":"), let fetchedAt = date(), take(",\"status\":"), let status = integer(),
                          take(",\"url\":"), let url = string(), take("}") else { return nil }
                    sources.append(FeedSource(feed: feed, url: url, fetchedAt: fetchedAt, contentHash: contentHash, status: status))
                } while take(",")
                guard take("]") else { return nil }
            }
            guard take("}"), index == bytes.count else { return nil }
            return Provenance(plugin: plugin, sources: sources, collectedAt: collectedAt)
        }

        /// Steps over `text` when the bytes at the read position are it.
        mutating func take(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard bytes.count - index >= count else { return false }
            for offset in 0..<count where bytes[index + offset] != text.utf8Start[offset] { return false }
            index += count
            return true
        }

        /// A string without escapes (the writer escapes quotes, backslashes and control characters).
        mutating func string() -> String? {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            let start = index + 1
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                if bytes[end] == UInt8(ascii: "\\") { return nil }
                end += 1
            }
            guard end < bytes.count else { return nil }
            index = end + 1
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }

        mutating func integer() -> Int? {
            let negative = take("-")
            var value = 0
            var digits = 0
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]), digits < 18 {
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
                digits += 1
            }
            return digits == 0 ? nil : (negative ? -value : value)
        }

        /// `"YYYY-MM-DDTHH:MM:SS.mmmZ"`, as ``appendTimestamp(_:to:)`` writes it.
        mutating func date() -> Date? {
            guard bytes.count - index >= 26, bytes[index] == UInt8(ascii: "\""), bytes[index + 25] == UInt8(ascii: "\"") else { return nil }
            let text = UnsafeBufferPointer(rebasing: bytes[(index + 1)..<(index + 25)])
            // - - T : : . Z
            guard text[4] == 0x2D, text[7] == 0x2D, text[10] == 0x54, text[13] == 0x3A, text[16] == 0x3A,
                  text[19] == 0x2E, text[23] == 0x5A else { return nil }
            func number(_ start: Int, _ width: Int) -> Int? {
                var value = 0
                for position in start..<(start + width) {
                    let digit = Int(text[position]) - 0x30
                    guard (0...9).contains(digit) else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
                  let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
                  let millisecond = number(20, 3), hour < 24, minute < 60, second < 60,
                  let date = CalendarDate(year: year, month: month, day: day) else { return nil }
            let seconds = date.dayNumber * 86_400 + hour * 3600 + minute * 60 + second - 978_307_200
            // Within about 48 days of 2001-01-01 Foundation's parser lands a bit away from this
            // sum (it works from 1970 there); the decoder reads those, so a date reads the same
            // either way.
            guard abs(seconds) >= 1 << 23 else { return nil }
            index += 26
            return Date(timeIntervalSinceReferenceDate: Double(seconds) + Double(millisecond) / 1000)
        }
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
