// JSONPath as RFC 9535 defines it, for picking numbers and records out of feed bodies.
// The standard's compliance suite runs in the tests (JSONPathComplianceTests), every case.
import PioneerKit

/// A parsed RFC 9535 JSONPath query.
///
/// | syntax | selects |
/// |---|---|
/// | `$` | the whole document |
/// | `.name`, `['name']`, `["name"]` | member `name` of an object |
/// | `[0]`, `[-1]` | an array element, counting from the end when negative |
/// | `[1:3]`, `[::-1]`, `[-2:]` | a slice of an array: start, end (excluded), step |
/// | `[*]`, `.*` | every element of an array, or every member value of an object |
/// | `['a', 0, 1:3]` | the union of several selectors, in order |
/// | `..name`, `..*`, `..[0]` | the same selectors applied at every depth |
/// | `[?@.band == '65+' \|\| !@.closed]` | the elements (or member values) for which the filter holds |
///
/// A filter combines tests with `&&`, `||`, `!` and parentheses. A test compares two of:
/// literals (`'text'`, `12`, `true`, `false`, `null`), singular queries from `@` or `$`
/// (`@.beds.days`, `$.limit`), and `length()`, `count()` or `value()`; or checks that a
/// query selects something (`@.site`); or calls `match()` or `search()` with an I-Regexp.
/// Comparisons follow the standard: numbers with numbers, strings with strings (`<` orders
/// by code point, which orders ISO dates), arrays and objects by deep equality; a missing
/// value equals only another missing value. The older `[?(@.x == 'y')]` is the same filter in
/// parentheses and reads as before.
///
/// Object members are visited in key order, so results are deterministic.
///
/// ```swift
/// let path = try JSONPath(parsing: "$.data[?@.age_band == '65-74' || @.age_band == '75+'].admissions")
/// let matches = path.evaluate(document)   // [JSONValue]
/// ```
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// Why a JSONPath expression could not be read, with the position of the offending character.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The expression as written.
        public var expression: String
        /// 1-based position of the offending character (one past the end for "ended too soon").
        public var position: Int
        public var reason: String

        public init(expression: String, position: Int, reason: String) {
            self.expression = expression
            self.position = position
            self.reason = reason
        }

        public var description: String {
            "invalid JSONPath `\(expression)` at character \(position): \(reason)"
        }
    }

    /// The expression as written.
    public let expression: String
    let query: Query

    /// Parses `expression`, which must start with `$`.
    public init(parsing expression: String) throws(ParseError) {
        var parser = JSONPathParser(expression)
        self.expression = expression
        self.query = try parser.parse()
    }

    /// `$[*]`: every element of a top-level array.
    public static let everyElement = JSONPath(
        expression: "$[*]", query: Query(isRelative: false, segments: [Segment(isDescendant: false, selectors: [.wildcard])]))

    init(expression: String, query: Query) {
        self.expression = expression
        self.query = query
    }

    public var description: String { expression }

    public static func == (left: JSONPath, right: JSONPath) -> Bool {
        left.expression == right.expression
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(expression)
    }

    /// Every value the path selects in `document`, in document order (object members by key).
    public func evaluate(_ document: JSONValue) -> [JSONValue] {
        Evaluation(root: document).select(query, current: document)
    }

    /// Every node the path selects in `document`, each with its normalized path for messages.
    public func nodes(in document: JSONValue) -> [Node] {
        Evaluation(root: document).nodes(query, start: Node(value: document, location: .root), locate: true)
    }

    /// ``nodes(in:)``, stopping when a step of the query holds more than `limit` nodes (a
    /// path such as `$..*..*` multiplies a document's nodes by themselves).
    public func nodes(in document: JSONValue, atMost limit: Int) throws(NodeLimitExceeded) -> [Node] {
        let evaluation = Evaluation(root: document, nodeLimit: limit)
        let found = evaluation.nodes(query, start: Node(value: document, location: .root), locate: true)
        if evaluation.budget.exceeded { throw NodeLimitExceeded(limit: limit) }
        return found
    }

    /// A query stopped for holding more nodes than its limit at one step.
    public struct NodeLimitExceeded: Error, Sendable, Hashable {
        public var limit: Int
    }

    /// The most nodes the built-in plugins let one step of a query hold.
    public static let nodeLimit = 2_000_000

    /// The message for a query stopped at `limit` nodes in the body of `url`.
    static func tooManyNodes(_ path: JSONPath, limit: Int, url: String) -> PluginError {
        PluginError("`\(path)` selects more than \(formatNumber(Double(limit), decimals: 0)) values along the way in \(url) "
                    + "(each `..` or `*` multiplies what the step before it selected); name the members to follow instead")
    }
}
