// The checks every observation passes before it is stored, whatever plugin made it.
public import PioneerKit
import PioneerCore

/// Sanity checks on an observation, against its indicator's value type.
///
/// A plugin that returns a proportion of 1.4 or a negative count has misread its
/// feed; storing the value would carry the mistake into every return. The engine
/// rejects such an observation and reports the indicator-period as failed with
/// these messages.
public enum ObservationCheck {
    /// Every problem with `observation` for `indicator`, in plain English; empty when it is sound.
    public static func problems(_ observation: Observation, for indicator: IndicatorDefinition) -> [String] {
        var problems: [String] = []
        switch (observation.value, observation.notAvailable) {
        case (nil, nil):
            problems.append("the plugin returned neither a value nor a reason it is not available")
        case (.some, .some(let missing)):
            problems.append("the plugin returned both a value and \"not available\" (\(missing))")
        default:
            break
        }
        if let value = observation.value {
            if !value.isFinite {
                problems.append("value \(show(value)) is not a finite number")
            } else {
                switch indicator.valueType {
                case .proportion where !(0...1).contains(value):
                    problems.append("proportion \(show(value)) is outside 0 to 1 (a proportion is a share: 0.25 for 25%)")
                case .count where value < 0, .rate where value < 0:
                    problems.append("\(indicator.valueType.rawValue) \(show(value)) is negative")
                default:
                    break
                }
            }
        }
        // The numerator of an amount or a mean may be negative (a net refund); a count's may not.
        let signed: Set<ValueType> = [.amount, .mean]
        for (name, part) in [("numerator", observation.numerator), ("denominator", observation.denominator)] {
            guard let part else { continue }
            if !part.isFinite {
                problems.append("\(name) \(show(part)) is not a finite number")
            } else if part < 0, name == "denominator" || !signed.contains(indicator.valueType) {
                problems.append("\(name) \(show(part)) is negative")
            }
        }
        if indicator.valueType == .proportion, let numerator = observation.numerator, let denominator = observation.denominator,
           numerator.isFinite, denominator.isFinite, numerator > denominator {
            problems.append("numerator \(show(numerator)) is larger than denominator \(show(denominator)) in a proportion")
        }
        // The parts are kept so the programme office can pool sites: a value that is not its
        // parts' ratio would pool as one figure and read as another. The rule is the intake's.
        if indicator.valueType == .proportion, let value = observation.value, let numerator = observation.numerator,
           let denominator = observation.denominator, value.isFinite, numerator.isFinite, denominator.isFinite,
           numerator >= 0, numerator <= denominator {
            if denominator == 0 {
                problems.append("proportion \(show(value)) has a denominator of 0: with nothing to divide by, answer \"not available\" instead")
            } else if !ProportionParts.agree(value: value, numerator: numerator, denominator: denominator) {
                problems.append("proportion \(show(value)) is not its numerator over its denominator (\(show(numerator)) / \(show(denominator)) = \(show((numerator / denominator * 1e6).rounded() / 1e6)))")
            }
        }
        if indicator.valueType == .rate, let value = observation.value, let numerator = observation.numerator,
           let denominator = observation.denominator, value.isFinite, numerator.isFinite, denominator.isFinite,
           numerator >= 0, denominator > 0, value >= 0 {
            let factor = Double(indicator.factor?.rawValue ?? 1)
            if !RateParts.agree(value: value, numerator: numerator, denominator: denominator, factor: factor) {
                let expected = numerator / denominator * factor
                problems.append("rate \(show(value)) is not its numerator over its denominator times \(show(factor)) (\(show(numerator)) / \(show(denominator)) × \(show(factor)) = \(show((expected * 1e6).rounded() / 1e6)))")
            }
        }
        // An average (a mean, or an amount given with its parts: a cost per patient) is pooled
        // nationally from its parts, so its value must be their quotient; and a rate's or an
        // average's value cannot stand over nothing.
        if indicator.valueType == .mean || indicator.valueType == .amount, let value = observation.value,
           let numerator = observation.numerator, let denominator = observation.denominator,
           value.isFinite, numerator.isFinite, denominator.isFinite, denominator > 0,
           !AverageParts.agree(value: value, numerator: numerator, denominator: denominator) {
            problems.append("\(indicator.valueType.rawValue) \(show(value)) is not its numerator over its denominator (\(show(numerator)) / \(show(denominator)) = \(show((numerator / denominator * 1e6).rounded() / 1e6)))")
        }
        if indicator.valueType != .proportion, indicator.valueType != .count, let value = observation.value,
           observation.denominator == 0 {
            problems.append("\(indicator.valueType.rawValue) \(show(value)) has a denominator of 0: with nothing to divide by, answer \"not available\" instead")
        }
        if let sampleSize = observation.sampleSize, sampleSize < 0 {
            problems.append("sample size \(sampleSize) is negative")
        }
        if let interval = observation.interval {
            if !interval.lower.isFinite || !interval.upper.isFinite {
                problems.append("the confidence interval \(show(interval.lower)) to \(show(interval.upper)) is not finite")
            } else if interval.lower > interval.upper {
                problems.append("the confidence interval's lower bound \(show(interval.lower)) is above its upper bound \(show(interval.upper))")
            }
            if interval.lower.isFinite, interval.upper.isFinite, interval.lower <= interval.upper {
                if indicator.valueType == .proportion, interval.lower < 0 || interval.upper > 1 {
                    problems.append("the confidence interval \(show(interval.lower)) to \(show(interval.upper)) of a proportion is outside 0 to 1")
                }
                // A point estimate lies inside its own interval; one outside was read from the wrong field or scale.
                if let value = observation.value, value.isFinite {
                    let slack = 1e-9 * max(1, abs(value))
                    if value < interval.lower - slack || value > interval.upper + slack {
                        problems.append("value \(show(value)) lies outside its own confidence interval \(show(interval.lower)) to \(show(interval.upper))")
                    }
                }
            }
            if !(interval.level > 0 && interval.level < 1) {
                problems.append("the confidence level \(show(interval.level)) is not between 0 and 1 (0.95 for 95%)")
            }
        }
        return problems
    }

    /// A number as a person would write it: `1.4`, `12`, `-3`.
    static func show(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "infinity" : "-infinity") }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}
