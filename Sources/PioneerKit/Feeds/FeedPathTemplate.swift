// The placeholders a feed path or query value may hold and their values for a period, and the `..` rule for paths.
import Foundation

/// The `{period...}` placeholders of ``FeedRequest`` paths and query values, and the
/// rule that a path stays under its feed's `base_url`.
///
/// The host fills them in before fetching, with ``url(base:path:query:values:)``;
/// plugins use this to reject a misspelt placeholder at configure time rather than on
/// the first collection.
public enum FeedPathTemplate {
    /// Every placeholder name the host fills in, without braces, in the order messages list them.
    public static let placeholders = table.map(\.name)

    /// The one table of placeholders and their values for a period: site validation,
    /// the host's URLs and `PluginHarness` all read it, so they cannot disagree.
    private static let table: [(name: String, value: @Sendable (Period) -> String)] = [
        ("period", { $0.label }),
        ("period.start", { $0.start.description }),
        ("period.end", { $0.end.description }),
        ("period.year", { Period.pad($0.start.year, 4) }),
        ("period.month", { Period.pad($0.start.month, 2) }),
        ("period.adx", { $0.adxLabel }),
    ]

    /// The value of every placeholder for `period`, by name without braces (not URL-encoded).
    public static func values(for period: Period) -> [String: String] {
        Dictionary(uniqueKeysWithValues: table.map { ($0.name, $0.value(period)) })
    }

    /// The placeholders in `template` that the host does not know, without braces, in order.
    public static func unknownPlaceholders(in template: String) -> [String] {
        names(in: template).filter { !placeholders.contains($0) }
    }

    /// Whether the path part of `template` (before any `?` or `#`) climbs above its start
    /// with `..` segments, and so out of the feed's `base_url`.
    ///
    /// Percent escapes are decoded first and `\` counts as a `/`, because servers differ
    /// in what they decode and normalise: `%2e%2e`, `.%2E` and `..%2f` all climb. A `..`
    /// that stays inside (`reports/../admissions`) is allowed; an empty segment never
    /// counts as a level, so `a//../..` climbs.
    public static func climbsOutOfBase(_ template: String) -> Bool {
        let path = template.utf8.prefix { $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
        var depth = 0
        for segment in percentDecoded(path).split(omittingEmptySubsequences: false, whereSeparator: {
            $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\")
        }) {
            if segment.elementsEqual("..".utf8) {
                depth -= 1
                if depth < 0 { return true }
            } else if !segment.isEmpty, !segment.elementsEqual(".".utf8) {
                depth += 1
            }
        }
        return false
    }

    /// `bytes` with every `%XX` escape decoded; a `%` not followed by two hex digits stays.
    private static func percentDecoded<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        let bytes = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
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
