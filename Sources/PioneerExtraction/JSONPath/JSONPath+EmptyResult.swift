// Saying why a query matched nothing when a filter is the reason: the values the filtered
// members actually hold, so `== '65+'` against a feed of `65-74` and `75+` explains itself.
import Foundation

extension JSONPath {
    /// At most this many distinct values are listed for each member.
    static let hintValueLimit = 5

    /// When a filter found nothing among the candidates it was given, what the members it tests hold:
    /// "`age_band` holds `65-74` ×12, `75+` ×12". Nil when nothing was filtered out, or the query
    /// came up empty for another reason (a missing member, an empty array).
    public func emptyResultHint(in document: JSONValue) -> String? {
        let evaluation = Evaluation(root: document)
        var current = [Node(value: document, location: nil)]
        for segment in query.segments {
            let step = Query(isRelative: false, segments: [segment])
            let next = current.flatMap { evaluation.nodes(step, start: $0, locate: false) }
            guard next.isEmpty else {
                current = next
                continue
            }
            let filters = segment.selectors.compactMap { selector -> LogicalExpression? in
                if case .filter(let expression) = selector { return expression }
                return nil
            }
            guard !segment.isDescendant, !filters.isEmpty else { return nil }
            let candidates = current.flatMap { Evaluation.children(of: $0, locate: false) }.map(\.value)
            guard !candidates.isEmpty else { return nil }
            var tested: [Query] = []
            for filter in filters { Self.collectTested(filter, into: &tested) }
            let hints = tested.prefix(2).map { Self.tally($0, over: candidates, evaluation: evaluation) }
            return hints.isEmpty ? nil : hints.joined(separator: "; ")
        }
        return nil
    }

    /// ``emptyResultHint(in:)`` for a streamed selection: the document rebuilt from the path's
    /// descent around the elements the fan looked at (the first 10,000 of them), so the
    /// message is the one the whole document would give.
    func emptyResultHint(streamed candidates: StreamedCandidates, plan: StreamingPlan) -> String? {
        guard candidates.reached, plan.fan != nil else { return nil }
        var document = JSONValue.array(candidates.sample)
        for step in plan.descent.reversed() {
            switch step {
            case .name(let name):
                document = .object([name: document])
            case .index(let index):
                guard index < 1_000 else { return nil }
                document = .array(Array(repeating: .null, count: index) + [document])
            }
        }
        guard let hint = emptyResultHint(in: document) else { return nil }
        return candidates.truncated ? "\(hint) (among the first \(candidates.sample.count) of \(candidates.total) items)" : hint
    }

    /// The singular queries from `@` a filter tests, each once, in the order written.
    private static func collectTested(_ expression: LogicalExpression, into queries: inout [Query]) {
        func add(_ query: Query) {
            guard query.isRelative, query.isSingular,
                  !queries.contains(where: { describe($0) == describe(query) }) else { return }
            queries.append(query)
        }
        func visit(_ call: FunctionCall) {
            for argument in call.arguments {
                switch argument {
                case .query(let query): add(query)
                case .logical(let inner): collectTested(inner, into: &queries)
                case .function(let inner): visit(inner)
                case .literal: break
                }
            }
        }
        func visit(_ comparable: Comparable) {
            switch comparable {
            case .query(let query): add(query)
            case .function(let call): visit(call)
            case .literal: break
            }
        }
        switch expression {
        case .or(let operands), .and(let operands):
            for operand in operands { collectTested(operand, into: &queries) }
        case .not(let operand):
            collectTested(operand, into: &queries)
        case .comparison(let left, _, let right):
            visit(left)
            visit(right)
        case .exists(let query):
            add(query)
        case .function(let call):
            visit(call)
        }
    }

    /// "`age_band` holds `65-74` ×12, `75+` ×12", capped at ``hintValueLimit`` values.
    private static func tally(_ query: Query, over candidates: [JSONValue], evaluation: Evaluation) -> String {
        var counts: [String: Int] = [:]
        var order: [String] = []
        var missing = 0
        for candidate in candidates {
            guard let value = evaluation.select(query, current: candidate).first else {
                missing += 1
                continue
            }
            let shown = shortDescription(value)
            if counts[shown] == nil { order.append(shown) }
            counts[shown, default: 0] += 1
        }
        let name = describe(query)
        guard !order.isEmpty else {
            return candidates.count == 1 ? "the one item has no `\(name)`" : "none of the \(candidates.count) items has `\(name)`"
        }
        var parts = order.prefix(hintValueLimit).map { "\($0) ×\(counts[$0, default: 0])" }
        if order.count > hintValueLimit {
            let others = order.count - hintValueLimit
            parts.append("and \(others) other value\(others == 1 ? "" : "s")")
        }
        if missing > 0 { parts.append("missing ×\(missing)") }
        return (name == "@" ? "the items are " : "`\(name)` holds ") + parts.joined(separator: ", ")
    }

    /// A relative singular query as a reader names the member: `age_band`, `beds.days`, `items[0]`.
    private static func describe(_ query: Query) -> String {
        var text = ""
        for segment in query.segments {
            switch segment.selectors.first {
            case .name(let name)?: text += (text.isEmpty ? "" : ".") + name
            case .index(let index)?: text += "[\(index)]"
            default: break
            }
        }
        return text.isEmpty ? "@" : text
    }

    /// Whether `text` is a JSON number as written (`2`, `-0.5`, `1e3`).
    private static func readsAsNumber(_ text: String) -> Bool {
        guard text.utf8.count < 40, case .number? = try? JSONValue(parsing: Data(text.utf8)) else { return false }
        return true
    }

    /// A value in a list: `` `65-74` ``, `` `12` ``, `true`, `null`, `an object`.
    private static func shortDescription(_ value: JSONValue) -> String {
        switch value {
        case .string(let text):
            // A string that reads as a number or literal keeps its quotes: `"2"` is not `2`, and a
            // filter comparing with 2 matches neither it nor, unquoted, would it seem not to.
            if ["true", "false", "null"].contains(text) || Self.readsAsNumber(text) {
                return "`\"\(text)\"` (a string)"
            }
            return "`" + (text.count > 30 ? String(text.prefix(30)) + "…" : text) + "`"
        case .number(let number):
            if number == number.rounded(), abs(number) < 1e15 { return "`\(Int(number))`" }
            return "`\(number)`"
        case .bool(let flag):
            return "`\(flag)`"
        case .null:
            return "`null`"
        case .array:
            return "an array"
        case .object:
            return "an object"
        }
    }
}
