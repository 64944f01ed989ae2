// How a configured answer or filter value is compared with what a feed holds, and how
// the values a feed did hold are listed when none matched.
//
// Sites copy `Strongly agree` from the examples while their tools answer `strongly
// agree`; an exact comparison stored 0.0% for every month without a word. Comparing
// case-blind and trimmed removes that trap, and listing the values seen turns the
// remaining mismatches (a typo, another wording) into a message a person can act on.
import Foundation
import PioneerKit

/// Case-blind, whitespace-trimmed comparison of answers and filter values.
public enum AnswerMatching {
    /// The form two values are compared in: trimmed of surrounding white space and
    /// case-folded (Unicode case folding, so `ÉTÉ` matches `été`).
    public static func key(_ value: String) -> String {
        let trimmed = value.trimmingWhitespaceFast()
        // ASCII text, the usual case in exports read row by row, needs no Foundation round trip.
        if trimmed.utf8.allSatisfy({ $0 < 0x80 }) { return trimmed.lowercasedFast() }
        return trimmed.folding(options: [.caseInsensitive], locale: nil)
    }

    /// The distinct values in `values`, most frequent first, as a person reads them:
    /// "`strongly agree` ×12, `neither` ×4, blank ×3". Values equal under ``key(_:)``
    /// count together, shown as first written; at most `limit` are named.
    public static func tally(_ values: [String], limit: Int = 8) -> String {
        var tally = ValueTally()
        for value in values { tally.add(value) }
        return tally.description(limit: limit)
    }
}

/// The distinct values of a column counted as they stream past, for ``AnswerMatching/tally(_:limit:)``
/// messages; at most ``distinctLimit`` distinct values are kept, so a column of ids costs
/// bounded memory.
public struct ValueTally: Sendable {
    public static let distinctLimit = 10_000

    private var counts: [String: Int] = [:]
    private var shown: [String: String] = [:]
    private var order: [String] = []
    /// Values not counted once the limit was reached.
    private var overflow = 0

    public init() {}

    public mutating func add(_ value: String) {
        let key = AnswerMatching.key(value)
        if let count = counts[key] {
            counts[key] = count + 1
            return
        }
        guard order.count < Self.distinctLimit else {
            overflow += 1
            return
        }
        order.append(key)
        shown[key] = value.trimmingWhitespaceFast()
        counts[key] = 1
    }

    /// "`strongly agree` ×12, `neither` ×4, blank ×3", most frequent first, at most `limit` named.
    public func description(limit: Int = 8) -> String {
        let ranked = order.enumerated().sorted { a, b in
            let (countA, countB) = (counts[a.element] ?? 0, counts[b.element] ?? 0)
            return countA != countB ? countA > countB : a.offset < b.offset
        }.map(\.element)
        var parts = ranked.prefix(limit).map { key -> String in
            let text = shown[key] ?? key
            let name = text.isEmpty ? "blank" : "`\(text.count > 40 ? String(text.prefix(40)) + "…" : text)`"
            return "\(name) ×\(counts[key] ?? 0)"
        }
        if ranked.count > limit {
            let rest = ranked.count - limit
            parts.append(overflow > 0 ? "and more than \(rest) other values"
                                      : "and \(rest) other value\(rest == 1 ? "" : "s")")
        }
        return parts.joined(separator: ", ")
    }
}
