// Reading a response as CSV, with errors that name the URL, the row and the column.
public import PioneerKit

extension FeedResponse {
    /// The body parsed as CSV; `delimiter` nil means detect it from the header line.
    public func csv(delimiter: CSVTable.Delimiter? = nil) throws(PluginError) -> CSVTable {
        let body = try text()
        do {
            return try CSVTable(parsing: body, delimiter: delimiter)
        } catch {
            throw PluginError("the CSV from \(url) could not be read: \(error.description)")
        }
    }
}

extension CSVTable {
    /// The index of column `name`, or an error naming the URL and listing the header.
    public func requireColumn(_ name: String, in url: String) throws(PluginError) -> Int {
        try Self.requireColumn(name, header: header, in: url)
    }

    /// The index of column `name` in `header`, or an error naming the URL and listing the header.
    static func requireColumn(_ name: String, header: [String], in url: String) throws(PluginError) -> Int {
        let wanted = name.trimmingWhitespaceFast()
        if let index = header.firstIndex(of: wanted) { return index }
        let columns = header.map { "`\($0)`" }.joined(separator: ", ")
        throw PluginError("column `\(name)` is not in the CSV from \(url)\(didYouMean(name, among: header)); its header is \(columns)")
    }

    /// Whether data row `index` is dated inside `period`, reading the date in `column`.
    ///
    /// Throws for a blank or unreadable date, naming the row, the column and the expected form.
    public func row(_ index: Int, column: Int, isIn period: Period, format: DateFieldFormat, url: String) throws(PluginError) -> Bool {
        let text = rows[index][column]
        guard let date = format.parse(text) else {
            let found = text.trimmingWhitespaceFast().isEmpty ? "it is blank" : "found `\(text)`"
            throw PluginError("row \(rowNumbers[index]) of \(url): column `\(header[column])` should hold a date like \(format.example) (\(format.rawValue)), but \(found)")
        }
        return period.contains(date)
    }
}
