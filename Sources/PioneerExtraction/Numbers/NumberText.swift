// Writing numbers as people read them: thousands separators and a fixed count of decimals.
// The reading side is NumberFormat; plugins use this in messages, the host in reports.
public import PioneerKit

extension IndicatorDefinition {
    /// A value printed with the indicator's decimals and unit style: `41.3%`, `£1,204.50`, `23.1`.
    public func format(_ value: Double) -> String {
        switch valueType {
        case .proportion:
            return formatNumber(value * 100, decimals: decimals) + "%"
        case .amount:
            return "£" + formatNumber(value, decimals: decimals)
        default:
            return formatNumber(value, decimals: decimals)
        }
    }
}

/// A number with a fixed count of decimals and thousands separators: `12,345.6`.
public func formatNumber(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "-∞") }
    let places = max(0, min(decimals, 10))
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let rounded = (abs(value) * scale).rounded() / scale
    let negative = value < 0 && rounded != 0
    let whole = rounded.rounded(.down)
    var fraction = Int(((rounded - whole) * scale).rounded())
    var wholeInt = whole < 9e18 ? Int(whole) : Int.max
    if fraction >= Int(scale), places > 0 {
        fraction -= Int(scale)
        wholeInt += 1
    }
    var digits = String(wholeInt)
    var grouped = ""
    while digits.count > 3 {
        grouped = "," + digits.suffix(3) + grouped
        digits.removeLast(3)
    }
    grouped = digits + grouped
    if places > 0 {
        let fractionText = String(fraction)
        grouped += "." + String(repeating: "0", count: places - fractionText.count) + fractionText
    }
    return (negative ? "-" : "") + grouped
}
