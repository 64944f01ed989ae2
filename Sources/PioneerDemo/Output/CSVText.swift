// CSV exports as local systems write them: a header row, then one row per record.
import Foundation

/// Builds the text of a CSV export.
///
/// Fields holding the separator, a quote or a line break are quoted, with quotes
/// doubled. The separator and line ending vary by system, as they do in the field:
/// a council's Windows export writes CRLF, a GP extract may use `;`.
struct CSVText: Sendable {
    var separator: Character = ","
    var lineEnding: String = "\n"
    private(set) var text = ""

    init(header: [String], separator: Character = ",", lineEnding: String = "\n") {
        self.separator = separator
        self.lineEnding = lineEnding
        append(header)
    }

    mutating func append(_ fields: [String]) {
        text += fields.map(quoted).joined(separator: String(separator)) + lineEnding
    }

    private func quoted(_ field: String) -> String {
        guard field.contains(separator) || field.contains("\"") || field.contains("\n") || field.contains("\r") else {
            return field
        }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
