// When a return was made (`generatedAt`, or an ADX return's `exported`), read strictly: a
// timestamp that names no real moment is refused, not rolled over into another day.
import PioneerKit

/// A return's timestamp as a moment: `2026-04-10T09:00:00.000Z`, `2026-04-30T23:30:00-02:00`,
/// `2026-04-10T09:00:00` (no offset: UTC) or a bare `2026-04-10` (its midnight, UTC).
///
/// Foundation's ISO 8601 parser takes `2026-04-31` as 1 May, `T25:00` as the next day and an
/// offset of `+25:00`, and dates before 1582 in the Julian calendar: a deadline could be judged
/// on a day the site never wrote. Here each part is checked against its range, and the day
/// is counted in the same proleptic Gregorian calendar that periods use.
struct ReturnTimestamp: Comparable, Sendable {
    /// Seconds since 1970-01-01T00:00:00Z.
    let seconds: Double

    /// The day it falls on in UTC.
    var utcDay: CalendarDate { CalendarDate(dayNumber: Int((seconds / 86_400).rounded(.down))) }

    static func < (lhs: ReturnTimestamp, rhs: ReturnTimestamp) -> Bool { lhs.seconds < rhs.seconds }

    /// Nil unless `text` is a date, or a date and time with an optional offset, whose every
    /// part is in range (months 1–12, the month's days, hours 0–23, minutes 0–59, seconds 0–60
    /// for a leap second, offsets to ±14:00 as the world's time zones go).
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + count] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            index += count
            return value
        }
        func take(_ character: Character) -> Bool {
            guard index < bytes.count, bytes[index] == character.asciiValue else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), take("-"), let month = digits(2), take("-"), let day = digits(2),
              let date = CalendarDate(year: year, month: month, day: day) else { return nil }
        var seconds = Double(date.dayNumber) * 86_400
        guard index < bytes.count else {
            self.seconds = seconds
            return
        }
        guard take("T") || take("t"), let hour = digits(2), hour <= 23, take(":"), let minute = digits(2), minute <= 59,
              take(":"), let second = digits(2), second <= 60 else { return nil }
        seconds += Double(hour * 3600 + minute * 60 + second)
        if take(".") {
            var scale = 0.1, fraction = 0.0, count = 0
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                fraction += Double(bytes[index] - UInt8(ascii: "0")) * scale
                scale /= 10
                index += 1
                count += 1
            }
            guard count > 0 else { return nil }
            seconds += fraction
        }
        if take("Z") || take("z") {
            // UTC.
        } else if index < bytes.count {
            let sign: Double
            if take("+") { sign = 1 } else if take("-") { sign = -1 } else { return nil }
            guard let hours = digits(2), take(":"), let minutes = digits(2), minutes <= 59,
                  hours * 60 + minutes <= 14 * 60 else { return nil }
            seconds -= sign * Double(hours * 3600 + minutes * 60)
        }
        guard index == bytes.count else { return nil }
        self.seconds = seconds
    }
}
