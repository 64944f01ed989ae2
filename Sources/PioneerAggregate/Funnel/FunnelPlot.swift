// A funnel plot for one indicator and period: the pooled centre, limits by denominator,
// the overdispersion estimate, and each site's position. Sites outside are named, never ranked.

/// Why a funnel plot could not be drawn for an indicator.
public struct FunnelUnavailable: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}

/// One site on a funnel plot.
public struct FunnelPoint: Sendable, Hashable, Codable {
    public var site: String
    public var denominator: Double
    /// The site's value on the indicator's scale (a proportion 0–1, a rate per its factor).
    public var value: Double
    /// (value − centre) ÷ the site's standard error under the model, before any adjustment.
    public var zScore: Double
    /// The limits at this site's denominator, adjusted when the plot is.
    public var limits: FunnelLimits
    public var position: FunnelPosition
}

/// A funnel plot: the pooled value as its centre line and 95% / 99.8% limits that narrow
/// as the denominator grows.
///
/// Built from each site's numerator and denominator (``SiteFigure``), as Spiegelhalter
/// (2005) and FunnelPlotR do: z-scores against the pooled value, winsorised, give the
/// dispersion ratio φ = Σ z²/I; when φ > 1 and an adjustment is chosen, the limits widen
/// by φ (multiplicative) or by a between-site variance τ² (additive random effects,
/// DerSimonian–Laird): τ² = (Iφ − (I − 1)) / (Σ wᵢ − Σ wᵢ² / Σ wᵢ), wᵢ = 1/sᵢ².
public struct FunnelPlot: Sendable, Hashable, Codable {
    public var distribution: FunnelDistribution
    /// The pooled value per unit (Σ numerators ÷ Σ denominators, before the factor).
    public var centre: Double
    /// The factor values are shown on: 1 for a proportion, 1,000 for a rate per 1,000.
    public var scale: Double
    public var options: FunnelOptions
    /// The dispersion ratio of the winsorised z-scores.
    public var phi: Double
    /// The additive between-site variance, per unit squared; 0 when φ ≤ (I − 1)/I.
    public var tau2: Double
    /// Whether the limits are widened: an adjustment chosen and φ > 1.
    public var isAdjusted: Bool
    /// The sites in the order given.
    public var points: [FunnelPoint]
    /// Sites without a usable numerator and denominator, left off the plot.
    public var leftOut: [LeftOutSite]

    /// The centre line on the indicator's scale.
    public var pooledValue: Double { centre * scale }

    /// The sites outside the 95% limits, in the order given: named, not ranked.
    public var outside: [FunnelPoint] { points.filter(\.position.isOutside) }

    static let z95 = 1.959963984540054
    static let z998 = 3.090232306167813

    /// Draws a funnel plot of `figures`, whose values are on a scale of `scale` (an
    /// indicator's factor for a rate, 1 for a proportion).
    ///
    /// - Throws: ``FunnelUnavailable`` when fewer than two sites give a numerator and a
    ///   denominator, or the pooled value leaves no sampling variation (a proportion of 0
    ///   or 1, a rate of 0).
    public init(_ figures: [SiteFigure], distribution: FunnelDistribution, scale: Double = 1,
                options: FunnelOptions = FunnelOptions()) throws(FunnelUnavailable) {
        var usable: [(site: String, numerator: Double, denominator: Double)] = []
        var leftOut: [LeftOutSite] = []
        for figure in figures {
            if let parts = figure.parts {
                usable.append((figure.site, parts.numerator, parts.denominator))
            } else {
                leftOut.append(LeftOutSite(site: figure.site, reason: "it gives no numerator with a denominator above 0"))
            }
        }
        guard usable.count >= 2 else {
            throw FunnelUnavailable(reason: "a funnel plot needs at least two sites with a numerator and a denominator; \(usable.count) gave them")
        }
        let centre = usable.reduce(0) { $0 + $1.numerator } / usable.reduce(0) { $0 + $1.denominator }
        let unitVariance = distribution.unitVariance(at: centre)
        guard unitVariance > 0, unitVariance.isFinite else {
            let shown = centre * scale
            throw FunnelUnavailable(reason: "the pooled value is \(shown == shown.rounded() ? String(Int(shown)) : String(shown)), which leaves no variation to draw limits from")
        }

        let variances = usable.map { unitVariance / $0.denominator }
        let zScores = zip(usable, variances).map { site, variance in
            (site.numerator / site.denominator - centre) / variance.squareRoot()
        }
        let estimate = Self.dispersion(zScores: zScores, variances: variances, winsorising: options.winsorising)

        self.distribution = distribution
        self.centre = centre
        self.scale = scale
        self.options = options
        self.phi = estimate.phi
        self.tau2 = estimate.tau2
        self.isAdjusted = options.overdispersion != .none && estimate.phi > 1
        self.leftOut = leftOut
        self.points = []
        self.points = zip(usable, zScores).map { site, z in
            let limits = limits(at: site.denominator)
            let value = site.numerator / site.denominator * scale
            return FunnelPoint(site: site.site, denominator: site.denominator, value: value, zScore: z,
                               limits: limits, position: limits.position(of: value))
        }
    }

    /// The limits at `denominator`, adjusted for overdispersion when the plot is.
    public func limits(at denominator: Double) -> FunnelLimits {
        var variance = distribution.unitVariance(at: centre) / denominator
        if isAdjusted {
            switch options.overdispersion {
            case .none: break
            case .multiplicative: variance *= phi
            case .additive: variance += tau2
            }
        }
        let spread = variance.squareRoot()
        return FunnelLimits(
            lower95: bounded(centre - Self.z95 * spread), upper95: bounded(centre + Self.z95 * spread),
            lower998: bounded(centre - Self.z998 * spread), upper998: bounded(centre + Self.z998 * spread))
    }

    /// A limit on the indicator's scale, kept to the values the measure can take.
    private func bounded(_ perUnit: Double) -> Double {
        switch distribution {
        case .binomial: return min(max(perUnit, 0), 1) * scale
        case .poisson: return max(perUnit, 0) * scale
        }
    }

    /// φ from the winsorised z-scores and the DerSimonian–Laird τ² from φ (FunnelPlotR's
    /// `winsorisation`, `phi_func` and `tau_func`).
    static func dispersion(zScores: [Double], variances: [Double], winsorising: Double) -> (phi: Double, tau2: Double) {
        let sorted = zScores.sorted()
        let count = Double(zScores.count)
        guard let low = Quantile.sorted(sorted, winsorising), let high = Quantile.sorted(sorted, 1 - winsorising) else {
            return (0, 0)
        }
        let phi = zScores.reduce(0) { sum, z in
            let kept = min(max(z, low), high)
            return sum + kept * kept
        } / count
        guard count * phi > count - 1 else { return (phi, 0) }
        let weights = variances.map { 1 / $0 }
        let sumWeights = weights.reduce(0, +)
        let sumSquares = weights.reduce(0) { $0 + $1 * $1 }
        let tau2 = max(0, (count * phi - (count - 1)) / (sumWeights - sumSquares / sumWeights))
        return (phi, tau2)
    }
}
