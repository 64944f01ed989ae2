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
        if let select, let reason = select.wholeDocumentReason, let node = reader.node["select"] {
            reader.issues.note(reason, at: node)
        }
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

    /// The largest body read whole, for a path that needs the whole document (and the
    /// largest single element a streamed path holds at once): 64 MB of JSON text, which
    /// takes several times that as a parsed tree.
    public static let wholeDocumentLimit = 64 * 1024 * 1024

    /// Selects and aggregates the values in `response`.
    ///
    /// A path ``JSONPath`` can stream (one that descends by names and indices, then takes an
    /// array's elements with `[*]` or a filter) reads the body once, an element at a time,
    /// keeping running totals; any other path reads the body whole, up to
    /// ``wholeDocumentLimit``.
    ///
    /// Throws when the body is not JSON, a selected value is not a number (for all
    /// but `count`), `value` matches more than one item, or nothing matches and
    /// `if_empty` is `error`.
    public func extract(_ response: FeedResponse, period: Period) throws(PluginError) -> ExtractedValue {
        try extract(response, period: period, halvesThreshold: Self.halvesThreshold, piece: 1 << 20)
    }

    /// ``extract(_:period:)`` with the size from which a body in a file is read in two halves,
    /// the size of each read, and the most one element or selected value may hold
    /// (``wholeDocumentLimit``): smaller in the tests.
    func extract(_ response: FeedResponse, period: Period, halvesThreshold: Int, piece: Int,
                 holdLimit: Int = wholeDocumentLimit) throws(PluginError) -> ExtractedValue {
        var aggregation = JSONAggregation(extraction: self, url: response.url)
        var hint: String?
        // A count reads no value: elements a filter selects are counted without being built.
        if let plan = select.streamingPlan.map({ aggregate == .count ? $0.countingElements() : $0 }) {
            let candidates: JSONPath.StreamedCandidates
            if let (inHalves, seen) = try extractInHalves(response, plan: plan, threshold: halvesThreshold, piece: piece,
                                                          holdLimit: holdLimit) {
                aggregation = inHalves
                candidates = seen
            } else {
                do {
                    candidates = try Self.scan(response, chunkSize: piece, keepLimit: holdLimit) { scanner in
                        try select.stream(&scanner, plan: plan, sampleUntilMatch: true) { node in aggregation.add(node) }
                    }
                } catch {
                    throw Self.pluginError(error, path: select, response: response)
                }
            }
            if aggregation.matches == 0 {
                hint = select.emptyResultHint(streamed: candidates, plan: plan)
            }
        } else {
            if let size = response.body.size, size > Self.wholeDocumentLimit {
                throw Self.tooLargeForWholeDocument(select, url: response.url, size: size)
            }
            let document = try response.json()
            let selected: [JSONPath.Node]
            do {
                selected = try select.nodes(in: document, atMost: JSONPath.nodeLimit)
            } catch {
                throw JSONPath.tooManyNodes(select, limit: error.limit, url: response.url)
            }
            for node in selected { aggregation.add(node) }
            if aggregation.matches == 0 { hint = select.emptyResultHint(in: document) }
        }
        guard aggregation.matches > 0 else {
            let nothing = "`\(select)` matched nothing in \(response.url)"
            let hint = hint.map { "; \($0)" } ?? ""
            let detail = nothing + hint
            switch ifEmpty {
            case .noData: return ExtractedValue(value: nil, count: 0, detail: detail)
            case .zero: return ExtractedValue(value: 0, count: 0, detail: detail)
            case .error: throw PluginError("\(nothing) for \(period); expected at least one value\(hint)")
            }
        }
        return try aggregation.result()
    }

    /// Runs `body` over a scanner reading `response` in pieces, a byte-order mark skipped.
    static func scan<Result>(_ response: FeedResponse, chunkSize: Int = 1 << 20, keepLimit: Int = wholeDocumentLimit,
                             _ body: (inout JSONStreamScanner) throws -> Result) throws -> Result {
        let source: (UnsafeMutableRawBufferPointer) throws -> Int
        if let url = response.body.fileURL {
            let handle: FileHandle
            do {
                handle = try FileHandle(forReadingFrom: url)
            } catch {
                throw PluginError("the file \(url.path) holding the body of \(response.url) could not be read: \((error as NSError).localizedDescription)")
            }
            // Straight into the stream's buffer: no Data made and copied for each piece.
            source = { target in
                while true {
                    let count = read(handle.fileDescriptor, target.baseAddress, target.count)
                    if count >= 0 { return count }
                    guard errno == EINTR else {
                        throw PluginError("the file \(url.path) holding the body of \(response.url) could not be read: \(String(cString: strerror(errno)))")
                    }
                }
            }
            defer { try? handle.close() }
            return try scan(source: source, chunkSize: chunkSize, keepLimit: keepLimit, body)
        }
        let data = try response.bytes()
        var offset = data.startIndex
        source = { target in
            let count = min(target.count, data.endIndex - offset)
            data.withUnsafeBytes { bytes in
                let start = offset - data.startIndex
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + count)]))
            }
            offset += count
            return count
        }
        return try scan(source: source, chunkSize: chunkSize, keepLimit: keepLimit, body)
    }

    static func scan<Result>(source: @escaping (UnsafeMutableRawBufferPointer) throws -> Int, seek: ((Int) -> Void)? = nil,
                             chunkSize: Int, keepLimit: Int = wholeDocumentLimit,
                             _ body: (inout JSONStreamScanner) throws -> Result) throws -> Result {
        let stream = JSONByteStream(chunkSize: chunkSize, keepLimit: keepLimit, source: source, seek: seek)
        if try stream.peek() == 0xEF {
            // A UTF-8 byte-order mark is skipped, as the whole-document parser does.
            while stream.end - stream.index < 3, try stream.refill() {}
            if stream.end - stream.index >= 3, stream.buffer[stream.index + 1] == 0xBB, stream.buffer[stream.index + 2] == 0xBF {
                stream.index += 3
            }
        }
        var scanner = JSONStreamScanner(stream)
        return try body(&scanner)
    }

    /// The error for a path that needs the whole document, given a body over ``wholeDocumentLimit``.
    static func tooLargeForWholeDocument(_ path: JSONPath, url: String, size: Int, limit: Int = wholeDocumentLimit) -> PluginError {
        PluginError("`\(path)` needs the whole document in memory, and the body of \(url) is \(ByteSizeText.megabytes(size)), over the \(ByteSizeText.megabytes(limit)) allowed for that; write a path that descends to an array and filters its elements (`$.data[?@.band == '65+'].admissions`), which runs over a body of any size")
    }

    /// What went wrong reading a body for `path`, as a message naming the URL.
    static func pluginError(_ error: any Error, path: JSONPath, response: FeedResponse) -> PluginError {
        let url = response.url
        switch error {
        case let error as JSONValue.ParseError where error.valueLimit != nil && path.streamingPlan != nil:
            // One element (or the value a path ends at), built whole to run the path on it.
            let place = error.description.range(of: "(line ", options: .backwards).map { " " + error.description[$0.lowerBound...] } ?? ""
            return PluginError("`\(path)` in \(url): a value read whole to run the path on it holds more than 3 million JSON values\(place), "
                + "more than pioneer builds at once (a hundred bytes or so each); ask the system for smaller records, or write a "
                + "path that goes on into the value to the numbers inside it")
        case let error as JSONValue.ParseError:
            return notJSONError(error, response: response)
        case let error as JSONStreamLimit:
            let limit = ByteSizeText.megabytes(error.limit)
            // A path that already goes on into each element (`[?…].n`) still holds the element
            // whole to judge it: the advice to go on into it would not help there.
            let intoElements = path.streamingPlan.map { $0.fan != nil && !($0.fan?.rest.isEmpty ?? true) } ?? false
            let advice = intoElements
                ? "each element is held whole to be judged, so no path can read one this large; ask the system for smaller records"
                : "a path that goes on into a large value (to the numbers inside it) reads it without holding it"
            return PluginError("`\(path)` in \(url): the value that starts at line \(error.line), column \(error.column) is larger than \(limit), "
                + "and pioneer holds one array element or selected value at a time, up to \(limit); \(advice)")
        case let error as PluginError:
            return error
        default:
            return PluginError("the body of \(url) could not be read: \(error)")
        }
    }

    /// The error for a body that is not valid JSON: when it fails at its very start, what the
    /// body is instead, when its first bytes say (UTF-16 text, gzip the server did not label,
    /// a spreadsheet, a PDF), as the CSV reader says; otherwise the parser's own words.
    static func notJSONError(_ error: JSONValue.ParseError, response: FeedResponse) -> PluginError {
        if let limit = error.valueLimit {
            return PluginError("the body of \(response.url) holds more than \(limit == FeedResponse.wholeValueLimit ? "3 million" : "\(limit)") JSON values, "
                               + "more than a plugin may build as a tree (a hundred bytes or so each); ask the system for a narrower "
                               + "extract (fewer members, or one period: `{from}`/`{to}` in the feed's path), or use the built-in "
                               + "`json` plugin, which reads a path that descends to an array an element at a time")
        }
        let atStart = error.description.hasSuffix("(line 1, column 1)") || error.description.hasSuffix("(line 1, column 2)")
        if atStart, let start = try? response.firstBytes(64) {
            if start.starts(with: [0xFF, 0xFE]) || start.starts(with: [0xFE, 0xFF]) || CSVRecordReader.looksLikeUTF16(start) {
                return PluginError("the body of \(response.url) is not valid JSON: the text is UTF-16, not UTF-8 (it starts with a "
                                   + "UTF-16 byte-order mark, or every other byte is NUL); have the system send UTF-8")
            }
            if let what = CSVRecordReader.binaryFormat(start) {
                return PluginError("the body of \(response.url) is not JSON text: it is \(what); check the feed's path")
            }
        }
        return PluginError("the body of \(response.url) is not valid JSON: \(error.description)")
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
