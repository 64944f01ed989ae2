// Writing RFC 4180 CSV for every command's `--format csv`: one quoting rule, one number form.
import Foundation

public enum CSVText {
    /// Rows joined with commas and line feeds, ending with a line feed.
    public static func lines(_ rows: [[String]]) -> String {
        rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// A field, quoted when it holds a comma, a quote or a line break.
    public static func field(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A number for scripts: whole numbers without a decimal point, others in Swift's
    /// shortest exact form; empty when absent or not finite.
    public static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
