// Whole numbers and fractions that must lie in a range, read with the range in the message,
// as the progress, SPC and goal settings need.
import PioneerKit

extension ConfigReader {
    /// A whole number at `key` within `range`; nil when absent or out of range (reported).
    func int(_ key: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = int(key), let node = node[key] else { return nil }
        guard range.contains(value) else {
            let bounds = range.upperBound == Int.max
                ? "\(range.lowerBound) or more"
                : "between \(range.lowerBound) and \(range.upperBound)"
            issues.error("must be \(bounds), found `\(value)`", at: node)
            return nil
        }
        return value
    }

    /// A number at `key` within `range`; nil when absent or out of range (reported).
    func double(_ key: String, in range: ClosedRange<Double>, example: String) -> Double? {
        guard let value = double(key), let node = node[key] else { return nil }
        guard range.contains(value) else {
            issues.error("must be between \(Self.plain(range.lowerBound)) and \(Self.plain(range.upperBound)) (\(example)), found `\(node.scalar ?? "")`", at: node)
            return nil
        }
        return value
    }

    private static func plain(_ number: Double) -> String {
        number == number.rounded() ? String(Int(number)) : String(number)
    }
}
