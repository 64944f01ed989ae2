// Reading a response as CSV, with errors that name the URL, the row and the column.
public import PioneerKit

extension FeedResponse {
    /// The body parsed as CSV; `delimiter` nil means detect it from the header line.
    ///
    /// The whole table is held in memory, so a body over ``wholeBodyLimit`` is refused:
    /// read a large extract a record at a time with ``csvRecords(delimiter:_:)``.
    public func csv(delimiter: CSVTable.Delimiter? = nil) throws(PluginError) -> CSVTable {
        try requireReadableWhole(as: "a CSV table (`csv()`)",
                                 instead: "in a plugin of your own, read it a row at a time with `csvRecords`, as the built-in `csv` plugin does")
        let body = try text()
        do {
            return try CSVTable(parsing: body, delimiter: delimiter)
        } catch {
            throw PluginError("the CSV from \(url) could not be read: \(error.description)")
        }
    }

    /// Calls `consume` with each data record of the CSV body, in order, reading a body held
    /// in a file a piece at a time: an extract of any size is read in the memory of one
    /// record. The record's fields are valid during the call only. `delimiter` nil means
    /// detect it from the header line. Returns the header's column names, trimmed.
    ///
    /// Throws a ``PluginError`` naming the URL and the row for CSV that cannot be read
    /// (as ``csv(delimiter:)`` does), and what `consume` throws.
    ///
    /// ```swift
    /// var inHospital = 0
    /// let header = try response.csvRecords { record in
    ///     if record.field(place) == "hospital" { inHospital += 1 }
    /// }
    /// ```
    @discardableResult
    public func csvRecords(delimiter: CSVTable.Delimiter? = nil,
                           _ consume: (CSVRecord) throws(PluginError) -> Void) throws(PluginError) -> [String] {
        var reader = CSVRecordReader(delimiter: delimiter)
        var failure: PluginError?
        func take(_ record: CSVRecord) throws {
            do throws(PluginError) {
                try consume(record)
            } catch {
                failure = error
                throw error
            }
        }
        do {
            try body.read { piece in try reader.consume(piece, onRecord: take) }
            try reader.finish(onRecord: take)
        } catch {
            if let failure { throw failure }
            if let parse = error as? CSVTable.ParseError {
                throw PluginError("the CSV from \(url) could not be read: \(parse.description)")
            }
            if let plugin = error as? PluginError { throw PluginError("the body of \(url): \(plugin.message)") }
            throw PluginError("the CSV from \(url) could not be read: \(error)")
        }
        return reader.header ?? []
    }
}

extension CSVTable {
    /// The index of column `name`, or an error naming the URL and listing the header.
    public func requireColumn(_ name: String, in url: String) throws(PluginError) -> Int {
        try Self.requireColumn(name, header: header, in: url)
    }

    /// The index of column `name` in `header`, or an error naming the URL and listing the header.
    ///
    /// A name the header repeats is an error too, naming the columns: which one was meant
    /// cannot be told. `delimiterKey` says the plugin reads a `delimiter` key, for the hint
    /// when the header looks split on another separator.
    package static func requireColumn(_ name: String, header: [String], in url: String,
                                      delimiterKey: Bool = false) throws(PluginError) -> Int {
        let wanted = name.trimmingWhitespaceFast()
        if let index = header.firstIndex(of: wanted) {
            let positions = header.indices.filter { header[$0] == wanted }.map { "\($0 + 1)" }
            guard positions.count > 1 else { return index }
            let times = positions.count == 2 ? "twice" : "\(positions.count) times"
            let columns = positions.dropLast().joined(separator: ", ") + " and " + positions[positions.count - 1]
            throw PluginError("column `\(wanted)` appears \(times) in the header of the CSV from \(url) (columns \(columns)); name a column that appears once")
        }
        // A long header is shown in part: its first columns, and how many more there are.
        let shown = 40
        var columns = header.prefix(shown).map { "`\($0)`" }.joined(separator: ", ")
        if header.count > shown { columns += " and \(header.count - shown) more" }
        let hint = separatorHint(wanted, header: header, delimiterKey: delimiterKey) ?? didYouMean(name, among: header)
        throw PluginError("column `\(name)` is not in the CSV from \(url)\(hint); its header is \(columns)")
    }

    /// " (the header looks `;`-separated: set `delimiter: \";\"`)" when a header cell, split
    /// on a separator other than the one used, holds `wanted`: the export uses another
    /// separator than the one configured or detected. Nil otherwise.
    static func separatorHint(_ wanted: String, header: [String], delimiterKey: Bool) -> String? {
        let separators: [(character: Character, name: String, setting: String?)] = [
            (";", "`;`-separated", "`delimiter: \";\"`"), ("\t", "tab-separated", "`delimiter: tab`"),
            (",", "`,`-separated", "`delimiter: \",\"`"), ("|", "`|`-separated", nil),
        ]
        for separator in separators {
            let splits = header.contains { cell in
                cell.contains(separator.character)
                    && cell.split(separator: separator.character).contains { $0.trimmingWhitespaceFast() == wanted }
            }
            guard splits else { continue }
            guard let setting = separator.setting else {
                return " (the header looks \(separator.name), a separator Pioneer does not read: ask for a comma-, semicolon- or tab-separated export)"
            }
            return " (the header looks \(separator.name)" + (delimiterKey ? ": set \(setting))" : ")")
        }
        return nil
    }

    /// Whether data row `index` is dated inside `period`, reading the date in `column`.
    ///
    /// Throws for a blank or unreadable date, naming the row, the column and the expected form.
    public func row(_ index: Int, column: Int, isIn period: Period, format: DateFieldFormat, url: String) throws(PluginError) -> Bool {
        try Self.date(rows[index][column], row: rowNumbers[index], column: header[column], isIn: period, format: format, url: url)
    }

    /// Whether `text`, the date in `column` of `row`, is inside `period`; throws for a blank or
    /// unreadable date, naming the row, the column and the expected form.
    static func date(_ text: String, row: Int, column: String, isIn period: Period, format: DateFieldFormat,
                     url: String) throws(PluginError) -> Bool {
        guard let date = format.parse(text) else {
            let found = text.trimmingWhitespaceFast().isEmpty ? "it is blank" : "found `\(text)`"
            throw PluginError("row \(row) of \(url): column `\(column)` should hold a date like \(format.example) (\(format.rawValue)), but \(found)")
        }
        return period.contains(date)
    }
}

extension CSVRecord {
    /// Whether this record is dated inside `period`, reading the date in `column`: as
    /// ``CSVTable/row(_:column:isIn:format:url:)`` for a table's row.
    public func field(_ column: Int, isIn period: Period, format: DateFieldFormat, url: String) throws(PluginError) -> Bool {
        try CSVTable.date(field(column), row: row, column: header[column], isIn: period, format: format, url: url)
    }
}
