// Plain-text tables with aligned columns, for summaries a person reads in a terminal.

/// Columns of text, padded to line up; numbers right-aligned.
///
/// ```swift
/// var table = TextTable(["INDICATOR", "COLLECTED"], rightAligned: [1])
/// table.add(["emergency-admissions-65", "6"])
/// print(table.render())
/// ```
public struct TextTable: Sendable {
    public var header: [String]
    public var rows: [[String]] = []
    /// Indices of columns aligned to the right.
    public var rightAligned: Set<Int>

    public init(_ header: [String], rightAligned: Set<Int> = []) {
        self.header = header
        self.rightAligned = rightAligned
    }

    public mutating func add(_ row: [String]) {
        rows.append(row)
    }

    /// The table as lines joined by newlines, without a trailing newline; columns two spaces apart.
    public func render() -> String {
        let all = [header] + rows
        let columns = all.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in all {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return all.map { row in
            var cells: [String] = []
            for index in 0..<columns {
                let cell = index < row.count ? row[index] : ""
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                cells.append(rightAligned.contains(index) ? pad + cell : cell + pad)
            }
            return String(cells.joined(separator: "  ").reversed().drop(while: { $0 == " " }).reversed())
        }.joined(separator: "\n")
    }
}
