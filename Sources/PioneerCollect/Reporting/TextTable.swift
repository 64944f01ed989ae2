// Plain-text tables with aligned columns, for summaries a person reads in a terminal.
// Every command's table goes through this one renderer.

/// Columns of text, padded to line up; numbers right-aligned.
///
/// ```swift
/// var table = TextTable(["INDICATOR", "COLLECTED"], rightAligned: [1])
/// table.add(["emergency-admissions-65", "6"])
/// print(table.render())
/// ```
///
/// A table without a header (an empty one) renders only its rows.
public struct TextTable: Sendable {
    public var header: [String]
    public var rows: [[String]] = []
    /// Indices of columns aligned to the right.
    public var rightAligned: Set<Int>
    /// The narrowest each column may be, by index, so that tables printed one after
    /// another line up; a longer cell still widens its column.
    public var minimumWidths: [Int: Int] = [:]
    /// Put before every line.
    public var indent = ""

    public init(_ header: [String] = [], rightAligned: Set<Int> = []) {
        self.header = header
        self.rightAligned = rightAligned
    }

    public mutating func add(_ row: [String]) {
        rows.append(row)
    }

    /// The table as lines joined by newlines, without a trailing newline; columns two spaces apart.
    public func render() -> String {
        lines().joined(separator: "\n")
    }

    /// The table's lines, the header's first when there is one; trailing spaces removed.
    public func lines() -> [String] {
        let all = (header.isEmpty ? [] : [header]) + rows
        let columns = all.map(\.count).max() ?? 0
        var widths = (0..<columns).map { minimumWidths[$0] ?? 0 }
        for row in all {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], Self.width(cell)) }
        }
        return all.map { row in
            var line = indent
            for index in 0..<columns {
                let cell = index < row.count ? row[index] : ""
                let pad = String(repeating: " ", count: widths[index] - Self.width(cell))
                if index > 0 { line += "  " }
                line += rightAligned.contains(index) ? pad + cell : cell + pad
            }
            // A space is a character of its own, never part of one before it.
            while line.utf8.last == UInt8(ascii: " ") { line.removeLast() }
            return line
        }
    }

    /// A cell's width on screen: characters, less the terminal's colour codes (`ESC [ … m`).
    public static func width(_ cell: String) -> Int {
        var width = 0
        var inEscape = false
        for character in cell {
            if character == "\u{1B}" { inEscape = true; continue }
            if inEscape { if character == "m" { inEscape = false }; continue }
            width += 1
        }
        return width
    }
}
