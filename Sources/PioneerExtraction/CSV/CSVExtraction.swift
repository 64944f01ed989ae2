// The `csv` config block: fetch a CSV export, keep the rows that match, count, sum or average them.
public import PioneerKit

/// One number read from a CSV feed, as configured by a `csv` block.
///
/// ```yaml
/// feed: council
/// path: /exports/reablement.csv?from={period.start}&to={period.end}
/// delimiter: auto                 # auto (default) | "," | ";" | tab
/// date_column: discharge_date     # only rows dated in the period count
/// date_format: iso                # iso (default) | dd/mm/yyyy | yyyy-mm
/// where:                          # column -> accepted value or list of values
///   age_band: ["65-74", "75-84", "85+"]
///   outcome: at home
/// aggregate: count                # count | sum | mean
/// column: cost_gbp                # for sum and mean
/// if_empty: no-data               # no-data (default) | zero | error
/// number_format: strict           # strict (default) | readable | readable-decimal-comma
/// ```
///
/// `where` values match cells after trimming spaces from both, ignoring case
/// (Unicode case folding: `At Home` matches `at home`). For `sum` and `mean`, blank
/// cells are left out; with the default `number_format: strict` any other cell must
/// be a plain number (`1234.5`, `-3`; no thousands separators), optionally after a `£`;
/// ``NumberFormat`` lists what the readable formats accept.
public struct CSVExtraction: Sendable, Hashable {
    public enum Aggregate: String, Sendable, Hashable, CaseIterable {
        case count
        case sum
        case mean
    }

    /// Keeps rows whose `column` holds one of `accepted`, compared as ``AnswerMatching`` does.
    public struct RowFilter: Sendable, Hashable {
        public var column: String
        public var accepted: [String]

        public init(column: String, accepted: [String]) {
            self.column = column
            self.accepted = accepted.map { $0.trimmingWhitespaceFast() }
        }
    }

    public var feed: String
    public var path: String
    /// nil: detect from the header line.
    public var delimiter: CSVTable.Delimiter?
    public var dateColumn: String?
    public var dateFormat: DateFieldFormat
    public var filters: [RowFilter]
    public var aggregate: Aggregate
    /// The column summed or averaged.
    public var column: String?
    public var ifEmpty: EmptyResultPolicy
    /// How the cells summed or averaged are read.
    public var numberFormat: NumberFormat

    public init(feed: String, path: String, delimiter: CSVTable.Delimiter? = nil, dateColumn: String? = nil,
                dateFormat: DateFieldFormat = .iso, filters: [RowFilter] = [], aggregate: Aggregate,
                column: String? = nil, ifEmpty: EmptyResultPolicy = .noData, numberFormat: NumberFormat = .strict) {
        self.feed = feed
        self.path = path
        self.delimiter = delimiter
        self.dateColumn = dateColumn
        self.dateFormat = dateFormat
        self.filters = filters
        self.aggregate = aggregate
        self.column = column
        self.ifEmpty = ifEmpty
        self.numberFormat = numberFormat
    }

    /// Reads the block's keys from `reader`, reporting problems to its collector.
    ///
    /// Does not call ``ConfigReader/finish()``; call it once everything is read.
    public static func configure(_ reader: ConfigReader, setup: PluginSetup) -> CSVExtraction? {
        var valid = true
        let feed = reader.feed(setup: setup)
        let path = reader.pathTemplate("path", required: true)
        let delimiter = readDelimiter(reader, valid: &valid)
        let dateColumn = reader.string("date_column")
        let dateFormat: DateFieldFormat? = reader.choice("date_format")
        let filters = readFilters(reader, valid: &valid)
        let aggregate: Aggregate? = reader.choice("aggregate", required: true)
        let column = reader.string("column")
        let ifEmpty: EmptyResultPolicy? = reader.choice("if_empty")
        let numberFormat: NumberFormat? = reader.choice("number_format")
        // A key given but unreadable has been reported; don't fall back to its default.
        for (key, read) in [("date_column", dateColumn != nil), ("date_format", dateFormat != nil),
                            ("column", column != nil), ("if_empty", ifEmpty != nil),
                            ("number_format", numberFormat != nil)]
        where reader.contains(key) && !read {
            valid = false
        }
        if dateFormat != nil && dateColumn == nil, let node = reader.node["date_format"] {
            reader.issues.error("`date_format` needs `date_column`, the column holding the date", at: node)
            valid = false
        }
        switch aggregate {
        case .sum?, .mean?:
            if column == nil && !reader.contains("column") {
                reader.issues.add(ConfigIssue(
                    .error, at: reader.node.location, path: reader.node.path.isEmpty ? "column" : "\(reader.node.path).column",
                    "missing required key `column`: `aggregate: \(aggregate?.rawValue ?? "")` needs the column to add up"))
                valid = false
            }
        case .count?:
            if let node = reader.node["column"] {
                reader.issues.error("`column` is only used by `aggregate: sum` and `mean`; `count` counts rows", at: node)
                valid = false
            }
            if let node = reader.node["number_format"], numberFormat != nil {
                reader.issues.error("`number_format` reads the `column` of `aggregate: sum` and `mean`; `count` reads no numbers", at: node)
                valid = false
            }
        case nil:
            valid = false
        }
        guard valid, let feed, let path, let aggregate else { return nil }
        return CSVExtraction(feed: feed, path: path, delimiter: delimiter, dateColumn: dateColumn,
                             dateFormat: dateFormat ?? .iso, filters: filters, aggregate: aggregate,
                             column: column, ifEmpty: ifEmpty ?? .noData, numberFormat: numberFormat ?? .strict)
    }

    /// The request for this block's export, under the plugin's `key`.
    public func request(key: String) -> FeedRequest {
        FeedRequest(key: key, feed: feed, path: path)
    }

    /// Filters and aggregates the rows of `response`, reading the body once, front to
    /// back, in the memory of one row (a body in a file is never held whole).
    ///
    /// Throws when the body is not CSV, a named column is missing, a date or number
    /// cannot be read (naming the row and column), or no row matches and `if_empty` is `error`.
    public func extract(_ response: FeedResponse, period: Period) throws(PluginError) -> ExtractedValue {
        let url = response.url
        if let value = try extractInHalves(response, period: period) { return value }
        var scan = CSVScan(extraction: self, period: period, url: url)
        var reader = CSVRecordReader(delimiter: delimiter)
        do {
            try response.body.read { piece in
                try reader.consume(piece) { record in try scan.take(record) }
            }
            try reader.finish { record in try scan.take(record) }
            if !scan.isResolved { try scan.resolve(reader.header ?? []) }
        } catch {
            throw Self.readFailure(error, url: url)
        }
        return try scan.result()
    }

    /// What went wrong reading the CSV from `url`, as a message: a plugin error as it is, a
    /// parse error with its row and column.
    static func readFailure(_ error: any Error, url: String) -> PluginError {
        switch error {
        case let error as CSVTable.ParseError: PluginError("the CSV from \(url) could not be read: \(error.description)")
        case let error as PluginError: error
        default: PluginError("the CSV from \(url) could not be read: \(error)")
        }
    }

    /// A cell as a number in ``numberFormat``.
    func number(_ cell: String) -> Double? {
        numberFormat == .strict ? Self.number(cell) : numberFormat.parse(cell)
    }

    /// A cell as a number: trimmed, an optional leading `£`, then a finite decimal.
    static func number(_ cell: String) -> Double? {
        var text = Substring(cell.trimmingWhitespaceFast())
        if text.first == "£" { text = text.dropFirst() }
        guard text.isPlainDecimal, let value = Double(text), value.isFinite else { return nil }
        return value
    }

    func describeFilters(period: Period) -> String {
        var parts = filters.map { filter in
            "`\(filter.column)` " + (filter.accepted.count == 1
                ? "= `\(filter.accepted[0])`"
                : "in " + filter.accepted.map { "`\($0)`" }.joined(separator: ", "))
        }
        if let dateColumn { parts.append("`\(dateColumn)` in \(period)") }
        return parts.isEmpty ? "" : " " + parts.joined(separator: " and ")
    }

    private static func readDelimiter(_ reader: ConfigReader, valid: inout Bool) -> CSVTable.Delimiter? {
        guard let text = reader.string("delimiter"), let node = reader.node["delimiter"] else { return nil }
        if text == "auto" { return nil }
        guard let delimiter = CSVTable.Delimiter(setting: text) else {
            reader.issues.error("`\(text)` is not a delimiter; use `auto`, `\",\"`, `\";\"` or `tab`", at: node)
            valid = false
            return nil
        }
        return delimiter
    }

    private static func readFilters(_ reader: ConfigReader, valid: inout Bool) -> [RowFilter] {
        guard let node = reader.node("where") else { return [] }
        guard let entries = node.entries else {
            reader.typeError(node, expected: "a mapping of column names to accepted values")
            valid = false
            return []
        }
        var filters: [RowFilter] = []
        for entry in entries {
            if let value = entry.value.scalar {
                filters.append(RowFilter(column: entry.key, accepted: [value]))
            } else if let items = entry.value.items, !items.isEmpty {
                var accepted: [String] = []
                for item in items {
                    guard let value = item.scalar else {
                        reader.typeError(item, expected: "a value to match")
                        valid = false
                        continue
                    }
                    accepted.append(value)
                }
                filters.append(RowFilter(column: entry.key, accepted: accepted))
            } else {
                reader.typeError(entry.value, expected: "a value or a non-empty list of values")
                valid = false
            }
        }
        return filters
    }
}
