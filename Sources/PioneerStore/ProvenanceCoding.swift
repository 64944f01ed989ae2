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
