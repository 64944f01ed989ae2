// The one spelling of an instant in the intake: ISO 8601 UTC with milliseconds, as returns
// and the measure store write them, so received dates sort as text and read the same everywhere.
public import Foundation
public import PioneerKit

/// Instants as the intake writes them, and the UTC day of one.
public enum IntakeTime {
    /// `2026-04-20T09:14:07.512Z`.
    public static func text(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }

    /// The UTC calendar day of `date`: what the server's clock says for deadlines.
    public static func day(_ date: Date) -> CalendarDate {
        CalendarDate(dayNumber: Int((date.timeIntervalSince1970 / 86_400).rounded(.down)))
    }

    /// The UTC day of an instant written by ``text(_:)``.
    public static func day(ofText text: String) -> CalendarDate? {
        CalendarDate(iso: text.prefix(10))
    }
}
