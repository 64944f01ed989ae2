// The sampling model behind a funnel plot's limits, by the indicator's value type.
public import PioneerKit

/// The sampling distribution a funnel's limits assume for one site's figure.
///
/// Limits use the normal approximation to each, on the natural scale (Spiegelhalter
/// 2005, §2.2 and Appendix A): θ₀ ± z·√(V(θ₀)/n) for a site of denominator n.
public enum FunnelDistribution: String, Sendable, Hashable, Codable {
    /// A proportion r/n of n people: V(p₀) = p₀(1 − p₀).
    case binomial
    /// A rate r/n of events per person over a population n: V(θ₀) = θ₀.
    case poisson

    /// The distribution for `valueType`, or nil when a funnel plot does not apply
    /// (counts, means and amounts have no denominator to compare by).
    public init?(_ valueType: ValueType) {
        switch valueType {
        case .proportion: self = .binomial
        case .rate: self = .poisson
        case .count, .mean, .amount: return nil
        }
    }

    /// The variance of one unit's contribution at the pooled value `centre` (per unit, unscaled).
    func unitVariance(at centre: Double) -> Double {
        switch self {
        case .binomial: return centre * (1 - centre)
        case .poisson: return centre
        }
    }
}
