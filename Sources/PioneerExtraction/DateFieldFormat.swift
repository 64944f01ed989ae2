// How dates are written in feed rows and records, for keeping only those in a period.
public import PioneerKit

/// The spelling of a date in a CSV column or JSON field: the `date_format:` setting.
public enum DateFieldFormat: String, Sendable, Hashable, CaseIterable {
    /// `2026-06-30`, optionally followed by a time (`2026-06-30T14:05:00Z`, `2026-06-30 14:05`).
    case iso
    /// `30/06/2026` (one-digit day and month allowed), as UK spreadsheets write it.
    case dayMonthYear = "dd/mm/yyyy"
    /// `2026-06`: a whole month, dated by its first day.
    case yearMonth = "yyyy-mm"

    /// An example for messages.
    public var example: String {
        switch self {
        case .iso: return "2026-06-30"
        case .dayMonthYear: return "30/06/2026"
        case .yearMonth: return "2026-06"
        }
    }

    /// How the format is written for a reader of a message: `YYYY-MM-DD`, `DD/MM/YYYY`, `YYYY-MM`.
    public var pattern: String {
        switch self {
        case .iso: return "YYYY-MM-DD"
        case .dayMonthYear: return "DD/MM/YYYY"
        case .yearMonth: return "YYYY-MM"
        }
    }

    /// The date in `text` (trimmed), or nil when it is not written this way.
    public func parse(_ text: String) -> CalendarDate? {
        let trimmed = text.trimmingWhitespaceFast()
        switch self {
        case .iso:
            // Bytes, not characters: the date is ASCII, and a time may follow after `T` or a space.
            let utf8 = trimmed.utf8
            guard utf8.count > 10 else { return CalendarDate(iso: trimmed) }
            let tenth = utf8.index(utf8.startIndex, offsetBy: 10)
            guard utf8[tenth] == UInt8(ascii: "T") || utf8[tenth] == UInt8(ascii: " ") else { return nil }
            return CalendarDate(iso: trimmed[..<tenth])
        case .dayMonthYear:
            let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 3, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count),
                  parts[2].count == 4, let day = Int(parts[0]), let month = Int(parts[1]),
                  let year = Int(parts[2]) else { return nil }
            return CalendarDate(year: year, month: month, day: day)
        case .yearMonth:
            let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
                  let year = Int(parts[0]), let month = Int(parts[1]) else { return nil }
            return CalendarDate(year: year, month: month, day: 1)
        }
    }
}
