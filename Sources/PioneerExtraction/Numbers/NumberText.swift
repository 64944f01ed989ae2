// Writing numbers as people read them: thousands separators and a fixed count of decimals.
// The reading side is NumberFormat; plugins use this in messages, the host in reports.
import Foundation
public import PioneerKit

extension IndicatorDefinition {
    /// A value printed with the indicator's decimals and unit style: `41.3%`, `£1,204.50`, `23.1`.
    public func format(_ value: Double) -> String {
        formatValue(value, valueType: valueType.rawValue, decimals: decimals)
    }
}

/// A value on its indicator's scale (`valueType` a ``ValueType`` raw value): a proportion as a
/// percentage, an amount in pounds, the rest as numbers, each at `decimals`. A count is whole
/// by nature, so its decimals are usually 0; one that is not whole (2.5 whole-time
/// equivalents, or a plugin's mistake) is shown with the decimals it needs, up to three more,
/// rather than rounded to a count it is not.
public func formatValue(_ value: Double, valueType: String, decimals: Int) -> String {
    switch valueType {
    case "proportion":
        return formatNumber(value * 100, decimals: decimals) + "%"
    case "amount":
        return formatAmount(value, decimals: decimals)
    case "count" where value.isFinite && abs(value) < 1e15 && value != value.rounded():
        var places = max(0, decimals)
        while places < decimals + 3 {
            let scale = pow(10, Double(places))
            if abs((value * scale).rounded() / scale - value) <= 1e-9 * max(1, abs(value)) { break }
            places += 1
        }
        return formatNumber(value, decimals: places)
    default:
        return formatNumber(value, decimals: decimals)
    }
}

/// A number with a fixed count of decimals and thousands separators: `12,345.6`.
public func formatNumber(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "-∞") }
    let places = max(0, min(decimals, 10))
    let magnitude = abs(value)
    // From 10^15 a double no longer holds every unit, so there are no decimals to show: the
    // whole digits as the double holds them up to 10^21, and past that an exponent.
    guard magnitude < 1e15 else {
        let sign = value < 0 ? "-" : ""
        guard magnitude < 1e21 else { return sign + String(format: "%.3e", magnitude) }
        let fraction = places > 0 ? "." + String(repeating: "0", count: places) : ""
        return sign + groupThousands(String(format: "%.0f", magnitude)) + fraction
    }
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let rounded = (magnitude * scale).rounded() / scale
    let negative = value < 0 && rounded != 0
    let whole = rounded.rounded(.down)
    var fraction = Int(((rounded - whole) * scale).rounded())
    var wholeInt = Int(whole)
    if fraction >= Int(scale), places > 0 {
        fraction -= Int(scale)
        wholeInt += 1
    }
    var grouped = groupThousands(String(wholeInt))
    if places > 0 {
        let fractionText = String(fraction)
        grouped += "." + String(repeating: "0", count: places - fractionText.count) + fractionText
    }
    return (negative ? "-" : "") + grouped
}

/// An amount in pounds: `£1,204.50`, `-£4.00` (not `£-4.00`).
package func formatAmount(_ value: Double, decimals: Int) -> String {
    let text = formatNumber(value, decimals: decimals)
    return text.hasPrefix("-") ? "-£" + text.dropFirst() : "£" + text
}

/// `1234567` → `1,234,567`.
private func groupThousands(_ digits: String) -> String {
    var digits = digits
    var grouped = ""
    while digits.count > 3 {
        grouped = "," + digits.suffix(3) + grouped
        digits.removeLast(3)
    }
    return digits + grouped
}
