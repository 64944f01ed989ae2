// The parsed form of a JSONPath query (RFC 9535 §2): segments of selectors, and the
// well-typed filter expressions the parser has already checked.

extension JSONPath {
    /// `$...` or, inside a filter, `@...`.
    struct Query: Sendable {
        /// Whether the query starts at `@` (the filter's current node) rather than `$`.
        var isRelative: Bool
        var segments: [Segment]
        /// For a `$` query inside a filter: its slot in the evaluation's cache, since its
        /// nodes are the same for every candidate (no quadratic `$..` inside a filter).
        var cacheSlot: Int?

        /// A query that selects at most one node: only name and index selectors, one per child segment.
        var isSingular: Bool {
            segments.allSatisfy { segment in
                guard !segment.isDescendant, segment.selectors.count == 1 else { return false }
                switch segment.selectors[0] {
                case .name, .index: return true
                default: return false
                }
            }
        }
    }

    /// `[...]` or `.name` (a child segment), or the same after `..` (a descendant segment).
    struct Segment: Sendable {
        var isDescendant: Bool
        var selectors: [Selector]
    }

    enum Selector: Sendable {
        case name(String)
        case wildcard
        case index(Int)
        case slice(start: Int?, end: Int?, step: Int?)
        case filter(LogicalExpression)
    }

    /// A filter's test: true or false for each candidate node.
    indirect enum LogicalExpression: Sendable {
        case or([LogicalExpression])
        case and([LogicalExpression])
        case not(LogicalExpression)
        case comparison(Comparable, ComparisonOperator, Comparable)
        /// A query used as a test: true when it selects at least one node.
        case exists(Query)
        /// A function whose result is a logical value, or a node list tested for being non-empty.
        case function(FunctionCall)
    }

    /// One side of a comparison: something that yields one value or nothing.
    enum Comparable: Sendable {
        case literal(JSONValue)
        /// A singular query: its one node's value, or nothing.
        case query(Query)
        /// A function whose result is a value.
        case function(FunctionCall)
    }

    enum ComparisonOperator: String, Sendable, CaseIterable {
        case equal = "=="
        case notEqual = "!="
        case lessOrEqual = "<="
        case greaterOrEqual = ">="
        case less = "<"
        case greater = ">"
    }

    /// A call of one of the standard's function extensions, its arguments checked against its parameters.
    struct FunctionCall: Sendable {
        var function: Function
        var arguments: [Argument]
    }

    /// A function argument, already known to fit the parameter it is passed to.
    indirect enum Argument: Sendable {
        case literal(JSONValue)
        case query(Query)
        case logical(LogicalExpression)
        case function(FunctionCall)
    }
}
