// Maps values to chart coordinates and chooses round-numbered ticks (1, 2 or 5 × 10^k), so an
// axis reads 10, 15, 20 rather than 9.73, 14.6, 19.47.

/// A linear map from a value range onto a pixel range.
struct ChartScale {
    var domain: ClosedRange<Double>
    var range: ClosedRange<Double>
    /// Screen y grows downwards: a y scale maps the lowest value to the bottom.
    var inverted: Bool

    func position(_ value: Double) -> Double {
        let span = domain.upperBound - domain.lowerBound
        let fraction = span == 0 ? 0.5 : (value - domain.lowerBound) / span
        let pixels = range.upperBound - range.lowerBound
        return inverted ? range.upperBound - fraction * pixels : range.lowerBound + fraction * pixels
    }

    /// A value domain padded and widened to round ticks, with the ticks.
    static func niceDomain(covering values: [Double], tickCount: Int = 5) -> (domain: ClosedRange<Double>, ticks: [Double]) {
        let finite = values.filter(\.isFinite)
        guard var low = finite.min(), var high = finite.max() else { return (0...1, [0, 0.5, 1]) }
        if low == high {
            // One value: give it room either side, in proportion to its size.
            let room = low == 0 ? 1 : abs(low) * 0.1
            low -= room
            high += room
        }
        let step = niceStep((high - low) / Double(max(1, tickCount - 1)))
        let first = (low / step).rounded(.down) * step
        let last = (high / step).rounded(.up) * step
        var ticks: [Double] = []
        var tick = first
        while tick <= last + step / 2 {
            // Clear the floating-point dust (0.30000000000000004) so labels and tests read cleanly.
            ticks.append((tick / step).rounded() * step)
            tick += step
        }
        return (first...last, ticks)
    }

    /// The round step nearest above `raw`: 1, 2 or 5 × a power of ten.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        for multiple in [1.0, 2.0, 5.0, 10.0] where multiple * magnitude >= raw * 0.999_999 {
            return multiple * magnitude
        }
        return 10 * magnitude
    }
}
