// The rules a return's values must keep before they go into national totals: a value
// that breaks one is a mistake at the site, and one bad figure would skew the pool.
import Foundation
public import PioneerReturns
import PioneerCore
import PioneerKit

/// Checks the measures of a return against the rules their value types set.
///
/// - An indicator is listed once, with one measure a period (twice would pool it twice).
/// - A proportion's value lies between 0 and 1, its numerator is not above its denominator,
///   and its value is its numerator over its denominator (``ProportionParts``); a rate's value is
///   its numerator over its denominator times its factor (``RateParts``).
/// - Nothing is negative: counts, numerators, denominators, sample sizes.
/// - No value, numerator or denominator is beyond ±10^100, and no denominator lies between 0
///   and 10^-6: the sums and ratios of the sites' figures stay finite (a value of 10^308 summed
///   to infinity, and a denominator of 10^-308 divided to it).
/// - An indicator's definition fields hash to its `definitionVersion` (values are pooled by
///   version, so a definition edited after the return was made, and the digest made again,
///   must not be pooled with the real one), and a factor is above 0.
/// - Every period, the return's and each measure's, is written as pioneer writes it: its label
///   names a period of its `type`, running from its `start` to its `end`; and each measure's
///   period lies inside the return's (a quarter's return carries its months, never the month
///   before). The aggregate matches measures by label or by days, so a measure for another
///   period would be left out, or counted for the days it claims rather than the label it shows.
/// - An average (a `mean`, or an `amount` given with its parts) is its numerator over its
///   denominator (``AverageParts``), and no value stands over a denominator of 0.
/// A rate's numerator may exceed its denominator (4 GP visits a person a year is 4,000 per
/// 1,000), so that rule is for proportions only.
public enum ValueRules {
    /// The largest magnitude a value, numerator or denominator may have.
    static let largest = 1e100
    /// The smallest denominator above 0.
    static let smallestDenominator = 1e-6

    /// Every rule broken in `siteReturn`, as sentences naming the indicator and period.
    static func problems(in siteReturn: SiteReturn) -> [String] {
        var problems: [String] = []
        var indicators: Set<String> = []
        let reporting = siteReturn.period
        let reportingProblem = Self.problem(with: reporting)
        var subPeriods: [ReturnPeriod: String?] = [:]
        if let reportingProblem {
            problems.append("the return's period \(reportingProblem)")
        }
        for indicator in siteReturn.indicators {
            guard indicators.insert(indicator.id).inserted else {
                problems.append("indicator `\(indicator.id)` is listed twice")
                continue
            }
            let computed = indicator.computedDefinitionVersion
            if computed != indicator.definitionVersion {
                problems.append("`\(indicator.id)`'s definition does not match its definitionVersion \(indicator.definitionVersion) "
                                + "(its fields hash to \(computed)): it was changed after the return was made")
            }
            if let factor = indicator.factor, factor <= 0 {
                problems.append("`\(indicator.id)` has a factor of \(factor); a factor is a whole number above 0 (1000 for per 1,000)")
            }
            var periods: Set<String> = []
            for measure in indicator.measures where !periods.insert(measure.period.label).inserted {
                problems.append("`\(indicator.id)` has two measures for \(measure.period.label)")
            }
            for measure in indicator.measures where measure.period != reporting {
                // Every indicator of a quarter's return carries the same three months: each is read once.
                let problem: String?
                if let known = subPeriods[measure.period] {
                    problem = known
                } else {
                    problem = Self.problem(with: measure.period)
                    subPeriods[measure.period] = .some(problem)
                }
                if let problem {
                    problems.append("`\(indicator.id)` has a measure whose period \(problem)")
                } else if reportingProblem == nil, measure.period.start < reporting.start || measure.period.end > reporting.end {
                    // Dates written `YYYY-MM-DD`, checked above, order as text.
                    problems.append("`\(indicator.id)` has a measure for \(measure.period.label) (\(measure.period.start) to \(measure.period.end)), "
                                    + "outside the return's period \(reporting.label) (\(reporting.start) to \(reporting.end)): "
                                    + "a return carries the measures of its period and of the shorter periods inside it")
                }
            }
        }
        for indicator in siteReturn.indicators {
            for measure in indicator.measures { problems += Self.problems(of: measure, in: indicator) }
        }
        return problems
    }

    /// Every rule one measure of `indicator` breaks, as sentences naming the indicator and period.
    public static func problems(of measure: ReturnMeasure, in indicator: ReturnIndicator) -> [String] {
        // Every value of every submission is checked, and nearly all keep every rule: the
        // sentences are only written for a rule broken.
        var problems: [String] = []
        func at() -> String { "`\(indicator.id)` for \(measure.period.label)" }
        for (name, number) in [("value", measure.value), ("numerator", measure.numerator), ("denominator", measure.denominator)] {
            guard let number else { continue }
            if !number.isFinite { return ["\(at()) has a \(name) that is not a number"] }
            if abs(number) > largest {
                problems.append("\(at()) has a \(name) of \(Self.plain(number)), beyond ±1e100")
            }
        }
        if let denominator = measure.denominator, denominator > 0, denominator < smallestDenominator {
            problems.append("\(at()) has a denominator of \(Self.plain(denominator)), too small to divide by")
        }
        guard problems.isEmpty else { return problems }
        if indicator.valueType == "proportion", let value = measure.value, value < 0 || value > 1 {
            problems.append("\(at()) is a proportion of \(Self.plain(value)), outside 0 to 1")
        }
        if indicator.valueType == "proportion", let numerator = measure.numerator,
           let denominator = measure.denominator, numerator > denominator {
            problems.append("\(at()) has a numerator (\(Self.plain(numerator))) above its denominator (\(Self.plain(denominator)))")
        }
        if indicator.valueType == "proportion", let value = measure.value, let numerator = measure.numerator,
           let denominator = measure.denominator, denominator > 0, numerator <= denominator, value >= 0, value <= 1,
           !ProportionParts.agree(value: value, numerator: numerator, denominator: denominator) {
            let parts = numerator / denominator
            problems.append("\(at()) has a value of \(Self.plain(value)) that is not its numerator over its denominator (\(Self.plain(numerator)) / \(Self.plain(denominator)) = \(String(format: "%.4g", parts)))")
        }
        if indicator.valueType == "rate", let value = measure.value, let numerator = measure.numerator,
           let denominator = measure.denominator, denominator > 0, numerator >= 0, value >= 0,
           !RateParts.agree(value: value, numerator: numerator, denominator: denominator, factor: Double(indicator.factor ?? 1)) {
            let parts = numerator / denominator * Double(indicator.factor ?? 1)
            problems.append("\(at()) has a value of \(Self.plain(value)) that is not its numerator over its denominator times its factor (\(Self.plain(numerator)) / \(Self.plain(denominator)) × \(indicator.factor ?? 1) = \(String(format: "%.4g", parts)))")
        }
        if indicator.valueType == "mean" || indicator.valueType == "amount", let value = measure.value,
           let numerator = measure.numerator, let denominator = measure.denominator, denominator > 0,
           !AverageParts.agree(value: value, numerator: numerator, denominator: denominator) {
            problems.append("\(at()) has a value of \(Self.plain(value)) that is not its numerator over its denominator "
                            + "(\(Self.plain(numerator)) / \(Self.plain(denominator)) = \(String(format: "%.6g", numerator / denominator))): "
                            + "an average is pooled from its parts, so the two must agree")
        }
        if let value = measure.value, let denominator = measure.denominator, denominator == 0, indicator.valueType != "count" {
            problems.append("\(at()) has a value of \(Self.plain(value)) over a denominator of 0: nothing divided by 0 has no value; "
                            + "give the measure as not available")
        }
        if let value = measure.value, value < 0, indicator.valueType == "count" || indicator.valueType == "rate" || indicator.valueType == "proportion" {
            problems.append("\(at()) is a negative \(indicator.valueType) (\(Self.plain(value)))")
        }
        if let numerator = measure.numerator, numerator < 0 {
            problems.append("\(at()) has a negative numerator (\(Self.plain(numerator)))")
        }
        if let denominator = measure.denominator, denominator < 0 {
            problems.append("\(at()) has a negative denominator (\(Self.plain(denominator)))")
        }
        if let size = measure.sampleSize, size < 0 {
            problems.append("\(at()) has a negative sample size (\(size))")
        }
        return problems
    }

    /// What is wrong with `period` as written, as the end of a sentence (`` `2026-13` is not a
    /// period pioneer knows: … ``); nil when its label, type, start and end agree.
    public static func problem(with period: ReturnPeriod) -> String? {
        let parsed: Period
        do {
            parsed = try Period(parsing: period.label)
        } catch {
            return "`\(period.label)` is not a period pioneer knows (\(error.reason))"
        }
        if parsed.label != period.label {
            return "is written `\(period.label)`; pioneer writes that period `\(parsed.label)`"
        }
        if parsed.type.rawValue != period.type {
            return "`\(period.label)` is \(parsed.type.article) \(parsed.type.displayName), but its type says `\(period.type)`"
        }
        let start = parsed.start.description, end = parsed.end.description
        if start != period.start || end != period.end {
            return "`\(period.label)` says it runs from \(period.start) to \(period.end); \(period.label) runs from \(start) to \(end)"
        }
        return nil
    }

    /// A number as people write it: `12`, `0.35`.
    static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
