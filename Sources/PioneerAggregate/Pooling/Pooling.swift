// Pooling the sites' figures into a national value, by the rule each value type needs.
public import PioneerKit
import PioneerCore

/// Pools sites' figures for one indicator and period.
///
/// Proportions, rates and means are ratios: the national value is Σ numerators ÷
/// Σ denominators (× the factor of a rate), which weights each site by its size. The
/// mean of the sites' rates would weight a site of 2,000 people like one of 200,000, so
/// it is never used. Counts and amounts are totals, except an amount that is an average (a
/// cost per patient, given as its total over its patients): that is a ratio too, since a sum
/// of the sites' averages is no figure at all.
public enum Pooling {
    public static func method(for valueType: ValueType) -> PoolingMethod {
        switch valueType {
        case .proportion, .rate, .mean: return .ratioOfSums
        case .count, .amount: return .total
        }
    }

    /// The pooled value of `figures`, an indicator of `valueType` with `factor` (rates only).
    public static func pool(_ figures: [SiteFigure], valueType: ValueType, factor: Int? = nil) -> PooledValue {
        let scale = valueType == .rate ? Double(factor ?? 1) : 1
        let values = figures.compactMap { siteValue($0, scale: scale) }
        let spread = Spread(values)
        switch method(for: valueType) {
        case .ratioOfSums:
            return ratioOfSums(figures, scale: scale, valueType: valueType, spread: spread)
        case .total:
            if valueType == .amount, isAverage(figures) {
                return ratioOfSums(figures, scale: 1, valueType: valueType, spread: spread)
            }
            return total(figures, spread: spread)
        }
    }

    /// Whether an amount's figures are averages: some site gives its numerator and
    /// denominator, and every site that does gives their quotient as its value (to the penny).
    static func isAverage(_ figures: [SiteFigure]) -> Bool {
        var anyParts = false
        for figure in figures {
            guard let parts = figure.parts, let value = figure.value else { continue }
            guard AverageParts.agree(value: value, numerator: parts.numerator, denominator: parts.denominator) else { return false }
            anyParts = true
        }
        return anyParts
    }

    /// A site's value on the indicator's scale: as reported, or from its parts when it gives no value.
    static func siteValue(_ figure: SiteFigure, scale: Double) -> Double? {
        if let value = figure.value, value.isFinite { return value }
        guard let parts = figure.parts else { return nil }
        return parts.numerator / parts.denominator * scale
    }

    private static func ratioOfSums(_ figures: [SiteFigure], scale: Double, valueType: ValueType, spread: Spread?) -> PooledValue {
        var numerator = 0.0, denominator = 0.0
        var sites: [String] = []
        var leftOut: [LeftOutSite] = []
        for figure in figures {
            guard let parts = figure.parts else {
                let reason = figure.denominator == 0
                    ? "its denominator is 0"
                    : valueType == .amount
                    ? "it gives no numerator and denominator, and this amount is an average (the other sites give its parts), pooled from its parts, not its value"
                    : "it gives no numerator and denominator, and a \(valueType.rawValue) is pooled from its parts, not its value"
                leftOut.append(LeftOutSite(site: figure.site, reason: reason))
                continue
            }
            numerator += parts.numerator
            denominator += parts.denominator
            sites.append(figure.site)
        }
        let value = denominator > 0 ? numerator / denominator * scale : nil
        return PooledValue(
            method: .ratioOfSums, value: value,
            numerator: sites.isEmpty ? nil : numerator, denominator: sites.isEmpty ? nil : denominator,
            sites: sites, leftOut: leftOut, spread: spread)
    }

    private static func total(_ figures: [SiteFigure], spread: Spread?) -> PooledValue {
        var sum = 0.0
        var sites: [String] = []
        var leftOut: [LeftOutSite] = []
        for figure in figures {
            guard let value = figure.value, value.isFinite else {
                leftOut.append(LeftOutSite(site: figure.site, reason: "it gives no value"))
                continue
            }
            sum += value
            sites.append(figure.site)
        }
        return PooledValue(
            method: .total, value: sites.isEmpty ? nil : sum, numerator: nil, denominator: nil,
            sites: sites, leftOut: leftOut, spread: spread)
    }
}
