// The choices a funnel plot is drawn with: which overdispersion adjustment, and how
// much of each tail of the z-scores to winsorise before estimating it.

/// How a funnel plot widens its limits when sites vary more than chance alone would make them.
///
/// Both follow Spiegelhalter (2005), "Funnel plots for comparing institutional
/// performance", Statistics in Medicine 24:1185–1202, as FunnelPlotR does:
/// - ``multiplicative``: every site's variance is multiplied by the dispersion ratio
///   φ = Σ z² / I of the winsorised z-scores, so the limits widen by √φ at every size.
/// - ``additive``: a between-site variance τ² (DerSimonian–Laird, from the same φ) is
///   added to every site's, a random-effects model: the limits widen most for the
///   largest sites, whose own sampling variance is smallest.
/// Either is applied only when φ > 1; ``none`` never adjusts.
public enum Overdispersion: String, Sendable, Hashable, Codable, CaseIterable {
    case none
    case multiplicative
    case additive
}

/// The options of a funnel plot.
public struct FunnelOptions: Sendable, Hashable, Codable {
    public var overdispersion: Overdispersion
    /// The share of z-scores pulled in at each end before φ is estimated: 0.1 sets those
    /// below the 10th percentile to it, and those above the 90th to that.
    public var winsorising: Double

    public init(overdispersion: Overdispersion = .additive, winsorising: Double = 0.1) {
        self.overdispersion = overdispersion
        self.winsorising = winsorising
    }
}
