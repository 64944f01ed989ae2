// A `json` block's aggregate kept as running totals while the selected nodes arrive, so a
// streamed selection over millions of elements holds none of them.
import PioneerKit

/// The aggregate of one ``JSONExtraction/extract(_:period:)``, node by node.
struct JSONAggregation {
    private let extraction: JSONExtraction
    private let url: String

    private(set) var matches = 0
    private var numbers = 0
    private var total = 0.0
    private var smallest = Double.infinity
    private var largest = -Double.infinity
    /// The first selected value that is not a number: its place among the matches, its
    /// path and what it is; reported once the number of matches is known.
    private var firstNonNumber: (offset: Int, path: String, value: JSONValue)?

    init(extraction: JSONExtraction, url: String) {
        self.extraction = extraction
        self.url = url
    }

    mutating func add(_ node: JSONPath.Node) {
        matches += 1
        guard extraction.aggregate != .count, firstNonNumber == nil else { return }
        guard let number = extraction.number(node.value), number.isFinite else {
            firstNonNumber = (matches, node.path, node.value)
            return
        }
        numbers += 1
        total += number
        smallest = min(smallest, number)
        largest = max(largest, number)
    }

    /// Adds in the aggregate of the nodes that follow this one's, counted apart (the second
    /// half of a body read in two); false, changing nothing, when the result could then differ
    /// from adding the nodes one by one: a value that is not a number among the later nodes,
    /// whose path the later count does not know.
    mutating func add(_ later: JSONAggregation) -> Bool {
        if firstNonNumber == nil && later.firstNonNumber != nil { return false }
        matches += later.matches
        // After a value that is not a number, only matches are counted, as `add(_:)` does.
        guard firstNonNumber == nil else { return true }
        numbers += later.numbers
        total += later.total
        smallest = min(smallest, later.smallest)
        largest = max(largest, later.largest)
        return true
    }

    /// The value once every node has been added (at least one has).
    func result() throws(PluginError) -> ExtractedValue {
        let select = extraction.select
        let detail = "\(matches) value\(matches == 1 ? "" : "s") matched `\(select)` in \(url)"
        if extraction.aggregate == .count {
            return ExtractedValue(value: Double(matches), count: matches, detail: detail)
        }
        if let (offset, path, value) = firstNonNumber {
            let position = matches == 1 ? "" : " (match \(offset) of \(matches))"
            throw PluginError("`\(select)` in \(url) should select numbers, but `\(path)`\(position) is \(JSONExtraction.describe(value))"
                + extraction.numberFormatHint(value))
        }
        let value: Double
        switch extraction.aggregate {
        case .value:
            guard numbers == 1 else {
                throw PluginError("`\(select)` matched \(numbers) values in \(url), but `aggregate: value` expects exactly one; use `aggregate: sum`, `mean`, `min` or `max` to combine them, or narrow the path")
            }
            value = total
        case .count: value = Double(numbers)
        case .sum: value = total
        case .mean: value = total / Double(numbers)
        case .min: value = smallest
        case .max: value = largest
        }
        return ExtractedValue(value: value, count: numbers, detail: detail,
                              total: extraction.aggregate == .mean ? total : nil)
    }
}
