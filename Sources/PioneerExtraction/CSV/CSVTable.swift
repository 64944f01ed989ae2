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
        public var reason: String

        public init(row: Int, reason: String) {
            self.row = row
            self.reason = reason
        }

        public var description: String {
            row > 0 ? "row \(row): \(reason)" : reason
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
        var body = Substring(text)
        if body.first == "\u{FEFF}" { body = body.dropFirst() }
        let firstLine = body.prefix { !$0.isNewline }
        let chosen = delimiter ?? Delimiter.detect(inHeader: firstLine)
        var records = try Self.records(in: body, delimiter: chosen.character)
        guard !records.isEmpty else {
            throw ParseError(row: 0, reason: "the text is empty; expected a header row naming the columns")
        }
        let header = records.removeFirst().fields.map { $0.trimmingWhitespaceFast() }
        for record in records where record.fields.count != header.count {
            let count = record.fields.count
            throw ParseError(row: record.row, reason: "has \(count) field\(count == 1 ? "" : "s") but the header has \(header.count) column\(header.count == 1 ? "" : "s") (separator `\(chosen.rawValue)`)")
        }
        self.header = header
        self.rows = records.map(\.fields)
        self.rowNumbers = records.map(\.row)
        self.delimiter = chosen
    }

    /// The index of the column called `name` (first one if repeated), ignoring surrounding spaces.
    public func columnIndex(_ name: String) -> Int? {
        let wanted = name.trimmingWhitespaceFast()
        return header.firstIndex(of: wanted)
    }

    /// Splits the text into records of fields, each with its spreadsheet row number.
    /// Walks Unicode scalars so that CR and LF are seen separately (Swift treats CRLF
    /// as one Character).
    private static func records(in text: Substring, delimiter: Character) throws(ParseError) -> [(row: Int, fields: [String])] {
        let separator = delimiter.unicodeScalars.first ?? ","
        let scalars = Array(text.unicodeScalars)
        var records: [(row: Int, fields: [String])] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var index = 0
        var row = 1
        var atFieldStart = true
        var lineHasContent = false

        func endField() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
        }
        func endLine() {
            // A line with nothing on it still counts as a spreadsheet row, but holds no record.
            if lineHasContent {
                endField()
                records.append((row, fields))
            }
            row += 1
            fields = []
            atFieldStart = true
            lineHasContent = false
        }

        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if scalar == "\"" && atFieldStart {
                // A quoted field runs to the next quote that is not doubled, across line breaks.
                atFieldStart = false
                lineHasContent = true
                var closed = false
                while index < scalars.count {
                    let inner = scalars[index]
                    index += 1
                    if inner != "\"" {
                        field.append(inner)
                    } else if index < scalars.count && scalars[index] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        closed = true
                        break
                    }
                }
                guard closed else {
                    throw ParseError(row: row, reason: "a quoted field is not closed: it starts with `\"` but no closing `\"` follows")
                }
                if index < scalars.count {
                    let next = scalars[index]
                    guard next == separator || next == "\n" || next == "\r" else {
                        throw ParseError(row: row, reason: "unexpected `\(Character(next))` after the closing quote of a field; a quote inside a quoted field is written `\"\"`")
                    }
                }
                continue
            }
            switch scalar {
            case separator:
                endField()
                atFieldStart = true
                lineHasContent = true
            case "\r":
                if index < scalars.count && scalars[index] == "\n" { index += 1 }
                endLine()
            case "\n":
                endLine()
            default:
                field.append(scalar)
                atFieldStart = false
                lineHasContent = true
            }
        }
        endLine()
        return records
    }
}
