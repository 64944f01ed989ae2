// Typed, located reading of a configuration mapping, used by the host for the
// site schema and by plugins for their own `config:` sections.
import Foundation

/// Reads typed values out of one mapping node and reports every problem it finds.
///
/// Read each key you accept, then call ``finish()``: any key that was never read
/// is reported as unknown, with a "did you mean" suggestion among the keys that were.
///
/// ```swift
/// let reader = ConfigReader(config, issues: issues)
/// let path = reader.string("path", required: true)
/// let aggregate = reader.choice("aggregate", default: Aggregate.value)
/// reader.finish()
/// guard let path, !reader.hasErrors else { return nil }   // this section's errors only
/// ```
public final class ConfigReader {
    public let node: ConfigNode
    public let issues: IssueCollector
    private var knownKeys: [String] = []
    /// The required keys reported missing, with their issue: a mistyped key (`nmae`) reports
    /// one mistake, not a missing `name` and an unknown `nmae` as well.
    private var missingIssues: [(key: String, issue: ConfigIssue)] = []
    private let isMapping: Bool

    /// - Parameters:
    ///   - node: The node to read; anything but a mapping is reported once.
    ///   - issues: Where problems go.
    public init(_ node: ConfigNode, issues: IssueCollector) {
        self.node = node
        self.issues = issues
        switch node.content {
        case .mapping:
            isMapping = true
        case .null:
            isMapping = false
        default:
            isMapping = false
            issues.error("expected a mapping of keys to values, found \(node.kindDescription)", at: node)
        }
    }

    /// Whether an error has been reported about this reader's mapping or anything inside it.
    ///
    /// Errors elsewhere in the site file do not count, so a plugin can decide whether its
    /// own section is usable: `guard let feed, !reader.hasErrors else { return nil }`.
    /// Call it after ``finish()`` to count unknown keys as well.
    public var hasErrors: Bool { issues.hasErrors(under: node) }

    /// Declares keys as accepted without reading them (read elsewhere, or ignored on purpose).
    public func declare(_ keys: String...) {
        knownKeys.append(contentsOf: keys)
    }

    /// The raw node at `key`, or nil when absent. Reports a missing required key.
    public func node(_ key: String, required: Bool = false) -> ConfigNode? {
        knownKeys.append(key)
        guard isMapping else { return nil }
        if let value = node[key], !value.isNull {
            return value
        }
        if required {
            missing(key)
        }
        return nil
    }

    /// Reports that a required key is absent, at the mapping's own location.
    public func missing(_ key: String) {
        let issue = ConfigIssue(.error, at: node.location, path: join(key), "missing required key `\(key)`")
        issues.add(issue)
        missingIssues.append((key, issue))
    }

    public func string(_ key: String, required: Bool = false) -> String? {
        guard let value = node(key, required: required) else { return nil }
        guard let text = value.scalar else {
            typeError(value, expected: "a string")
            return nil
        }
        if required && text.isBlankOnOneLine {
            issues.error("must not be empty", at: value)
            return nil
        }
        return text
    }

    public func double(_ key: String, required: Bool = false) -> Double? {
        guard let value = node(key, required: required) else { return nil }
        if let problem = Self.writtenAsString(value, expected: "a number", reads: { Self.number($0)?.isFinite == true }) {
            issues.error(problem, at: value)
            return nil
        }
        guard let text = value.scalar, let number = Self.number(text), number.isFinite else {
            if let problem = Self.notFinite(value) {
                issues.error(problem, at: value)
            } else {
                typeError(value, expected: "a number")
            }
            return nil
        }
        return number
    }

    /// The message for a value that would read as expected but is written as a string: in
    /// quotes, or tagged `!!str`, which YAML reads as text (`"80"` is not the number 80).
    private static func writtenAsString(_ value: ConfigNode, expected: String, reads: (String) -> Bool) -> String? {
        guard case .scalar(let text, quoted: true) = value.content, reads(text.trimmingCharacters(in: .whitespaces)) else {
            return nil
        }
        return "expected \(expected), found the string\(quoteScalar(value)): in quotes or tagged `!!str`, "
            + "YAML reads it as text; write it plainly, without quotes or tag"
    }

    private static func isPlain(_ value: ConfigNode) -> Bool {
        if case .scalar(_, let quoted) = value.content { return !quoted }
        return false
    }

    /// What is wrong with a scalar that reads as a number but not a finite one (`1e309`,
    /// `NaN`, YAML's `.inf`), said as such rather than "expected a number, found a number".
    private static func notFinite(_ value: ConfigNode) -> String? {
        guard let text = value.scalar, Self.isPlain(value) else { return nil }
        let lowered = text.lowercased()
        if [".nan", "nan"].contains(lowered) {
            return "`\(text)` is not a number; give a finite number"
        }
        if [".inf", "+.inf", "-.inf", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"].contains(lowered) {
            return "`\(text)` is infinite; give a finite number"
        }
        if let number = number(text), number.isInfinite {
            return "\(quoteScalar(value).trimmingCharacters(in: .whitespaces)) is beyond the largest number there is (about ±1.8e308)"
        }
        return nil
    }

    public func int(_ key: String, required: Bool = false) -> Int? {
        guard let value = node(key, required: required) else { return nil }
        if let problem = Self.writtenAsString(value, expected: "a whole number",
                                              reads: { Int($0.replacingOccurrences(of: "_", with: "")) != nil }) {
            issues.error(problem, at: value)
            return nil
        }
        guard let text = value.scalar, let number = Int(text.replacingOccurrences(of: "_", with: "")) else {
            if let text = value.scalar, Self.isPlain(value), text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "_" || $0 == "-" || $0 == "+") }),
               text.contains(where: \.isNumber) {
                issues.error("\(Self.quoteScalar(value).trimmingCharacters(in: .whitespaces)) is too large for a whole number (at most 9,223,372,036,854,775,807)", at: value)
            } else {
                typeError(value, expected: "a whole number")
            }
            return nil
        }
        return number
    }

    public func bool(_ key: String, required: Bool = false) -> Bool? {
        guard let value = node(key, required: required) else { return nil }
        if let problem = Self.writtenAsString(value, expected: "true or false", reads: { ConfigNode.parseBool($0) != nil }) {
            issues.error(problem, at: value)
            return nil
        }
        guard let text = value.scalar, let flag = ConfigNode.parseBool(text) else {
            typeError(value, expected: "true or false")
            return nil
        }
        return flag
    }

    /// A value that must be one of an enumeration's raw values.
    public func choice<T: RawRepresentable & CaseIterable>(_ key: String, required: Bool = false) -> T?
    where T.RawValue == String {
        guard let value = node(key, required: required) else { return nil }
        guard let text = value.scalar else {
            typeError(value, expected: "one of \(Self.list(T.allCases.map(\.rawValue)))")
            return nil
        }
        if let result = T(rawValue: text) { return result }
        let names = T.allCases.map(\.rawValue)
        issues.error("`\(text.escapingControlCharacters())` is not one of \(Self.list(names))\(didYouMean(text, among: names))", at: value)
        return nil
    }

    /// A period label such as `2026-06`, `2026Q3`, `FY2026-27 Q1`.
    public func period(_ key: String, required: Bool = false, type: PeriodType? = nil) -> Period? {
        guard let value = node(key, required: required) else { return nil }
        guard let text = value.scalar else {
            typeError(value, expected: "a period such as `2026-06` or `FY2026-27 Q1`")
            return nil
        }
        do {
            let period = try Period(parsing: text)
            if let type, period.type != type {
                issues.error("`\(text)` is \(period.type.article) \(period.type.displayName), but this indicator is reported by \(type.displayName)", at: value)
                return nil
            }
            return period
        } catch {
            issues.error(error.description, at: value)
            return nil
        }
    }

    /// A list of scalars.
    public func stringList(_ key: String, required: Bool = false) -> [String]? {
        guard let items = list(key, required: required) else { return nil }
        var result: [String] = []
        for item in items {
            guard let text = item.scalar else {
                typeError(item, expected: "a string")
                continue
            }
            result.append(text)
        }
        return result
    }

    /// A mapping of scalar keys to scalar values (headers, filters).
    public func stringMap(_ key: String, required: Bool = false) -> [String: String]? {
        guard let value = node(key, required: required) else { return nil }
        guard let entries = value.entries else {
            typeError(value, expected: "a mapping")
            return nil
        }
        var result: [String: String] = [:]
        for entry in entries {
            guard let text = entry.value.scalar else {
                typeError(entry.value, expected: "a string")
                continue
            }
            result[entry.key] = text
        }
        return result
    }

    /// The list at `key`.
    public func list(_ key: String, required: Bool = false) -> [ConfigNode]? {
        guard let value = node(key, required: required) else { return nil }
        guard let items = value.items else {
            typeError(value, expected: "a list")
            return nil
        }
        return items
    }

    /// A reader for the nested mapping at `key`.
    public func section(_ key: String, required: Bool = false) -> ConfigReader? {
        guard let value = node(key, required: required) else { return nil }
        guard value.entries != nil else {
            typeError(value, expected: "a mapping")
            return nil
        }
        return ConfigReader(value, issues: issues)
    }

    /// Reports every key that was neither read nor declared, suggesting the nearest known key.
    public func finish() {
        guard let entries = node.entries else { return }
        // A linear scan: a mapping in configuration has a handful of keys, and hashing
        // them into a set for every mapping read showed in the profile of a large site.
        for entry in entries where !knownKeys.contains(entry.key) {
            let shown = entry.key.escapingControlCharacters()
            // Meant for a required key reported missing: one mistake, said once, where it is.
            if let match = Suggestions.closest(to: entry.key, in: knownKeys),
               let index = missingIssues.firstIndex(where: { $0.key == match }) {
                issues.remove(missingIssues[index].issue)
                missingIssues.remove(at: index)
            }
            let hint = didYouMean(entry.key, among: knownKeys)
            issues.add(ConfigIssue(.error, at: entry.keyLocation, path: join(entry.key), "unknown key `\(shown)`\(hint)"))
        }
    }

    public func typeError(_ value: ConfigNode, expected: String) {
        issues.error("expected \(expected), found \(value.kindDescription)\(Self.quoteScalar(value))", at: value)
    }

    private func join(_ key: String) -> String {
        node.path.isEmpty ? key : "\(node.path).\(key)"
    }

    private static func quoteScalar(_ value: ConfigNode) -> String {
        guard let text = value.scalar else { return "" }
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return " `\(shown.escapingControlCharacters())`"
    }

    static func number(_ text: String) -> Double? {
        Double(text.replacingOccurrences(of: "_", with: ""))
    }

    static func list(_ names: [String]) -> String {
        names.map { "`\($0)`" }.joined(separator: ", ")
    }
}
