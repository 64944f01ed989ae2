// A JSON document with its keys in a fixed order, so the same request always gets the same bytes.
import PioneerKit

/// A JSON value whose objects keep their keys in the order written.
///
/// Foundation's encoders order keys by hash or alphabetically; real BI servers
/// write them in a meaningful order, and the demo must be byte-for-byte stable.
enum DemoJSON: Sendable {
    case string(String)
    case integer(Int)
    /// A number written with exactly `decimals` decimal places.
    case number(Double, decimals: Int)
    case bool(Bool)
    case null
    case array([DemoJSON])
    case object([(String, DemoJSON)])

    /// Compact JSON text.
    var text: String {
        var output = ""
        write(into: &output)
        return output
    }

    private func write(into output: inout String) {
        switch self {
        case .string(let value):
            DemoJSON.writeString(value, into: &output)
        case .integer(let value):
            output += String(value)
        case .number(let value, let decimals):
            output += DemoJSON.fixed(value, decimals: decimals)
        case .bool(let value):
            output += value ? "true" : "false"
        case .null:
            output += "null"
        case .array(let items):
            output += "["
            for (offset, item) in items.enumerated() {
                if offset > 0 { output += "," }
                item.write(into: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (offset, member) in members.enumerated() {
                if offset > 0 { output += "," }
                DemoJSON.writeString(member.0, into: &output)
                output += ":"
                member.1.write(into: &output)
            }
            output += "}"
        }
    }

    private static func writeString(_ value: String, into output: inout String) {
        JSONText.appendString(value, to: &output)
    }

    /// `value` rounded to `decimals` places, with a `.` separator whatever the locale.
    static func fixed(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((abs(value) * scale).rounded())
        let unit = Int(scale)
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard decimals > 0 else { return sign + String(scaled) }
        let fraction = String(scaled % unit)
        return sign + String(scaled / unit) + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
}
