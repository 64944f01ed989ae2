// The `?period=` of the office's routes: a period the programme collects returns for, or by
// default the latest one due (the latest period ended, of the programme's first kind).
import Foundation
import PioneerCore
import PioneerKit

enum PeriodQuery {
    /// The period `text` names, or the latest one due on `today` when it is absent or empty.
    static func resolve(_ text: String?, programme: Programme, today: CalendarDate) throws(IntakeHTTPError) -> Period {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            return latestDue(programme: programme, today: today)
        }
        let period: Period
        do {
            period = try Period(parsing: text)
        } catch {
            throw .badRequest("period: \(error.description)")
        }
        guard programme.expects(period) else {
            let kinds = programme.periods.map(\.displayName).joined(separator: ", ")
            throw .badRequest("period: \(period.label) (\(period.type.displayName)) is not a reporting period of the programme \(programme.id), which collects returns for: \(kinds)")
        }
        return period
    }

    /// The latest period of the programme's first kind that has ended by `today`.
    static func latestDue(programme: Programme, today: CalendarDate) -> Period {
        Period(containing: today, type: programme.periods.first ?? .month).previous
    }

    /// The calendar day of `date` in UTC, the day deadlines are judged on.
    static func day(_ date: Date) -> CalendarDate {
        CalendarDate(dayNumber: Int((date.timeIntervalSince1970 / 86_400).rounded(.down)))
    }
}
