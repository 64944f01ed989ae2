// The function extensions RFC 9535 §2.4 defines (length, count, match, search, value) and
// the type system that decides, while parsing, where each may be used.

extension JSONPath {
    /// The three types of §2.4.1: what an expression yields, and so where it may stand.
    enum ExpressionType: Sendable, Equatable {
        /// One JSON value or nothing: comparable.
        case value
        /// True or false: testable.
        case logical
        /// A list of nodes: testable (non-empty), or passed to `count()` and `value()`.
        case nodes

        var described: String {
            switch self {
            case .value: return "a value"
            case .logical: return "true or false"
            case .nodes: return "a list of nodes"
            }
        }
    }

    enum Function: String, Sendable, CaseIterable {
        case length, count, match, search, value

        var parameters: [ExpressionType] {
            switch self {
            case .length: return [.value]
            case .count, .value: return [.nodes]
            case .match, .search: return [.value, .value]
            }
        }

        var result: ExpressionType {
            switch self {
            case .length, .count, .value: return .value
            case .match, .search: return .logical
            }
        }

        /// How the function is written, for messages: `match(value, pattern)`.
        var signature: String {
            switch self {
            case .length: return "length(value)"
            case .count: return "count(query)"
            case .match: return "match(string, pattern)"
            case .search: return "search(string, pattern)"
            case .value: return "value(query)"
            }
        }
    }
}

extension JSONPath.Evaluation {
    /// The value a value-typed function returns, or nil for "nothing".
    func value(of call: JSONPath.FunctionCall, current: JSONValue) -> JSONValue? {
        switch call.function {
        case .length:
            switch argumentValue(call.arguments[0], current: current) {
            case .string(let text)?: return .number(Double(text.unicodeScalars.count))
            case .array(let array)?: return .number(Double(array.count))
            case .object(let object)?: return .number(Double(object.count))
            default: return nil
            }
        case .count:
            return .number(Double(argumentNodes(call.arguments[0], current: current).count))
        case .value:
            let nodes = argumentNodes(call.arguments[0], current: current)
            return nodes.count == 1 ? nodes[0] : nil
        case .match, .search:
            // Logical functions are never compared: the parser refuses `match(...) == true`.
            return nil
        }
    }

    /// The result of a logical-typed function.
    func holds(_ call: JSONPath.FunctionCall, current: JSONValue) -> Bool {
        switch call.function {
        case .match, .search:
            guard case .string(let text)? = argumentValue(call.arguments[0], current: current),
                  case .string(let pattern)? = argumentValue(call.arguments[1], current: current),
                  let regexp = regexps.compiled(pattern) else { return false }
            return call.function == .match ? regexp.matchesWhole(text) : regexp.matchesPart(text)
        case .length, .count, .value:
            // Value functions are never tests on their own: the parser refuses `?length(@)`.
            return false
        }
    }

    private func argumentValue(_ argument: JSONPath.Argument, current: JSONValue) -> JSONValue? {
        switch argument {
        case .literal(let value):
            return value
        case .query(let query):
            let nodes = select(query, current: current)
            return nodes.count == 1 ? nodes[0] : nil
        case .function(let call):
            return value(of: call, current: current)
        case .logical:
            return nil
        }
    }

    private func argumentNodes(_ argument: JSONPath.Argument, current: JSONValue) -> [JSONValue] {
        guard case .query(let query) = argument else { return [] }
        return select(query, current: current)
    }
}

/// Patterns compiled once per evaluation: a pattern read from the document repeats for every candidate.
final class IRegexpCache {
    private var compiledPatterns: [String: IRegexp?] = [:]

    /// The compiled pattern, or nil when it is not a valid I-Regexp (then match and search are false).
    func compiled(_ pattern: String) -> IRegexp? {
        if let known = compiledPatterns[pattern] { return known }
        let regexp = try? IRegexp(pattern)
        compiledPatterns[pattern] = regexp
        return regexp
    }
}
