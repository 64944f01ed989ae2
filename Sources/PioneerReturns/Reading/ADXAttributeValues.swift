// ADX attribute values in Pioneer's terms: a decimal as ADX's `xs:decimal` allows it, and a
// start-and-duration period as one of Pioneer's periods.
import Foundation
import PioneerKit

/// ADX's `xs:decimal`: digits with an optional sign and point, no exponent, no NaN or infinity.
enum ADXDecimal {
    static func parse(_ raw: String) -> Double? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        var body = Substring(text)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard !body.isEmpty, body != ".",
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }
}

/// ADX's period, a start date and an ISO 8601 duration, as one of Pioneer's periods.
enum ADXPeriod {
    enum Outcome {
        case success(Period)
        case failure(String)
    }

    /// `2026-04-01/P3M` as a quarter: a financial-year quarter when the reporting period is of
    /// the financial year, a calendar one otherwise (the two share start and length).
    static func parse(_ text: String, within reporting: Period) -> Outcome {
        let halves = text.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
        let shape = "is not a start date and an ISO 8601 duration such as `2026-04-01/P1M`"
        guard halves.count == 2, let start = CalendarDate(iso: halves[0]), halves[0].count == 10 else {
            return .failure(shape)
        }
        let financial = reporting.type == .financialQuarter || reporting.type == .financialYear
        let type: PeriodType
        switch halves[1] {
        case "P1M": type = .month
        case "P3M": type = financial ? .financialQuarter : .quarter
        case "P1Y": type = .financialYear
        case "P7D": type = .isoWeek
        default:
            return .failure("has the duration `\(halves[1])`; Pioneer's periods are P1M (a month), P3M (a quarter), P1Y (a financial year) and P7D (an ISO week)")
        }
        let period = Period(containing: start, type: type)
        guard period.start == start else {
            return .failure("does not start a Pioneer period: the \(type.displayName) holding \(start) starts on \(period.start) (\(period.adxLabel))")
        }
        return .success(period)
    }
}
