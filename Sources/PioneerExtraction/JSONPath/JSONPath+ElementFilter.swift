// The usual shape of a streamed extract, `$.data[?@.band == '75-84' || @.band == '85+'].admissions`,
// run on each element's bytes: the members the filter and the path read are picked out of the
// element, strings compared as bytes with the filter's literals, and only the selected value
// built. A million-row export is read without a dictionary or string per row. Any element
// this cannot judge (not an object, cut by the end of the bytes in hand, an error in it) is
// read and judged the general way, which also writes any message.

import Foundation

extension JSONPath {
    /// A fan's filter (or `[*]`) and the one member name after it, compiled for streamed elements.
    ///
    /// Compiles when the filter combines, with `&&`, `||`, `!` and parentheses, comparisons of
    /// one member of the element (`@.band`) with a literal and tests that a member exists; the
    /// comparisons follow RFC 9535 §2.3.5.2.2 as ``Evaluation/compare(_:_:_:)`` does.
    final class ElementFilter: Sendable {
        /// The members read, each a slot of the ``JSONMemberValue``s of an element.
        let members: JSONMemberSet
        /// The filter's test laid out flat, to run once per element without reference counting.
        private let program: Program
        /// The slot of the member the path selects, and its name; nil for both when the path
        /// selects the elements themselves (`$.data[?@.band == '85+']`, to count them).
        private let selected: Int?
        let selectedName: String?
        /// Whether an element selected itself is built; not when only the matches are counted
        /// (``StreamingPlan/countingElements()``), and the node's value is then `null`.
        private let buildsElement: Bool

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
            var name: String?
            if let segment = rest.first {
                guard rest.count == 1, !segment.isDescendant, segment.selectors.count == 1,
                      case .name(let member) = segment.selectors[0] else { return nil }
                name = member
            }
            // The members read, as paths from the element (`[["band"]]`, `[["patient", "band"]]`),
            // the selected one first; the test names each by its place here until the set
            // gives it a slot.
            var paths = name.map { [[$0]] } ?? []
            let test: Test?
            switch selector {
            case .wildcard: test = .constant(true)
            case .filter(let expression): test = Self.compile(expression, paths: &paths)
            default: test = nil
            }
            guard let test, let (set, slots) = JSONMemberSet.reading(paths) else { return nil }
            members = set
            program = Program(Self.renumber(test, slots))
            selected = name == nil ? nil : slots[0]
            selectedName = name
            buildsElement = true
        }

        private init(copying filter: ElementFilter, buildsElement: Bool) {
            members = filter.members
            program = filter.program
            selected = filter.selected
            selectedName = filter.selectedName
            self.buildsElement = buildsElement
        }

        /// This filter, the elements it selects not built: for a count, which reads no value.
        func counting() -> ElementFilter {
            ElementFilter(copying: self, buildsElement: false)
        }

        /// `test` with each member's place among the paths replaced by its slot.
        private static func renumber(_ test: Test, _ slots: [Int]) -> Test {
            switch test {
            case .constant: return test
            case .or(let tests): return .or(tests.map { renumber($0, slots) })
            case .and(let tests): return .and(tests.map { renumber($0, slots) })
            case .not(let inner): return .not(renumber(inner, slots))
            case .exists(let path): return .exists(slot: slots[path])
            case .compare(let path, let op, let literal): return .compare(slot: slots[path], op, literal)
            }
        }

        /// The element at the start of `bytes` judged: the value selected (nil when the element
        /// fails the filter or has no such member) and the bytes it took; nil when it cannot be
        /// judged here.
        func apply(to bytes: UnsafeBufferPointer<UInt8>, depth: Int) -> (selected: JSONValue?, count: Int)? {
            withUnsafeTemporaryAllocation(of: JSONMemberValue.self, capacity: members.count) { found in
                found.initialize(repeating: .absent)
                defer { found.deinitialize() }
                if selected == nil, buildsElement, members.count == 0 {
                    // `[*]` (or a filter of literals alone): the element is read once, whole.
                    guard let (element, count) = JSONParser.parsePrefix(bytes, depth: depth, keeping: nil) else { return nil }
                    return (program.holds(found) ? element : nil, count)
                }
                guard let count = JSONParser.readMembers(bytes, depth: depth, members: members, into: found) else { return nil }
                guard program.holds(found) else { return (nil, count) }
                if let selected { return (found[selected].value, count) }
                guard buildsElement else { return (.null, count) }
                // The element itself: built whole, only when it passes.
                guard let (element, wholeCount) = JSONParser.parsePrefix(bytes, depth: depth, keeping: nil),
                      wholeCount == count else { return nil }
                return (element, count)
            }
        }

        /// A ``Test`` as a flat list of steps, each `or`, `and` and `not` naming its operands
        /// by their places in a second list, and each string literal's UTF-8 in one array:
        /// walking it per element takes no reference count, where matching the indirect enum
        /// retained and released its arrays for every element of a million-row export.
        private struct Program: Sendable {
            enum Kind: Sendable {
                case constant(Bool)
                case or, and, not
                case exists(slot: Int)
                case compare(slot: Int, ComparisonOperator)
            }

            struct Step: Sendable {
                var kind: Kind
                /// For `or`, `and` and `not`: where the operands' steps are listed in `operands`.
                var operands: Range<Int> = 0..<0
                /// For `compare`: the literal's place in `literals`, and its UTF-8 in `text` when a string.
                var literal = 0
                var text: Range<Int>?
            }

            private var steps: [Step] = []
            private var operands: [Int] = []
            private var literals: [JSONValue] = []
            private var text: [UInt8] = []

            init(_ test: Test) {
                _ = add(test)
            }

            /// Adds `test`'s steps; the place of its own.
            private mutating func add(_ test: Test) -> Int {
                var step: Step
                switch test {
                case .constant(let value): step = Step(kind: .constant(value))
                case .exists(let slot): step = Step(kind: .exists(slot: slot))
                case .compare(let slot, let op, let literal):
                    step = Step(kind: .compare(slot: slot, op), literal: literals.count)
                    literals.append(literal.value)
                    if let utf8 = literal.utf8 {
                        step.text = text.count..<(text.count + utf8.count)
                        text.append(contentsOf: utf8)
                    }
                case .or(let tests), .and(let tests):
                    let places = tests.map { add($0) }
                    step = Step(kind: { if case .or = test { return .or } else { return .and } }())
                    step.operands = operands.count..<(operands.count + places.count)
                    operands.append(contentsOf: places)
                case .not(let inner):
                    let place = add(inner)
                    step = Step(kind: .not, operands: operands.count..<(operands.count + 1))
                    operands.append(place)
                }
                steps.append(step)
                return steps.count - 1
            }

            /// Whether the element whose members are `found` passes.
            func holds(_ found: UnsafeMutableBufferPointer<JSONMemberValue>) -> Bool {
                steps.withUnsafeBufferPointer { steps in
                    operands.withUnsafeBufferPointer { operands in
                        text.withUnsafeBufferPointer { text in
                            holds(steps.count - 1, steps, operands, text, found)
                        }
                    }
                }
            }

            private func holds(_ place: Int, _ steps: UnsafeBufferPointer<Step>, _ operands: UnsafeBufferPointer<Int>,
                               _ text: UnsafeBufferPointer<UInt8>, _ found: UnsafeMutableBufferPointer<JSONMemberValue>) -> Bool {
                let step = steps[place]
                switch step.kind {
                case .constant(let value): return value
                case .or:
                    for operand in step.operands where holds(operands[operand], steps, operands, text, found) { return true }
                    return false
                case .and:
                    for operand in step.operands where !holds(operands[operand], steps, operands, text, found) { return false }
                    return true
                case .not:
                    return !holds(operands[step.operands.lowerBound], steps, operands, text, found)
                case .exists(let slot):
                    if case .absent = found[slot] { return false }
                    return true
                case .compare(let slot, let op):
                    if case .text(let utf8) = found[slot] {
                        // A string equals or orders against a string only; code point order is UTF-8 byte order.
                        guard let range = step.text else { return op == .notEqual }
                        return Self.compare(utf8, op, UnsafeBufferPointer(rebasing: text[range]))
                    }
                    return ElementFilter.compare(found[slot], op, literals[step.literal])
                }
            }

            private static func compare(_ utf8: UnsafeBufferPointer<UInt8>, _ op: ComparisonOperator,
                                        _ other: UnsafeBufferPointer<UInt8>) -> Bool {
                let equal = utf8.count == other.count && (utf8.count == 0 || memcmp(utf8.baseAddress!, other.baseAddress!, utf8.count) == 0)
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

        /// A member that is not a plain string compared with a literal, as ``Evaluation`` compares.
        private static func compare(_ member: JSONMemberValue, _ op: ComparisonOperator, _ literal: JSONValue) -> Bool {
            switch member {
            case .absent:
                return Evaluation.compare(nil, op, literal)
            case .number(let number):
                return Evaluation.compare(.number(number), op, literal)
            case .value(let value):
                return Evaluation.compare(value, op, literal)
            case .text(let utf8):
                return Evaluation.compare(.string(String(decoding: utf8, as: UTF8.self)), op, literal)
            }
        }

        // MARK: Compiling

        /// The test for `expression`, each member read named by its place in `paths`; nil when
        /// not of the compiled shape.
        private static func compile(_ expression: LogicalExpression, paths: inout [[String]]) -> Test? {
            switch expression {
            case .or(let operands):
                let tests = operands.compactMap { compile($0, paths: &paths) }
                return tests.count == operands.count ? .or(tests) : nil
            case .and(let operands):
                let tests = operands.compactMap { compile($0, paths: &paths) }
                return tests.count == operands.count ? .and(tests) : nil
            case .not(let operand):
                return compile(operand, paths: &paths).map { .not($0) }
            case .exists(let query):
                return member(query, paths: &paths).map { .exists(slot: $0) }
            case .comparison(.literal(let left), let op, .literal(let right)):
                return .constant(Evaluation.compare(left, op, right))
            case .comparison(.query(let query), let op, .literal(let value)):
                return member(query, paths: &paths).map { .compare(slot: $0, op, Literal(value)) }
            case .comparison(.literal(let value), let op, .query(let query)):
                // `'85+' == @.band` is `@.band == '85+'`; `1 < @.n` is `@.n > 1`.
                return member(query, paths: &paths).map { .compare(slot: $0, op.mirrored, Literal(value)) }
            case .comparison, .function:
                return nil
            }
        }

        /// For `@.name` or `@.name.inner…` (names only): the place of its path in `paths`,
        /// added when new.
        private static func member(_ query: Query, paths: inout [[String]]) -> Int? {
            guard query.isRelative, !query.segments.isEmpty else { return nil }
            var path: [String] = []
            for segment in query.segments {
                guard !segment.isDescendant, segment.selectors.count == 1, case .name(let name) = segment.selectors[0] else { return nil }
                path.append(name)
            }
            if let known = paths.firstIndex(where: { $0.count == path.count && zip($0, path).allSatisfy { $0.utf8.elementsEqual($1.utf8) } }) {
                return known
            }
            paths.append(path)
            return paths.count - 1
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
