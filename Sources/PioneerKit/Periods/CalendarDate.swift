// Calendar dates without time or time zone: a period starts on a date, not an instant.
public import Foundation

/// A date on the proleptic Gregorian calendar, with no time of day and no time zone.
///
/// Reporting periods are calendar dates: April 1st is April 1st wherever the
/// tool runs, so nothing here touches `Date` or `TimeZone` except ``today(in:)``.
public struct CalendarDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A validated date; nil for impossible dates such as 2026-02-29.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CalendarDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// A date from parts already known to be valid (period arithmetic); no range check on the year.
    init(validYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `dayNumber` days after 1970-01-01 (negative before it).
    public init(dayNumber: Int) {
        // Howard Hinnant's civil_from_days.
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    /// Parses `YYYY-MM-DD`.
    public init?(iso text: some StringProtocol) {
        // Read from the bytes: plugins read a date from each row of an extract of millions.
        let parts = text.utf8.withContiguousStorageIfAvailable(Self.isoParts) ?? Self.isoParts(Array(text.utf8))
        guard let (y, m, d) = parts else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Year, month and day of exactly `YYYY-MM-DD` in ASCII digits, or nil.
    private static func isoParts(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int, Int)? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        return (year, month, day)
    }

    private static func isoParts(_ bytes: [UInt8]) -> (Int, Int, Int)? {
        bytes.withUnsafeBufferPointer(isoParts)
    }

    /// Days since 1970-01-01.
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// ISO weekday: 1 is Monday, 7 is Sunday.
    public var weekday: Int {
        // 1970-01-01 was a Thursday (4).
        let w = (dayNumber + 3) % 7
        return (w < 0 ? w + 7 : w) + 1
    }

    /// Day of the year, 1-based.
    public var ordinal: Int {
        dayNumber - CalendarDate(validYear: year, month: 1, day: 1).dayNumber + 1
    }

    public func adding(days: Int) -> CalendarDate {
        CalendarDate(dayNumber: dayNumber + days)
    }

    /// Days from `self` to `other` (positive when `other` is later).
    public func days(to other: CalendarDate) -> Int {
        other.dayNumber - dayNumber
    }

    /// Today's date where the machine says it is (or in `timeZone`).
    public static func today(in timeZone: TimeZone = .current) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return CalendarDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
            ?? CalendarDate(dayNumber: 0)
    }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public var description: String {
        // Written out by hand: `String(format:)` goes through Foundation, and a collection
        // prints several dates for every measure it stores.
        var text = ""
        text.reserveCapacity(10)
        Self.appendPadded(year, width: 4, to: &text)
        text.append("-")
        Self.appendPadded(month, width: 2, to: &text)
        text.append("-")
        Self.appendPadded(day, width: 2, to: &text)
        return text
    }

    /// Appends `value` in decimal, zero-padded to `width` digits (a minus sign first when negative).
    package static func appendPadded(_ value: Int, width: Int, to text: inout String) {
        if value < 0 { text.append("-") }
        let digits = String(value.magnitude)
        if digits.count < width { text.append(String(repeating: "0", count: width - digits.count)) }
        text.append(digits)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CalendarDate(iso: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "`\(text)` is not a date in the form YYYY-MM-DD")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
