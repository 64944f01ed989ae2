// Maps values to chart coordinates and chooses round-numbered ticks (1, 2 or 5 × 10^k), so an
// axis reads 10, 15, 20 rather than 9.73, 14.6, 19.47.
import Foundation
import PioneerExtraction

/// A linear map from a value range onto a pixel range.
struct ChartScale {
    var domain: ClosedRange<Double>
    var range: ClosedRange<Double>
    /// Screen y grows downwards: a y scale maps the lowest value to the bottom.
    var inverted: Bool

    func position(_ value: Double) -> Double {
        // Halved, so that a domain as wide as a double allows does not overflow.
        let span = domain.upperBound / 2 - domain.lowerBound / 2
        let fraction = span == 0 ? 0.5 : (value / 2 - domain.lowerBound / 2) / span
        let pixels = range.upperBound - range.lowerBound
        return inverted ? range.upperBound - fraction * pixels : range.lowerBound + fraction * pixels
    }

    /// A value domain padded and widened to round ticks, with the ticks.
    static func niceDomain(covering values: [Double], tickCount: Int = 5) -> (domain: ClosedRange<Double>, ticks: [Double]) {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return (0...1, [0, 0.5, 1]) }
        let size = max(abs(low), abs(high))
        guard size >= 1e15 else { return niceDomain(low: low, high: high, tickCount: tickCount) }
        // Far beyond any measure, the ticks are found at a power of ten's scale, where the
        // span of two values near the largest double cannot overflow.
        let scale = pow(10, log10(size).rounded(.down))
        let scaled = niceDomain(low: low / scale, high: high / scale, tickCount: tickCount)
        func back(_ value: Double) -> Double {
            min(max(value * scale, -.greatestFiniteMagnitude), .greatestFiniteMagnitude)
        }
        // A tick beyond the largest double is left off; the domain stops at it.
        return (back(scaled.domain.lowerBound)...back(scaled.domain.upperBound),
                scaled.ticks.map { $0 * scale }.filter(\.isFinite))
    }

    private static func niceDomain(low: Double, high: Double, tickCount: Int) -> (domain: ClosedRange<Double>, ticks: [Double]) {
        var low = low, high = high
        let size = max(abs(low), abs(high))
        if high - low <= size * 1e-12 {
            // One value, or values closer than ticks a double can tell apart: room either
            // side, in proportion to their size.
            let room = size == 0 ? 1 : size * 0.1
            low -= room
            high += room
        }
        let step = niceStep((high - low) / Double(max(1, tickCount - 1)))
        let first = (low / step).rounded(.down) * step
        let last = (high / step).rounded(.up) * step
        // Counted, not stepped to: `tick += step` stops moving once the step is below the
        // tick's precision.
        let count = min(Int(((last - first) / step).rounded()), 4 * tickCount)
        // Clear the floating-point dust (0.30000000000000004) so labels and tests read cleanly.
        let ticks = (0...max(count, 1)).map { index in ((first + Double(index) * step) / step).rounded() * step }
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

/// A value axis's tick labels on an indicator's scale (`41.3%`, `£1,204.50`), with the decimals
/// the tick step needs; ticks too large (10^9 and up) or too finely spaced (under 10^-6) to
/// write in full in the room left of a plot are written with an exponent (`2.5e16`, `£1e12`).
struct AxisLabels {
    private let valueType: String
    private let decimals: Int
    private let exponents: Bool

    init(ticks: [Double], valueType: String, decimals: Int) {
        self.valueType = valueType
        let scale = valueType == "proportion" ? 100.0 : 1.0
        let step = ticks.count > 1 ? abs(ticks[1] - ticks[0]) * scale : 1
        var shown = step, needed = 0
        while shown < 0.999_999, shown > 0, needed < 6 {
            shown *= 10
            needed += 1
        }
        self.decimals = max(decimals, needed)
        let largest = ticks.map { abs($0 * scale) }.max() ?? 0
        exponents = largest >= 1e9 || (step > 0 && step < 1e-6)
    }

    func label(_ tick: Double) -> String {
        guard exponents else { return formatValue(tick, valueType: valueType, decimals: decimals) }
        // A tick is a round number, so six significant digits tell neighbours apart.
        let shown = tick * (valueType == "proportion" ? 100 : 1)
        var text = String(format: "%g", shown).replacingOccurrences(of: "e+", with: "e")
        if let range = text.range(of: "e0") { text.replaceSubrange(range, with: "e") }
        if let range = text.range(of: "e-0") { text.replaceSubrange(range, with: "e-") }
        switch valueType {
        case "proportion": return text + "%"
        case "amount": return text.hasPrefix("-") ? "-£" + text.dropFirst() : "£" + text
        default: return text
        }
    }
}
