// HTTP dates (RFC 9110 IMF-fixdate) for Last-Modified and If-Modified-Since, without locale or time zone.
import PioneerKit

/// A moment at whole-second resolution in UTC, as HTTP headers write it.
struct HTTPDate: Sendable, Hashable, Comparable {
    var date: CalendarDate
    /// Seconds since midnight UTC.
    var seconds: Int

    private static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    init(date: CalendarDate, seconds: Int) {
        self.date = date
        self.seconds = seconds
    }

    /// Reads `Sun, 06 Nov 1994 08:49:37 GMT`; nil for anything else (the header is then ignored).
    init?(_ text: String) {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]),
              let monthIndex = HTTPDate.months.firstIndex(of: String(parts[2])), let year = Int(parts[3]),
              let date = CalendarDate(year: year, month: monthIndex + 1, day: day) else { return nil }
        let clock = parts[4].split(separator: ":")
        guard clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]),
              (0..<24).contains(hour), (0..<60).contains(minute), (0..<61).contains(second) else { return nil }
        self.init(date: date, seconds: hour * 3600 + minute * 60 + second)
    }

    var text: String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let clock = two(seconds / 3600) + ":" + two(seconds / 60 % 60) + ":" + two(seconds % 60)
        return "\(HTTPDate.weekdays[date.weekday - 1]), \(two(date.day)) \(HTTPDate.months[date.month - 1]) \(date.year) \(clock) GMT"
    }

    static func < (lhs: HTTPDate, rhs: HTTPDate) -> Bool {
        (lhs.date, lhs.seconds) < (rhs.date, rhs.seconds)
    }
}
