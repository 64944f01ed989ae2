// A CSV export read into a header and rows, with errors that name the row.
//
// A small RFC 4180 reader rather than SwiftCSV: SwiftCSV 0.10 accepts a quoted field
// left open at the end of the text without complaint, drops leading spaces of
// unquoted fields, and its errors ("Can't have non-quote here", "me_irl") say neither
// the row nor the file, which a person fixing an export needs.
import PioneerKit

/// A parsed CSV text: a header row, then data rows of the same width.
///
/// Accepted input:
/// - a UTF-8 byte-order mark at the start (skipped);
/// - `,`, `;` or tab between fields, detected from the header line unless given;
/// - CRLF, LF or CR line ends, mixed freely;
/// - fields in double quotes, which may hold separators, line breaks and `""` for a quote;
/// - empty lines, which are skipped.
///
/// Rows are numbered as a spreadsheet shows them: the header is row 1, the first
/// data row is row 2, an empty line still takes a number, and a quoted line break
/// does not start a new row.
public struct CSVTable: Sendable, Hashable {
    /// The character between fields.
    public enum Delimiter: String, Sendable, Hashable, CaseIterable {
        case comma = ","
        case semicolon = ";"
        case tab = "tab"

        /// The character itself.
        public var character: Character {
            switch self {
            case .comma: return ","
            case .semicolon: return ";"
            case .tab: return "\t"
            }
        }

        /// Reads a configured delimiter: `,`, `;`, `tab` or a tab character; nil for anything else.
        public init?(setting text: String) {
            switch text {
            case ",": self = .comma
            case ";": self = .semicolon
            case "tab", "\t": self = .tab
            default: return nil
            }
        }

        /// The delimiter that occurs most often outside quotes in `line` (comma on a tie or when none does).
        public static func detect(inHeader line: Substring) -> Delimiter {
            var counts: [Delimiter: Int] = [:]
            var inQuotes = false
            for c in line {
                if c == "\"" { inQuotes.toggle() }
                guard !inQuotes else { continue }
                for delimiter in allCases where delimiter.character == c {
                    counts[delimiter, default: 0] += 1
                }
            }
            return allCases.max { (counts[$0] ?? 0) < (counts[$1] ?? 0) }
                .flatMap { (counts[$0] ?? 0) > 0 ? $0 : nil } ?? .comma
        }
    }

    /// Why a CSV text could not be read.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The spreadsheet row number (header = 1) where the problem is, or 0 for the whole text.
        public var row: Int
        /// The 1-based column (field) where the problem is, when it is within one field.
        public var column: Int?
        public var reason: String

        public init(row: Int, column: Int? = nil, reason: String) {
            self.row = row
            self.column = column
            self.reason = reason
        }

        public var description: String {
            guard row > 0 else { return reason }
            return column.map { "row \(row), column \($0): \(reason)" } ?? "row \(row): \(reason)"
        }
    }

    /// Column names as written in the header, trimmed of surrounding spaces.
    public var header: [String]
    /// Data rows, each exactly as wide as the header.
    public var rows: [[String]]
    /// Spreadsheet row numbers of `rows` (header = 1), for messages.
    public var rowNumbers: [Int]
    public var delimiter: Delimiter

    /// Parses `text`; `delimiter` nil means detect it from the header line.
    public init(parsing text: String, delimiter: Delimiter? = nil) throws(ParseError) {
        var reader = CSVRecordReader(delimiter: delimiter)
        var rows: [[String]] = []
        var rowNumbers: [Int] = []
        func keep(_ record: CSVRecord) {
            rows.append((0..<record.count).map(record.field))
            rowNumbers.append(record.row)
        }
        do {
            var text = text
            try text.withUTF8 { bytes in
                try reader.consume(UnsafeRawBufferPointer(bytes), onRecord: keep)
            }
            try reader.finish(onRecord: keep)
        } catch let error as ParseError {
            throw error
        } catch {
            throw ParseError(row: 0, reason: "\(error)")
        }
        self.header = reader.header ?? []
        self.rows = rows
        self.rowNumbers = rowNumbers
        self.delimiter = reader.delimiter ?? .comma
    }

    /// The index of the column called `name` (first one if repeated), ignoring surrounding spaces.
    public func columnIndex(_ name: String) -> Int? {
        let wanted = name.trimmingWhitespaceFast()
        return header.firstIndex(of: wanted)
    }
}
