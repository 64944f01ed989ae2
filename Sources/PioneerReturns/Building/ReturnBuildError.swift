// Why a return could not be made, in words that say what to do next.
public import PioneerKit
public import PioneerStore

/// A return that could not be made.
public enum ReturnBuildError: Error, Sendable, CustomStringConvertible {
    /// Returns are for months, quarters and financial years.
    case unsupportedPeriod(Period)
    /// The reporting period has not ended on `asOf`.
    case periodNotOver(Period, asOf: CalendarDate)
    /// Required measures are missing and an incomplete return was not allowed.
    case incomplete(site: String, period: Period, missing: [MissingMeasure])
    /// The store could not be read.
    case store(StoreError)
    /// A stored value cannot be written as JSON.
    case encoding(ReturnEncodingError)

    public var description: String {
        switch self {
        case .unsupportedPeriod(let period):
            return "a return is for a month (`2026-03`), a quarter (`2026Q1`, `FY2025-26 Q4`) or a financial year (`FY2025-26`), not \(period.type == .isoWeek ? "an" : "a") \(period.type.displayName) (`\(period.label)`)"
        case .periodNotOver(let period, let asOf):
            return "\(period.label) has not ended yet (it ends \(period.end), today is \(asOf)); a return is for a period that is over"
        case .incomplete(let site, let period, let missing):
            let lines = missing.map { "  \($0.indicator) \($0.period): \($0.reason)" }
            return "the return of \(site) for \(period.label) is incomplete: \(missing.count) required measure\(missing.count == 1 ? " is" : "s are") missing:\n"
                + lines.joined(separator: "\n")
                + "\ncollect them (`pioneer collect`), or pass --allow-incomplete to send the return marked incomplete"
        case .store(let error):
            return "\(error)"
        case .encoding(let error):
            return "\(error)"
        }
    }
}
