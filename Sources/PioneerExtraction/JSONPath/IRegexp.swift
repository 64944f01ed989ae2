// I-Regexp (RFC 9485), the interoperable regular expressions JSONPath's match() and search() take.
// Pioneer checks and runs them itself instead of translating to another engine's dialect:
// `.` is "anything but CR or LF", `\p{..}` takes general categories only, and a small Pike
// machine never backtracks, so a pattern cannot take exponential time whatever the feed holds.
// `^` and `$` anchor at the start and end of the string, as RFC 9485 §5's mappings to
// ECMAScript and PCRE make them and as the JSONPath compliance suite expects.

/// A compiled I-Regexp, matched against the Unicode scalars of a string.
struct IRegexp: Sendable {
    /// Why a pattern is not an I-Regexp.
    struct SyntaxError: Error, Sendable {
        var reason: String
    }

    private let program: [Instruction]

    /// Compiles `pattern`, refusing anything outside RFC 9485's grammar.
    init(_ pattern: String) throws(SyntaxError) {
        var parser = Parser(Array(pattern.unicodeScalars))
        let tree = try parser.parseWhole()
        var compiler = Compiler()
        compiler.emit(tree)
        compiler.program.append(.match)
        guard compiler.program.count <= Self.maximumProgramSize else {
            throw SyntaxError(reason: "the pattern's repetitions make it too large")
        }
        self.program = compiler.program
    }

    /// Counted repetitions are expanded; this bounds what `a{1000}{1000}` may cost.
    static let maximumProgramSize = 100_000

    /// Whether the whole of `text` matches (JSONPath's `match()`).
    func matchesWhole(_ text: String) -> Bool {
        run(Array(text.unicodeScalars), anywhere: false)
    }

    /// Whether some substring of `text` matches (JSONPath's `search()`).
    func matchesPart(_ text: String) -> Bool {
        run(Array(text.unicodeScalars), anywhere: true)
    }

    // MARK: The machine

    fileprivate enum Instruction: Sendable {
        case scalar(ScalarSet)
        case split(Int, Int)
        case jump(Int)
        /// `^` (true) or `$` (false): passes only at the start or the end of the input.
        case anchor(atStart: Bool)
        case match
    }

    /// Runs every thread in step over the input (Thompson's construction, Pike's VM).
    private func run(_ input: [Unicode.Scalar], anywhere: Bool) -> Bool {
        var current: [Int] = []
        var next: [Int] = []
        var marks = [Int](repeating: -1, count: program.count)
        var generation = 0
        addThread(0, to: &current, marks: &marks, generation: generation, at: 0, of: input.count)
        for (offset, scalar) in input.enumerated() {
            if anywhere, current.contains(where: { if case .match = program[$0] { return true } else { return false } }) {
                return true
            }
            generation = offset + 1
            next.removeAll(keepingCapacity: true)
            for pc in current {
                if case .scalar(let set) = program[pc], set.contains(scalar) {
                    addThread(pc + 1, to: &next, marks: &marks, generation: generation, at: offset + 1, of: input.count)
                }
            }
            if anywhere {
                addThread(0, to: &next, marks: &marks, generation: generation, at: offset + 1, of: input.count)
            }
            swap(&current, &next)
            if current.isEmpty { return false }
        }
        return current.contains { if case .match = program[$0] { return true } else { return false } }
    }

    /// Adds `pc` and everything reachable from it without reading a scalar.
    private func addThread(_ pc: Int, to list: inout [Int], marks: inout [Int], generation: Int, at position: Int, of count: Int) {
        var stack = [pc]
        while let pc = stack.popLast() {
            guard marks[pc] != generation else { continue }
            marks[pc] = generation
            switch program[pc] {
            case .jump(let target):
                stack.append(target)
            case .split(let first, let second):
                stack.append(second)
                stack.append(first)
            case .anchor(let atStart):
                if atStart ? position == 0 : position == count { stack.append(pc + 1) }
            case .scalar, .match:
                list.append(pc)
            }
        }
    }

    // MARK: Syntax tree

    fileprivate indirect enum Node: Sendable {
        case empty
        case scalar(ScalarSet)
        case anchor(atStart: Bool)
        case sequence([Node])
        case alternation([Node])
        case repeated(Node, min: Int, max: Int?)
    }

    /// What one position of the pattern accepts.
    fileprivate struct ScalarSet: Sendable {
        enum Item: Sendable {
            case range(ClosedRange<UInt32>)
            case category(Set<Unicode.GeneralCategory>, negated: Bool)
        }

        var items: [Item]
        var negated: Bool

        static func single(_ scalar: Unicode.Scalar) -> ScalarSet {
            ScalarSet(items: [.range(scalar.value...scalar.value)], negated: false)
        }

        /// `.`: anything but a line feed or carriage return.
        static let dot = ScalarSet(items: [.range(0x0A...0x0A), .range(0x0D...0x0D)], negated: true)

        func contains(_ scalar: Unicode.Scalar) -> Bool {
            let found = items.contains { item in
                switch item {
                case .range(let range):
                    return range.contains(scalar.value)
                case .category(let categories, let negatedCategory):
                    return categories.contains(scalar.properties.generalCategory) != negatedCategory
                }
            }
            return found != negated
        }
    }

    // MARK: Parser

    /// Reads RFC 9485 §3's grammar: branches, pieces, atoms, classes and `\p{..}` escapes.
    private struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0

        init(_ scalars: [Unicode.Scalar]) {
            self.scalars = scalars
        }

        mutating func parseWhole() throws(SyntaxError) -> Node {
            let tree = try alternation()
            guard index == scalars.count else {
                throw SyntaxError(reason: "unexpected `\(scalars[index])` at character \(index + 1)")
            }
            return tree
        }

        private func peek() -> Unicode.Scalar? {
            index < scalars.count ? scalars[index] : nil
        }

        private mutating func alternation() throws(SyntaxError) -> Node {
            var branches = [try branch()]
            while peek() == "|" {
                index += 1
                branches.append(try branch())
            }
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        private mutating func branch() throws(SyntaxError) -> Node {
            var pieces: [Node] = []
            while let c = peek(), c != "|", c != ")" {
                pieces.append(try piece())
            }
            return pieces.isEmpty ? .empty : .sequence(pieces)
        }

        private mutating func piece() throws(SyntaxError) -> Node {
            let atom = try self.atom()
            if case .anchor = atom {
                if let c = peek(), "*+?{".unicodeScalars.contains(c) {
                    throw SyntaxError(reason: "`^` and `$` cannot be repeated")
                }
                return atom
            }
            switch peek() {
            case "*": index += 1; return .repeated(atom, min: 0, max: nil)
            case "+": index += 1; return .repeated(atom, min: 1, max: nil)
            case "?": index += 1; return .repeated(atom, min: 0, max: 1)
            case "{":
                index += 1
                let low = try quantity()
                var high: Int? = low
                if peek() == "," {
                    index += 1
                    high = peek() == "}" ? nil : try quantity()
                }
                guard peek() == "}" else { throw SyntaxError(reason: "a `{` quantifier is not closed with `}`") }
                index += 1
                if let high, high < low { throw SyntaxError(reason: "a quantifier's maximum is below its minimum") }
                return .repeated(atom, min: low, max: high)
            default:
                return atom
            }
        }

        private mutating func quantity() throws(SyntaxError) -> Int {
            var value = 0
            var digits = 0
            while let c = peek(), ("0"..."9").contains(c) {
                value = value * 10 + Int(c.value - 48)
                digits += 1
                index += 1
                guard value <= IRegexp.maximumProgramSize else { throw SyntaxError(reason: "a quantifier is too large") }
            }
            guard digits > 0 else { throw SyntaxError(reason: "a `{` quantifier needs a number") }
            return value
        }

        private mutating func atom() throws(SyntaxError) -> Node {
            guard let c = peek() else { throw SyntaxError(reason: "the pattern ends too soon") }
            switch c {
            case "(":
                index += 1
                let inner = try alternation()
                guard peek() == ")" else { throw SyntaxError(reason: "a `(` is not closed with `)`") }
                index += 1
                return inner
            case ".":
                index += 1
                return .scalar(.dot)
            case "^", "$":
                index += 1
                return .anchor(atStart: c == "^")
            case "[":
                return .scalar(try classExpression())
            case "\\":
                return .scalar(try escape())
            case "*", "+", "?", "{", "}", ")", "]", "|":
                throw SyntaxError(reason: "`\(c)` must be escaped with `\\` here")
            default:
                index += 1
                return .scalar(.single(c))
            }
        }

        /// `\n`, `\.`, `\p{Lu}`, `\P{L}`: the backslash at `index`.
        private mutating func escape() throws(SyntaxError) -> ScalarSet {
            index += 1
            guard let c = peek() else { throw SyntaxError(reason: "the pattern ends with `\\`") }
            index += 1
            switch c {
            case "n": return .single("\n")
            case "r": return .single("\r")
            case "t": return .single("\t")
            case "(", ")", "*", "+", "-", ".", "?", "[", "\\", "]", "^", "{", "|", "}":
                return .single(c)
            case "p", "P":
                let categories = try property()
                return ScalarSet(items: [.category(categories, negated: c == "P")], negated: false)
            default:
                throw SyntaxError(reason: "`\\\(c)` is not an I-Regexp escape")
            }
        }

        /// `{Lu}` after `\p`: a general category or a group of them.
        private mutating func property() throws(SyntaxError) -> Set<Unicode.GeneralCategory> {
            guard peek() == "{" else { throw SyntaxError(reason: "`\\p` needs a category in braces, such as `\\p{Lu}`") }
            index += 1
            var name = ""
            while let c = peek(), c != "}" {
                name.unicodeScalars.append(c)
                index += 1
            }
            guard peek() == "}", let categories = Self.categories[name] else {
                throw SyntaxError(reason: "`\\p{\(name)}` is not a Unicode general category")
            }
            index += 1
            return categories
        }

        /// `[...]` or `[^...]` at `index`.
        private mutating func classExpression() throws(SyntaxError) -> ScalarSet {
            index += 1
            var negated = false
            if peek() == "^" {
                negated = true
                index += 1
            }
            var items: [ScalarSet.Item] = []
            var first = true
            while true {
                guard let c = peek() else { throw SyntaxError(reason: "a `[` is not closed with `]`") }
                if c == "]" {
                    guard !first else { throw SyntaxError(reason: "a character class may not be empty") }
                    index += 1
                    return ScalarSet(items: items, negated: negated)
                }
                if c == "-" {
                    // A hyphen is literal only first or last in the class.
                    index += 1
                    guard first || peek() == "]" else { throw SyntaxError(reason: "a `-` inside a class must be escaped or come first or last") }
                    items.append(.range(0x2D...0x2D))
                    first = false
                    continue
                }
                first = false
                if c == "\\", index + 1 < scalars.count, scalars[index + 1] == "p" || scalars[index + 1] == "P" {
                    let set = try escape()
                    items += set.items
                    continue
                }
                let low = try classCharacter()
                if peek() == "-", index + 1 < scalars.count, scalars[index + 1] != "]" {
                    index += 1
                    let high = try classCharacter()
                    guard low.value <= high.value else { throw SyntaxError(reason: "a class range runs backwards") }
                    items.append(.range(low.value...high.value))
                } else {
                    items.append(.range(low.value...low.value))
                }
            }
        }

        /// One character of a class: anything but `[`, `]`, `\` and `-`, or a single-character escape.
        private mutating func classCharacter() throws(SyntaxError) -> Unicode.Scalar {
            guard let c = peek() else { throw SyntaxError(reason: "a `[` is not closed with `]`") }
            switch c {
            case "\\":
                let set = try escape()
                guard case .range(let range) = set.items.first, range.count == 1, let scalar = Unicode.Scalar(range.lowerBound) else {
                    throw SyntaxError(reason: "a category escape cannot end a range")
                }
                return scalar
            case "[", "]", "-":
                throw SyntaxError(reason: "`\(c)` must be escaped inside a class")
            default:
                index += 1
                return c
            }
        }

        static let categories: [String: Set<Unicode.GeneralCategory>] = {
            let single: [String: Unicode.GeneralCategory] = [
                "Lu": .uppercaseLetter, "Ll": .lowercaseLetter, "Lt": .titlecaseLetter, "Lm": .modifierLetter, "Lo": .otherLetter,
                "Mn": .nonspacingMark, "Mc": .spacingMark, "Me": .enclosingMark,
                "Nd": .decimalNumber, "Nl": .letterNumber, "No": .otherNumber,
                "Pc": .connectorPunctuation, "Pd": .dashPunctuation, "Ps": .openPunctuation, "Pe": .closePunctuation,
                "Pi": .initialPunctuation, "Pf": .finalPunctuation, "Po": .otherPunctuation,
                "Zs": .spaceSeparator, "Zl": .lineSeparator, "Zp": .paragraphSeparator,
                "Sm": .mathSymbol, "Sc": .currencySymbol, "Sk": .modifierSymbol, "So": .otherSymbol,
                "Cc": .control, "Cf": .format, "Co": .privateUse, "Cn": .unassigned,
            ]
            var all = single.mapValues { Set([$0]) }
            for group in ["L", "M", "N", "P", "Z", "S"] {
                all[group] = Set(single.filter { $0.key.hasPrefix(group) }.values)
            }
            // `C` also takes in surrogates, which a Swift string never holds.
            all["C"] = [.control, .format, .privateUse, .unassigned, .surrogate]
            return all
        }()
    }

    // MARK: Compiler

    private struct Compiler {
        var program: [Instruction] = []

        mutating func emit(_ node: Node) {
            guard program.count <= IRegexp.maximumProgramSize else { return }
            switch node {
            case .empty:
                break
            case .scalar(let set):
                program.append(.scalar(set))
            case .anchor(let atStart):
                program.append(.anchor(atStart: atStart))
            case .sequence(let nodes):
                for node in nodes { emit(node) }
            case .alternation(let branches):
                var jumps: [Int] = []
                for (offset, branch) in branches.enumerated() {
                    if offset < branches.count - 1 {
                        let split = program.count
                        program.append(.split(split + 1, -1))
                        emit(branch)
                        jumps.append(program.count)
                        program.append(.jump(-1))
                        program[split] = .split(split + 1, program.count)
                    } else {
                        emit(branch)
                    }
                }
                for jump in jumps { program[jump] = .jump(program.count) }
            case .repeated(let inner, let min, let max):
                for _ in 0..<min { emit(inner) }
                if let max {
                    var splits: [Int] = []
                    for _ in min..<max {
                        splits.append(program.count)
                        program.append(.split(program.count + 1, -1))
                        emit(inner)
                    }
                    for split in splits { program[split] = .split(split + 1, program.count) }
                } else {
                    let split = program.count
                    program.append(.split(split + 1, -1))
                    emit(inner)
                    program.append(.jump(split))
                    program[split] = .split(split + 1, program.count)
                }
            }
        }
    }
}

extension JSONPath {
    /// What is wrong with each pattern written into the path that is not an I-Regexp (RFC 9485):
    /// `match(@.code, '\\d+')`. RFC 9535 makes such a call false for every value, so a filter on
    /// it quietly selects nothing; `pioneer validate` warns instead, with the reason.
    public var patternProblems: [String] {
        var problems: [String] = []
        func visit(_ expression: LogicalExpression) {
            switch expression {
            case .or(let parts), .and(let parts): parts.forEach(visit)
            case .not(let inner): visit(inner)
            case .comparison(let left, _, let right): [left, right].forEach(visit)
            case .exists(let query): visit(query)
            case .function(let call): visit(call)
            }
        }
        func visit(_ comparable: Comparable) {
            switch comparable {
            case .literal: break
            case .query(let query): visit(query)
            case .function(let call): visit(call)
            }
        }
        func visit(_ query: Query) {
            for segment in query.segments {
                for case .filter(let expression) in segment.selectors { visit(expression) }
            }
        }
        func visit(_ call: FunctionCall) {
            if call.function == .match || call.function == .search, call.arguments.count == 2,
               case .literal(.string(let pattern)) = call.arguments[1] {
                do {
                    _ = try IRegexp(pattern)
                } catch {
                    problems.append("`\(pattern)` in \(call.function.rawValue)() is not an I-Regexp (RFC 9485): \(error.reason); "
                                    + "the call is false for every value, so the filter selects nothing")
                }
            }
            for argument in call.arguments {
                switch argument {
                case .literal: break
                case .query(let query): visit(query)
                case .logical(let inner): visit(inner)
                case .function(let inner): visit(inner)
                }
            }
        }
        visit(query)
        return problems
    }
}
