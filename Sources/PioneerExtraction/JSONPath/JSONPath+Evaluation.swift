// Running a parsed query over a document as RFC 9535 §2.3-§2.5 define: segments in turn,
// each selector on each input node, filters with the standard's comparison rules.

extension JSONPath {
    /// One evaluation of a query against one document.
    struct Evaluation {
        let root: JSONValue
        let regexps = IRegexpCache()
        /// The most nodes one step of a query may hold; past it the evaluation stops, empty,
        /// and says so in `budget`. `..*..*` on a 22 KB document held gigabytes.
        let budget: NodeBudget

        init(root: JSONValue, nodeLimit: Int = .max) {
            self.root = root
            budget = NodeBudget(limit: nodeLimit)
        }

        /// The nodes `query` selects; with `locate`, each knows where it is for its normalized path.
        func nodes(_ query: Query, start: Node, locate: Bool) -> [Node] {
            if query.isSingular { return singularNode(query, start: start, locate: locate).map { [$0] } ?? [] }
            var current = [start]
            for segment in query.segments {
                var next: [Node] = []
                for node in current {
                    if segment.isDescendant {
                        descend(node, selectors: segment.selectors, locate: locate, into: &next)
                    } else {
                        for selector in segment.selectors {
                            apply(selector, to: node, locate: locate, into: &next)
                        }
                    }
                    // One input node adds at most the document's own nodes; the products of
                    // several `..` or `*` are what grow without bound.
                    if next.count > budget.limit {
                        budget.exceeded = true
                        return []
                    }
                }
                current = next
            }
            return current
        }

        /// The one node a singular query selects, or nil: no node lists on the way, as a filter
        /// runs such a query for every element of a large array.
        func singularNode(_ query: Query, start: Node, locate: Bool) -> Node? {
            var node = start
            for segment in query.segments {
                switch segment.selectors[0] {
                case .name(let name):
                    guard let value = Self.member(name, of: node.value) else { return nil }
                    node = node.child(value, .name(name), locate: locate)
                case .index(let index):
                    guard let (position, value) = Self.element(index, of: node.value) else { return nil }
                    node = node.child(value, .index(position), locate: locate)
                default:
                    return nil
                }
            }
            return node
        }

        /// The value of a singular query (one a comparison may hold), or nil for nothing.
        private func singularValue(_ query: Query, current: JSONValue) -> JSONValue? {
            var value = query.isRelative ? current : root
            for segment in query.segments {
                switch segment.selectors[0] {
                case .name(let name):
                    guard let member = Self.member(name, of: value) else { return nil }
                    value = member
                case .index(let index):
                    guard let (_, element) = Self.element(index, of: value) else { return nil }
                    value = element
                default:
                    return nil
                }
            }
            return value
        }

        /// Member `name` of an object.
        private static func member(_ name: String, of value: JSONValue) -> JSONValue? {
            // Swift's dictionary finds canonically equivalent keys too ("é" written two ways);
            // the standard compares names code point by code point, as comparing their UTF-8 does.
            guard case .object(let object) = value, let index = object.index(forKey: name),
                  object[index].key.utf8.elementsEqual(name.utf8) else { return nil }
            return object[index].value
        }

        /// Element `index` of an array (from the end when negative), with its position.
        private static func element(_ index: Int, of value: JSONValue) -> (Int, JSONValue)? {
            guard case .array(let array) = value else { return nil }
            let position = index < 0 ? array.count + index : index
            guard array.indices.contains(position) else { return nil }
            return (position, array[position])
        }

        let absoluteResults = AbsoluteQueryCache()

        /// The values a filter's query selects, `@` being `current`.
        func select(_ query: Query, current: JSONValue) -> [JSONValue] {
            if let slot = query.cacheSlot, let known = absoluteResults.values[slot] {
                return known
            }
            let start = Node(value: query.isRelative ? current : root, location: nil)
            let values = nodes(query, start: start, locate: false).map(\.value)
            if let slot = query.cacheSlot {
                absoluteResults.values[slot] = values
            }
            return values
        }

        /// `..`: the selectors applied to `node` and then to each descendant, parents before children.
        private func descend(_ node: Node, selectors: [Selector], locate: Bool, into found: inout [Node]) {
            for selector in selectors {
                apply(selector, to: node, locate: locate, into: &found)
            }
            for child in Self.children(of: node, locate: locate) {
                descend(child, selectors: selectors, locate: locate, into: &found)
            }
        }

        private func apply(_ selector: Selector, to node: Node, locate: Bool, into found: inout [Node]) {
            switch selector {
            case .name(let name):
                guard let value = Self.member(name, of: node.value) else { return }
                found.append(node.child(value, .name(name), locate: locate))
            case .wildcard:
                found += Self.children(of: node, locate: locate)
            case .index(let index):
                guard let (position, value) = Self.element(index, of: node.value) else { return }
                found.append(node.child(value, .index(position), locate: locate))
            case .slice(let start, let end, let step):
                guard case .array(let array) = node.value else { return }
                for position in Self.slice(count: array.count, start: start, end: end, step: step) {
                    found.append(node.child(array[position], .index(position), locate: locate))
                }
            case .filter(let expression):
                for child in Self.children(of: node, locate: locate) where holds(expression, current: child.value) {
                    found.append(child)
                }
            }
        }

        /// Array elements in order, or object members in key order (the standard leaves member order open).
        static func children(of node: Node, locate: Bool) -> [Node] {
            switch node.value {
            case .array(let array):
                return array.enumerated().map { node.child($1, .index($0), locate: locate) }
            case .object(let object):
                return object.sorted { $0.key < $1.key }.map { node.child($0.value, .name($0.key), locate: locate) }
            default:
                return []
            }
        }

        /// The indices `[start:end:step]` selects from `count` elements (§2.3.4.2.2).
        static func slice(count: Int, start: Int?, end: Int?, step: Int?) -> [Int] {
            let step = step ?? 1
            guard step != 0, count > 0 else { return [] }
            func normalized(_ index: Int) -> Int { index >= 0 ? index : count + index }
            let start = start.map(normalized) ?? (step > 0 ? 0 : count - 1)
            let end = end.map(normalized) ?? (step > 0 ? count : -1)
            var indices: [Int] = []
            if step > 0 {
                let lower = min(max(start, 0), count)
                let upper = min(max(end, 0), count)
                var index = lower
                while index < upper {
                    indices.append(index)
                    index += step
                }
            } else {
                let upper = min(max(start, -1), count - 1)
                let lower = min(max(end, -1), count - 1)
                var index = upper
                while lower < index {
                    indices.append(index)
                    index += step
                }
            }
            return indices
        }

        // MARK: Filters

        func holds(_ expression: LogicalExpression, current: JSONValue) -> Bool {
            switch expression {
            case .or(let operands):
                return operands.contains { holds($0, current: current) }
            case .and(let operands):
                return operands.allSatisfy { holds($0, current: current) }
            case .not(let operand):
                return !holds(operand, current: current)
            case .comparison(let left, let op, let right):
                return Self.compare(value(of: left, current: current), op, value(of: right, current: current))
            case .exists(let query):
                return !select(query, current: current).isEmpty
            case .function(let call):
                return holds(call, current: current)
            }
        }

        /// A comparable's value, or nil for "nothing" (an empty node list, or a function with no result).
        private func value(of comparable: Comparable, current: JSONValue) -> JSONValue? {
            switch comparable {
            case .literal(let value):
                return value
            case .query(let query):
                return query.isSingular ? singularValue(query, current: current) : select(query, current: current).first
            case .function(let call):
                return value(of: call, current: current)
            }
        }

        /// §2.3.5.2.2: nothing equals only nothing; `<` holds between two numbers or two strings only.
        static func compare(_ left: JSONValue?, _ op: ComparisonOperator, _ right: JSONValue?) -> Bool {
            switch op {
            case .equal: return equal(left, right)
            case .notEqual: return !equal(left, right)
            case .less: return less(left, right)
            case .greater: return less(right, left)
            case .lessOrEqual: return less(left, right) || equal(left, right)
            case .greaterOrEqual: return less(right, left) || equal(left, right)
            }
        }

        static func equal(_ left: JSONValue?, _ right: JSONValue?) -> Bool {
            switch (left, right) {
            case (nil, nil): return true
            case (let left?, let right?): return deepEqual(left, right)
            default: return false
            }
        }

        /// Equality of JSON values: numbers by value, strings scalar by scalar (not by canonical
        /// equivalence, as Swift's `==` would; equal UTF-8 is equal scalars), arrays element-wise,
        /// objects member-wise.
        static func deepEqual(_ left: JSONValue, _ right: JSONValue) -> Bool {
            switch (left, right) {
            case (.null, .null): return true
            case (.bool(let a), .bool(let b)): return a == b
            case (.number(let a), .number(let b)): return a == b
            case (.string(let a), .string(let b)): return a.utf8.elementsEqual(b.utf8)
            case (.array(let a), .array(let b)):
                return a.count == b.count && zip(a, b).allSatisfy { deepEqual($0, $1) }
            case (.object(let a), .object(let b)):
                return a.count == b.count && a.allSatisfy { key, value in b[key].map { deepEqual(value, $0) } ?? false }
            default: return false
            }
        }

        private static func less(_ left: JSONValue?, _ right: JSONValue?) -> Bool {
            switch (left, right) {
            case (.number(let a)?, .number(let b)?): return a < b
            case (.string(let a)?, .string(let b)?): return a.utf8.lexicographicallyPrecedes(b.utf8)
            default: return false
            }
        }
    }
}

/// What each `$` query inside a filter selected, keyed by its slot; one per evaluation.
/// How many nodes one step of an evaluation may hold, and whether one went past it.
final class NodeBudget {
    let limit: Int
    var exceeded = false

    init(limit: Int) {
        self.limit = limit
    }
}

final class AbsoluteQueryCache {
    var values: [Int: [JSONValue]] = [:]
}
