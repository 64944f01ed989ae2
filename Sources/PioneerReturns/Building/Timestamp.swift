// The one spelling of an instant in a return: ISO 8601 UTC with milliseconds, as the store's
// provenance writes it, so a timestamp reads the same in the store, the return and the CSV.
import Foundation
import PioneerKit

enum Timestamp {
    /// `2026-07-03T09:14:07.512Z`, to the nearest millisecond.
    ///
    /// Counted in whole milliseconds from the reference date, which is what a `Date` holds:
    /// a formatter that truncates turns the `.512` a store read back as .51199997 into `.511`.
    static func text(_ date: Date) -> String {
        let interval = date.timeIntervalSinceReferenceDate
        guard interval.isFinite, abs(interval) < 250_000_000_000 else {
            return Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
        }
        let milliseconds = Int((interval * 1000).rounded()) + 978_307_200_000
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        return CalendarDate(dayNumber: days).description + "T" + pad(secondOfDay / 3600, 2) + ":"
            + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2) + "." + pad(milliseconds - seconds * 1000, 3) + "Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
