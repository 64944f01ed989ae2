// Which 95% interval judges a measure: its own when it carries one, Wilson for a
// proportion of whole people, exact Poisson for counts and rates, none for means and money.
import PioneerExtraction
public import PioneerKit

/// The interval a goal's status is decided on, chosen from what the measure carries.
public enum MeasureInterval {
    /// The 95% interval for `observation` of an indicator defined by `definition`, or nil when
    /// the measure carries nothing to build one from (a mean or amount without its own
    /// interval, a proportion without its n): then the point value decides.
    ///
    /// - A measure's own ``Observation/interval`` wins: the plugin knew the design.
    /// - A proportion: Wilson, from numerator and denominator when both are whole numbers,
    ///   else from the value and its sample size.
    /// - A rate: exact Poisson on the numerator, scaled by the indicator's factor over the
    ///   denominator.
    /// - A count: exact Poisson on the value.
    public static func interval(for observation: Observation, definition: IndicatorDefinition) -> ConfidenceInterval? {
        guard let value = observation.value, observation.notAvailable == nil else { return nil }
        if let own = observation.interval { return own }
        switch definition.valueType {
        case .proportion:
            if let numerator = observation.numerator, let denominator = observation.denominator,
               let successes = wholeNumber(numerator), let trials = wholeNumber(denominator) {
                return .wilson(successes: successes, trials: trials)
            }
            if let n = observation.sampleSize, n > 0, (0...1).contains(value) {
                return .wilson(successes: Int((value * Double(n)).rounded()), trials: n)
            }
            return nil
        case .rate:
            guard let numerator = observation.numerator, let denominator = observation.denominator,
                  let factor = definition.factor else { return nil }
            return .exactPoissonRate(count: numerator, denominator: denominator, factor: Double(factor.rawValue))
        case .count:
            return .exactPoisson(count: value)
        case .mean, .amount:
            return nil
        }
    }

    /// A count of people must be whole: a weighted numerator is not a binomial count, and
    /// Wilson on a rounded one would claim a precision the weights do not give.
    private static func wholeNumber(_ number: Double) -> Int? {
        guard number.isFinite, number >= 0, number < Double(Int.max / 2), number == number.rounded() else { return nil }
        return Int(number)
    }
}
