// The `json` config block: fetch a JSON document, select values with JSONPath, aggregate them.
import Foundation
public import PioneerKit

/// One number read from a JSON feed, as configured by a `json` block.
///
/// ```yaml
/// feed: bi
/// path: /admissions?month={period}
/// query: { age_band: "65+" }
/// select: "$.data[?(@.age_band == '65+')].admissions"
/// aggregate: sum        # value (default) | count | sum | mean | min | max
/// if_empty: no-data     # no-data (default) | zero | error
/// number_format: strict # strict (default) | readable | readable-decimal-comma
/// ```
///
/// Used by the `json` plugin for its whole `config:` and by `rate` for a numerator
/// or denominator. Numbers written as strings (`"12"`) count as numbers.
public struct JSONExtraction: Sendable, Hashable {
    /// How the selected values become one number.
    public enum Aggregate: String, Sendable, Hashable, CaseIterable {
        /// Exactly one number must match.
        case value
        /// How many values matched, whatever they are.
        case count
        case sum
        case mean
        case min
        case max
    }

    public var feed: String
    public var path: String
    public var query: [String: String]
    public var select: JSONPath
    public var aggregate: Aggregate
    public var ifEmpty: EmptyResultPolicy
    /// How a number written as a string (`"3,945,237.88"`) is read.
    public var numberFormat: NumberFormat

    public init(feed: String, path: String, query: [String: String] = [:], select: JSONPath,
                aggregate: Aggregate = .value, ifEmpty: EmptyResultPolicy = .noData,
                numberFormat: NumberFormat = .strict) {
        self.feed = feed
        self.path = path
        self.query = query
        self.select = select
        self.aggregate = aggregate
        self.ifEmpty = ifEmpty
        self.numberFormat = numberFormat
    }

    /// Reads the block's keys from `reader`, reporting problems to its collector.
    ///
    /// Does not call ``ConfigReader/finish()``, so a caller may accept more keys in the
    /// same mapping; call it once everything is read.
    public static func configure(_ reader: ConfigReader, setup: PluginSetup) -> JSONExtraction? {
        let feed = reader.feed(setup: setup)
        let path = reader.pathTemplate("path", required: true)
        let query = reader.queryTemplates()
        let select = reader.jsonPath("select", required: true)
        let aggregate: Aggregate? = reader.choice("aggregate")
        let ifEmpty: EmptyResultPolicy? = reader.choice("if_empty")
        let numberFormat: NumberFormat? = reader.choice("number_format")
        let invalid = (reader.contains("aggregate") && aggregate == nil)
            || (reader.contains("number_format") && numberFormat == nil)
            || (reader.contains("if_empty") && ifEmpty == nil)
            || (reader.contains("query") && query == nil)
        guard let feed, let path, let select, !invalid else { return nil }
        return JSONExtraction(feed: feed, path: path, query: query ?? [:], select: select,
                              aggregate: aggregate ?? .value, ifEmpty: ifEmpty ?? .noData,
                              numberFormat: numberFormat ?? .strict)
    }

    /// The request for this block's document, under the plugin's `key`.
    public func request(key: String) -> FeedRequest {
        FeedRequest(key: key, feed: feed, path: path, query: query)
    }

    /// Selects and aggregates the values in `response`.
    ///
    /// Throws when the body is not JSON, a selected value is not a number (for all
    /// but `count`), `value` matches more than one item, or nothing matches and
    /// `if_empty` is `error`.
    public func extract(_ response: FeedResponse, period: Period) throws(PluginError) -> ExtractedValue {
        let document = try response.json()
        let nodes = select.nodes(in: document)
        let matches = nodes.map(\.value)
        guard !matches.isEmpty else {
            let nothing = "`\(select)` matched nothing in \(response.url)"
            let hint = select.emptyResultHint(in: document).map { "; \($0)" } ?? ""
            let detail = nothing + hint
            switch ifEmpty {
            case .noData: return ExtractedValue(value: nil, count: 0, detail: detail)
            case .zero: return ExtractedValue(value: 0, count: 0, detail: detail)
            case .error: throw PluginError("\(nothing) for \(period); expected at least one value\(hint)")
            }
        }
        let detail = "\(matches.count) value\(matches.count == 1 ? "" : "s") matched `\(select)` in \(response.url)"
        if aggregate == .count {
            return ExtractedValue(value: Double(matches.count), count: matches.count, detail: detail)
        }
        var numbers: [Double] = []
        for (offset, node) in nodes.enumerated() {
            guard let number = number(node.value), number.isFinite else {
                let position = matches.count == 1 ? "" : " (match \(offset + 1) of \(matches.count))"
                throw PluginError("`\(select)` in \(response.url) should select numbers, but `\(node.path)`\(position) is \(Self.describe(node.value))"
                    + numberFormatHint(node.value))
            }
            numbers.append(number)
        }
        let value: Double
        switch aggregate {
        case .value:
            guard numbers.count == 1 else {
                throw PluginError("`\(select)` matched \(numbers.count) values in \(response.url), but `aggregate: value` expects exactly one; use `aggregate: sum`, `mean`, `min` or `max` to combine them, or narrow the path")
            }
            value = numbers[0]
        case .count:
            value = Double(numbers.count)
        case .sum:
            value = numbers.reduce(0, +)
        case .mean:
            value = numbers.reduce(0, +) / Double(numbers.count)
        case .min:
            value = numbers.min() ?? 0
        case .max:
            value = numbers.max() ?? 0
        }
        return ExtractedValue(value: value, count: numbers.count, detail: detail)
    }

    /// A selected value as a number: a JSON number, or a string read with ``numberFormat``.
    func number(_ value: JSONValue) -> Double? {
        guard numberFormat != .strict, case .string(let text) = value else { return value.numberValue }
        return numberFormat.parse(text)
    }

    /// The rest of a "should select numbers" message for a string a number format could read.
    func numberFormatHint(_ value: JSONValue) -> String {
        guard case .string(let text) = value else { return "" }
        return NumberFormat.hint(for: text, configured: numberFormat)
    }

    /// A found value for a message: "a string `n/a`", "an object", "null".
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let text):
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            return "a string `\(shown)`"
        case .bool(let flag):
            return "the boolean `\(flag)`"
        default:
            return value.kindDescription
        }
    }
}
