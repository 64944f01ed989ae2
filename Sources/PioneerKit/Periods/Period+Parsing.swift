// Reading period labels in the spellings found in the field.

/// Why a period label could not be read.
public struct PeriodParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var reason: String

    public var description: String {
        "`\(text)` is not a period: \(reason)"
    }
}

extension Period {
    /// Parses a period label, inferring its type from the spelling.
    ///
    /// Accepted spellings:
    /// - month: `2026-06`
    /// - calendar quarter: `2026Q3`, `2026-Q3`
    /// - NHS financial-year quarter: `FY2026-27 Q1`, `FY2026/27 Q1`, `2026/27 Q1`
    /// - NHS financial year: `FY2026-27`, `FY2026/27`, `2026/27`, `2026April`
    /// - ISO week: `2026-W12`, `2026W12`
    ///
    /// Years run from 1000 to 9998: beyond them a label or a `{period.year}` has no four digits
    /// (`0000-W01` began in year -1 and was labelled `00-1-W52`).
    public init(parsing raw: String) throws(PeriodParseError) {
        let period = try Period(parsingAnyYear: raw)
        guard period.start.year >= 1000, period.end.year <= 9998 else {
            throw PeriodParseError(text: raw, reason: "its years are outside 1000 to 9998")
        }
        self = period
    }

    private init(parsingAnyYear raw: String) throws(PeriodParseError) {
        let text = raw.trimmingWhitespace()
        func fail(_ reason: String) -> PeriodParseError {
            PeriodParseError(text: raw, reason: reason)
        }
        let upper = text.uppercased()
        guard !upper.isEmpty else {
            throw fail("it is empty; write e.g. `2026-06`, `2026Q3`, `FY2026-27 Q1`, `FY2026-27` or `2026-W12`")
        }

        // Financial year, optionally with a quarter.
        if upper.hasPrefix("FY") || upper.contains("/") || upper.hasSuffix("APRIL") {
            self = try Period.parseFinancial(upper, fail: fail)
            return
        }
        // ISO week.
        if let w = upper.firstIndex(of: "W") {
            var yearPart = upper[..<w]
            if yearPart.hasSuffix("-") { yearPart = yearPart.dropLast() }
            guard yearPart.count == 4, let year = Int(yearPart) else { throw fail("expected a four-digit year before `W`") }
            let weekPart = upper[upper.index(after: w)...]
            guard (1...2).contains(weekPart.count), let week = Int(weekPart) else { throw fail("expected a week number after `W`") }
            guard let period = Period.isoWeek(year, week) else {
                let weeks = Period.weeksIn(isoYear: year)
                throw fail("ISO year \(year) has weeks W01 to W\(weeks)")
            }
            self = period
            return
        }
        // Calendar quarter.
        if let q = upper.firstIndex(of: "Q") {
            var yearPart = upper[..<q]
            if yearPart.hasSuffix("-") || yearPart.hasSuffix(" ") { yearPart = yearPart.dropLast() }
            guard yearPart.count == 4, let year = Int(yearPart) else { throw fail("expected a four-digit year before `Q`") }
            guard let quarter = Int(upper[upper.index(after: q)...]), (1...4).contains(quarter) else {
                throw fail("a quarter is Q1 to Q4")
            }
            self = .quarter(year, quarter)
            return
        }
        // Month.
        let parts = upper.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), parts[1].count == 2, let month = Int(parts[1]) {
            guard (1...12).contains(month) else { throw fail("a month is 01 to 12") }
            self = .month(year, month)
            return
        }
        if parts.count == 3 {
            throw fail("that is a date; periods are months (`2026-06`), quarters (`2026Q3`, `FY2026-27 Q1`), financial years (`FY2026-27`) or ISO weeks (`2026-W12`)")
        }
        throw fail("write e.g. `2026-06`, `2026Q3`, `FY2026-27 Q1`, `FY2026-27` or `2026-W12`")
    }

    /// Parses `text` and checks that it is of `type`.
    public init(parsing text: String, as type: PeriodType) throws(PeriodParseError) {
        let period = try Period(parsing: text)
        guard period.type == type else {
            throw PeriodParseError(text: text, reason: "it is \(period.type.article) \(period.type.displayName), expected \(type.article) \(type.displayName) such as `\(type.exampleLabel)`")
        }
        self = period
    }

    private static func parseFinancial(_ upper: String, fail: (String) -> PeriodParseError) throws(PeriodParseError) -> Period {
        if upper.hasSuffix("APRIL") {
            let yearPart = upper.dropLast(5)
            guard yearPart.count == 4, let year = Int(yearPart) else { throw fail("expected a four-digit year before `April`") }
            return .financialYear(year)
        }
        var body = Substring(upper)
        if body.hasPrefix("FY") { body = body.dropFirst(2) }
        var quarter: Int?
        if let q = body.firstIndex(of: "Q") {
            let quarterPart = body[body.index(after: q)...]
            guard let value = Int(quarterPart), (1...4).contains(value) else {
                throw fail("a financial-year quarter is Q1 (April–June) to Q4 (January–March)")
            }
            quarter = value
            body = body[..<q]
            while body.last == " " || body.last == "-" { body = body.dropLast() }
        }
        let halves = body.split(whereSeparator: { $0 == "-" || $0 == "/" }).map(String.init)
        guard halves.count == 2, halves[0].count == 4, let startYear = Int(halves[0]),
              halves[1].count == 2 || halves[1].count == 4, let endYear = Int(halves[1]) else {
            throw fail("a financial year is written `FY2026-27` (April 2026 to March 2027)")
        }
        let expectedEnd = halves[1].count == 2 ? (startYear + 1) % 100 : startYear + 1
        guard endYear == expectedEnd else {
            throw fail("a financial year runs into the next year, so `\(startYear)` is followed by `\(halves[1].count == 2 ? Period.pad(expectedEnd, 2) : String(expectedEnd))`")
        }
        if let quarter { return .financialQuarter(startYear, quarter) }
        return .financialYear(startYear)
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        trimmingWhitespaceFast()
    }
}
