// The usual shape of a streamed extract, `$.data[?@.band == '75-84' || @.band == '85+'].admissions`,
// run on each element's bytes: the members the filter and the path read are picked out of the
// element, strings compared as bytes with the filter's literals, and only the selected value
// built. A million-row export is read without a dictionary or string per row. Any element
// this cannot judge (not an object, cut by the end of the bytes in hand, an error in it) is
// read and judged the general way, which also writes any message.

extension JSONPath {
    /// A fan's filter (or `[*]`) and the one member name after it, compiled for streamed elements.
    ///
    /// Compiles when the filter combines, with `&&`, `||`, `!` and parentheses, comparisons of
    /// one member of the element (`@.band`) with a literal and tests that a member exists; the
    /// comparisons follow RFC 9535 §2.3.5.2.2 as ``Evaluation/compare(_:_:_:)`` does.
    final class ElementFilter: Sendable {
        /// The members read, each a slot of the ``JSONMemberValue``s of an element.
        let members: JSONMemberSet
        private let test: Test
        /// The slot of the member the path selects, and its name.
        private let selected: Int
        let selectedName: String

        indirect enum Test: Sendable {
            case constant(Bool)
            case or([Test])
            case and([Test])
            case not(Test)
            case exists(slot: Int)
            case compare(slot: Int, ComparisonOperator, Literal)
        }

        /// A literal of the filter, with its UTF-8 when it is a string.
        struct Literal: Sendable {
            let value: JSONValue
            let utf8: [UInt8]?

            init(_ value: JSONValue) {
                self.value = value
                utf8 = value.stringValue.map { Array($0.utf8) }
            }
        }

        /// nil when the selector and `rest` are not of the shape compiled.
        init?(selector: Selector, rest: [Segment]) {
            guard rest.count == 1, !rest[0].isDescendant, rest[0].selectors.count == 1,
                  case .name(let name) = rest[0].selectors[0] else { return nil }
            var names = [name]
            let test: Test?
            switch selector {
            case .wildcard: test = .constant(true)
            case .filter(let expression): test = Self.compile(expression, names: &names)
            default: test = nil
            }
            guard let test else { return nil }
            // `names` holds each name once, so a name's place in it is its slot.
            members = JSONMemberSet(names)
            self.test = test
            selected = 0
            selectedName = name
        }

        /// The element at the start of `bytes` judged: the value selected (nil when the element
        /// fails the filter or has no such member) and the bytes it took; nil when it cannot be
        /// judged here.
        func apply(to bytes: UnsafeBufferPointer<UInt8>, depth: Int) -> (selected: JSONValue?, count: Int)? {
            withUnsafeTemporaryAllocation(of: JSONMemberValue.self, capacity: members.count) { found in
                found.initialize(repeating: .absent)
                defer { found.deinitialize() }
                guard let count = JSONParser.readMembers(bytes, depth: depth, members: members, into: found) else { return nil }
                guard holds(test, found) else { return (nil, count) }
                return (found[selected].value, count)
            }
        }

        private func holds(_ test: Test, _ found: UnsafeMutableBufferPointer<JSONMemberValue>) -> Bool {
            switch test {
            case .constant(let value): return value
            case .or(let tests): return tests.contains { holds($0, found) }
            case .and(let tests): return tests.allSatisfy { holds($0, found) }
            case .not(let inner): return !holds(inner, found)
            case .exists(let slot):
                if case .absent = found[slot] { return false }
                return true
            case .compare(let slot, let op, let literal):
                return Self.compare(found[slot], op, literal)
            }
        }

        private static func compare(_ member: JSONMemberValue, _ op: ComparisonOperator, _ literal: Literal) -> Bool {
            switch member {
            case .absent:
                return Evaluation.compare(nil, op, literal.value)
            case .number(let number):
                return Evaluation.compare(.number(number), op, literal.value)
            case .value(let value):
                return Evaluation.compare(value, op, literal.value)
            case .text(let utf8):
                // A string equals or orders against a string only; code point order is UTF-8 byte order.
                guard let other = literal.utf8 else { return op == .notEqual }
                let equal = JSONMemberSet.same(utf8, other)
                switch op {
                case .equal: return equal
                case .notEqual: return !equal
                case .less: return utf8.lexicographicallyPrecedes(other)
                case .greater: return other.lexicographicallyPrecedes(utf8)
                case .lessOrEqual: return equal || utf8.lexicographicallyPrecedes(other)
                case .greaterOrEqual: return equal || other.lexicographicallyPrecedes(utf8)
                }
            }
        }

        // MARK: Compiling

        /// The test for `expression`, each member read named by its index in `names`; nil when
        /// not of the compiled shape.
        private static func compile(_ expression: LogicalExpression, names: inout [String]) -> Test? {
            switch expression {
            case .or(let operands):
                let tests = operands.compactMap { compile($0, names: &names) }
                return tests.count == operands.count ? .or(tests) : nil
            case .and(let operands):
                let tests = operands.compactMap { compile($0, names: &names) }
                return tests.count == operands.count ? .and(tests) : nil
            case .not(let operand):
                return compile(operand, names: &names).map { .not($0) }
            case .exists(let query):
                return member(query, names: &names).map { .exists(slot: $0) }
            case .comparison(.literal(let left), let op, .literal(let right)):
                return .constant(Evaluation.compare(left, op, right))
            case .comparison(.query(let query), let op, .literal(let value)):
                return member(query, names: &names).map { .compare(slot: $0, op, Literal(value)) }
            case .comparison(.literal(let value), let op, .query(let query)):
                // `'85+' == @.band` is `@.band == '85+'`; `1 < @.n` is `@.n > 1`.
                return member(query, names: &names).map { .compare(slot: $0, op.mirrored, Literal(value)) }
            case .comparison, .function:
                return nil
            }
        }

        /// For `@.name`: the index of `name` in `names`, added when new.
        private static func member(_ query: Query, names: inout [String]) -> Int? {
            guard query.isRelative, query.segments.count == 1, !query.segments[0].isDescendant,
                  query.segments[0].selectors.count == 1, case .name(let name) = query.segments[0].selectors[0] else { return nil }
            if let known = names.firstIndex(where: { $0.utf8.elementsEqual(name.utf8) }) { return known }
            names.append(name)
            return names.count - 1
        }
    }
}

extension JSONPath.ComparisonOperator {
    /// The operator with its operands swapped: `a < b` is `b > a`.
    var mirrored: Self {
        switch self {
        case .equal, .notEqual: return self
        case .less: return .greater
        case .greater: return .less
        case .lessOrEqual: return .greaterOrEqual
        case .greaterOrEqual: return .lessOrEqual
        }
    }
}
