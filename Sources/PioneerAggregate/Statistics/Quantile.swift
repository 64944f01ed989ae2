// Sample quantiles as R's default (type 7) computes them, so the spread and the
// winsorising limits match what an analyst gets from `quantile()` in R or pandas.

enum Quantile {
    /// The `p` quantile of `values` by linear interpolation between order statistics
    /// (Hyndman & Fan type 7): h = (n − 1)p, x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).
    /// Nil for no values.
    static func of(_ values: [Double], _ p: Double) -> Double? {
        sorted(values.sorted(), p)
    }

    /// The same over values already sorted ascending, for several quantiles of one sample.
    static func sorted(_ sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let h = Double(sorted.count - 1) * min(max(p, 0), 1)
        let low = Int(h.rounded(.down))
        let high = min(low + 1, sorted.count - 1)
        return sorted[low] + (h - Double(low)) * (sorted[high] - sorted[low])
    }
}
