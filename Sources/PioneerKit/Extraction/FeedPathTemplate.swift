// The placeholders a feed path or query value may hold, checked when a site is loaded.
import Foundation

/// The `{period...}` placeholders of ``FeedRequest`` paths and query values.
///
/// The host fills them in before fetching; plugins use this to reject a misspelt
/// placeholder at configure time rather than on the first collection.
public enum FeedPathTemplate {
    /// Every placeholder name the host fills in, without braces.
    public static let placeholders = [
        "period", "period.start", "period.end", "period.year", "period.month", "period.adx",
    ]

    /// The placeholders in `template` that the host does not know, without braces, in order.
    public static func unknownPlaceholders(in template: String) -> [String] {
        names(in: template).filter { !placeholders.contains($0) }
    }

    /// `template` with every known placeholder replaced by its value for `period` (not URL-encoded).
    public static func fill(_ template: String, period: Period) -> String {
        var text = template
        let values: [(String, String)] = [
            ("period.start", period.start.description),
            ("period.end", period.end.description),
            ("period.year", Period.pad(period.start.year, 4)),
            ("period.month", Period.pad(period.start.month, 2)),
            ("period.adx", period.adxLabel),
            ("period", period.label),
        ]
        for (name, value) in values {
            text = text.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return text
    }

    private static func names(in template: String) -> [String] {
        var result: [String] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else { break }
            result.append(String(after[..<close]))
            rest = after[after.index(after: close)...]
        }
        return result
    }
}
