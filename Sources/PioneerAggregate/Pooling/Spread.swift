// How far apart the sites are: the range and the interquartile range of their values.

/// The spread of the sites' values for one indicator: minimum, quartiles, maximum.
///
/// Quartiles are R's default (type 7) quantiles, as `quantile()` and pandas give them.
public struct Spread: Sendable, Hashable, Codable {
    public var minimum: Double
    public var lowerQuartile: Double
    public var median: Double
    public var upperQuartile: Double
    public var maximum: Double

    public var interquartileRange: Double { upperQuartile - lowerQuartile }

    /// The spread of `values`, or nil for none.
    public init?(_ values: [Double]) {
        let sorted = values.filter(\.isFinite).sorted()
        guard let first = sorted.first, let last = sorted.last,
              let q1 = Quantile.sorted(sorted, 0.25), let q2 = Quantile.sorted(sorted, 0.5),
              let q3 = Quantile.sorted(sorted, 0.75) else { return nil }
        minimum = first
        lowerQuartile = q1
        median = q2
        upperQuartile = q3
        maximum = last
    }
}
