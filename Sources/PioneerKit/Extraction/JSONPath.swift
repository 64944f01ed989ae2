// A small, documented subset of JSONPath for picking numbers and records out of feed bodies.
// Telegraf's json_v2 needed 26 fixes for a clever language; this one stays tiny on purpose.

/// A parsed JSONPath expression in Pioneer's subset.
///
/// | syntax | selects |
/// |---|---|
/// | `$` | the whole document |
/// | `.key` | member `key` of an object |
/// | `['key with spaces']` | the same, for any key (`"..."` quotes work too) |
/// | `[0]`, `[-1]` | an array element, counting from the end when negative |
/// | `[*]`, `.*` | every element of an array, or every member value of an object |
/// | `..key` | member `key` of the current value and of everything inside it |
/// | `[?(@.field == 'x')]` | the elements (or member values) for which the filter holds |
///
/// A filter compares `@` followed by `.name` or `['name']` steps with a string
/// (`'x'`, `"x"`) or number literal, using `==`, `!=`, `<`, `<=`, `>` or `>=`, and
/// joins comparisons with `&&`. A number literal compares numerically with numbers
/// and with strings that hold numbers; a string literal compares with strings (the
/// ordering operators compare text, which orders ISO dates correctly). A comparison
/// whose left side is missing, or of the other kind, is false, `!=` included.
///
/// Object members are visited in key order, so results are deterministic.
///
/// ```swift
/// let path = try JSONPath(parsing: "$.data[?(@.age_band == '65+')].admissions")
/// let matches = path.evaluate(document)   // [JSONValue]
/// ```
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    public enum Segment: Sendable, Hashable {
        /// `.key` or `['key']`.
        case member(String)
        /// `[n]`; negative counts from the end.
        case index(Int)
        /// `[*]` or `.*`.
        case wildcard
        /// `..key`.
        case descendant(String)
        /// `[?(...)]`: every comparison must hold.
        case filter([Comparison])
    }

    /// One `@.field op literal` test inside a filter.
    public struct Comparison: Sendable, Hashable {
        public enum Operator: String, Sendable, Hashable, CaseIterable {
            case equal = "=="
            case notEqual = "!="
            case less = "<"
            case lessOrEqual = "<="
            case greater = ">"
            case greaterOrEqual = ">="
        }

        public enum Literal: Sendable, Hashable {
            case string(String)
            case number(Double)
        }

        /// Member names from `@` to the compared value: `@.a.b` is `["a", "b"]`.
        public var field: [String]
        public var op: Operator
        public var literal: Literal

        public init(field: [String], op: Operator, literal: Literal) {
            self.field = field
            self.op = op
            self.literal = literal
        }
    }

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
    public let segments: [Segment]

    /// Parses `expression`, which must start with `$`.
    public init(parsing expression: String) throws(ParseError) {
        var parser = JSONPathParser(expression)
        self.expression = expression
        self.segments = try parser.parse()
    }

    /// `$[*]`: every element of a top-level array.
    public static let everyElement = JSONPath(expression: "$[*]", segments: [.wildcard])

    private init(expression: String, segments: [Segment]) {
        self.expression = expression
        self.segments = segments
    }

    public var description: String { expression }

    /// Every value the path selects in `document`, in document order (object members by key).
    public func evaluate(_ document: JSONValue) -> [JSONValue] {
        var current = [document]
        for segment in segments {
            current = current.flatMap { Self.apply(segment, to: $0) }
        }
        return current
    }

    private static func apply(_ segment: Segment, to value: JSONValue) -> [JSONValue] {
        switch segment {
        case .member(let key):
            return value.objectValue?[key].map { [$0] } ?? []
        case .index(let index):
            guard let array = value.arrayValue else { return [] }
            let position = index < 0 ? array.count + index : index
            return array.indices.contains(position) ? [array[position]] : []
        case .wildcard:
            return children(of: value)
        case .descendant(let key):
            var found: [JSONValue] = []
            collect(key, in: value, into: &found)
            return found
        case .filter(let comparisons):
            return children(of: value).filter { child in
                comparisons.allSatisfy { $0.holds(for: child) }
            }
        }
    }

    /// Array elements, or object member values in key order.
    private static func children(of value: JSONValue) -> [JSONValue] {
        switch value {
        case .array(let array):
            return array
        case .object(let object):
            return object.keys.sorted().compactMap { object[$0] }
        default:
            return []
        }
    }

    private static func collect(_ key: String, in value: JSONValue, into found: inout [JSONValue]) {
        if let object = value.objectValue, let match = object[key] {
            found.append(match)
        }
        for child in children(of: value) {
            collect(key, in: child, into: &found)
        }
    }
}

extension JSONPath.Comparison {
    /// Whether `@` = `candidate` passes this test.
    func holds(for candidate: JSONValue) -> Bool {
        var value = candidate
        for name in field {
            guard let next = value.objectValue?[name] else { return false }
            value = next
        }
        switch literal {
        case .number(let expected):
            guard let actual = value.numberValue, actual.isFinite else { return false }
            return compare(actual, expected)
        case .string(let expected):
            guard let actual = value.stringValue else { return false }
            return compare(actual, expected)
        }
    }

    private func compare<T: Comparable>(_ actual: T, _ expected: T) -> Bool {
        switch op {
        case .equal: return actual == expected
        case .notEqual: return actual != expected
        case .less: return actual < expected
        case .lessOrEqual: return actual <= expected
        case .greater: return actual > expected
        case .greaterOrEqual: return actual >= expected
        }
    }
}
