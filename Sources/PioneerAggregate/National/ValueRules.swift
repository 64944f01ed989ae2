// The rules a return's values must keep before they go into national totals: a value
// that breaks one is a mistake at the site, and one bad figure would skew the pool.
public import PioneerReturns

/// Checks the measures of a return against the rules their value types set.
///
/// - A proportion's value lies between 0 and 1, and its numerator is not above its denominator.
/// - Nothing is negative: counts, numerators, denominators, sample sizes.
/// A rate's numerator may exceed its denominator (4 GP visits a person a year is 4,000 per
/// 1,000), so that rule is for proportions only.
public enum ValueRules {
    /// Every rule broken in `siteReturn`, as sentences naming the indicator and period.
    static func problems(in siteReturn: SiteReturn) -> [String] {
        siteReturn.indicators.flatMap { indicator in
            indicator.measures.flatMap { problems(of: $0, in: indicator) }
        }
    }

    /// Every rule one measure of `indicator` breaks, as sentences naming the indicator and period.
    public static func problems(of measure: ReturnMeasure, in indicator: ReturnIndicator) -> [String] {
        // Every value of every submission is checked, and nearly all keep every rule: the
        // sentences are only written for a rule broken.
        var problems: [String] = []
        func at() -> String { "`\(indicator.id)` for \(measure.period.label)" }
        if let value = measure.value, !value.isFinite {
            return ["\(at()) has a value that is not a number"]
        }
        if indicator.valueType == "proportion", let value = measure.value, value < 0 || value > 1 {
            problems.append("\(at()) is a proportion of \(Self.plain(value)), outside 0 to 1")
        }
        if indicator.valueType == "proportion", let numerator = measure.numerator,
           let denominator = measure.denominator, numerator > denominator {
            problems.append("\(at()) has a numerator (\(Self.plain(numerator))) above its denominator (\(Self.plain(denominator)))")
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

    /// A number as people write it: `12`, `0.35`.
    static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
