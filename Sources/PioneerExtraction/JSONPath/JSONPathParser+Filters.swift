// Filter expressions (RFC 9535 §2.3.5): read into terms, then checked against the
// standard's type rules (§2.4.3) so that a misuse is a parse error with its position.
//
// ```
// logical    = and *(S "||" S and)
// and        = basic *(S "&&" S basic)
// basic      = ["!" S] "(" S logical S ")" | ["!" S] (query | function) | comparable S op S comparable
// comparable = literal | singular query | function
// function   = name "(" S [argument *(S "," S argument)] S ")"
// ```

extension JSONPathParser {
    /// A piece of filter text before type checking, with where it starts for messages.
    struct Term {
        indirect enum Kind {
            case literal(JSONValue)
            case query(JSONPath.Query)
            case function(JSONPath.Function, [Term])
            case not(Term)
            case and([Term])
            case or([Term])
            case comparison(Term, JSONPath.ComparisonOperator, Term)
            case parenthesized(Term)
        }

        var kind: Kind
        var start: Int
    }

    /// The expression after `?`, checked to be a test.
    mutating func filter() throws(JSONPath.ParseError) -> JSONPath.LogicalExpression {
        let term = try logicalOr()
        return try logical(term)
    }

    // MARK: Reading

    private mutating func logicalOr() throws(JSONPath.ParseError) -> Term {
        let start = position
        var operands = [try logicalAnd()]
        while true {
            let before = position
            skipBlanks()
            if peek() == "|" && peek(1) == "|" {
                position += 2
                skipBlanks()
                operands.append(try logicalAnd())
            } else if peek() == "|" {
                throw failure("`|` is not an operator; write `||` for \"or\"")
            } else {
                position = before
                break
            }
        }
        return operands.count == 1 ? operands[0] : Term(kind: .or(operands), start: start)
    }

    private mutating func logicalAnd() throws(JSONPath.ParseError) -> Term {
        let start = position
        var operands = [try basic()]
        while true {
            let before = position
            skipBlanks()
            if peek() == "&" && peek(1) == "&" {
                position += 2
                skipBlanks()
                operands.append(try basic())
            } else if peek() == "&" {
                throw failure("`&` is not an operator; write `&&` for \"and\"")
            } else {
                position = before
                break
            }
        }
        return operands.count == 1 ? operands[0] : Term(kind: .and(operands), start: start)
    }

    private mutating func basic() throws(JSONPath.ParseError) -> Term {
        let start = position
        if peek() == "!" {
            position += 1
            skipBlanks()
            let operand = peek() == "(" ? try parenthesized() : try primary()
            switch operand.kind {
            case .parenthesized, .query, .function: break
            default:
                throw failure("`!` must be followed by a query, a function or `(`", at: operand.start)
            }
            let before = position
            skipBlanks()
            if comparisonOperatorAhead() {
                throw failure("`!` negates a query, a function or a test in parentheses, not a comparison; write `!(@.x == 1)`", at: start)
            }
            position = before
            return Term(kind: .not(operand), start: start)
        }
        if peek() == "(" {
            return try parenthesized()
        }
        let left = try primary()
        let before = position
        skipBlanks()
        guard let op = try comparisonOperator() else {
            position = before
            return left
        }
        skipBlanks()
        let right = try primary()
        return Term(kind: .comparison(left, op, right), start: start)
    }

    private mutating func parenthesized() throws(JSONPath.ParseError) -> Term {
        let start = position
        try enter()
        position += 1
        skipBlanks()
        let inner = try logicalOr()
        skipBlanks()
        guard peek() == ")" else {
            throw failure("expected `)` to close the `(` at character \(failure("", at: start).position), found \(found())")
        }
        position += 1
        depth -= 1
        return Term(kind: .parenthesized(inner), start: start)
    }

    private func comparisonOperatorAhead() -> Bool {
        switch (peek(), peek(1)) {
        case ("=", "="), ("!", "="), ("<", _), (">", _): return true
        default: return false
        }
    }

    private mutating func comparisonOperator() throws(JSONPath.ParseError) -> JSONPath.ComparisonOperator? {
        for op in JSONPath.ComparisonOperator.allCases {
            let text = Array(op.rawValue.unicodeScalars)
            if (0..<text.count).allSatisfy({ peek($0) == text[$0] }) {
                position += text.count
                return op
            }
        }
        if peek() == "=" {
            throw failure("`=` is not a comparison; write `==`")
        }
        return nil
    }

    /// A literal, a query from `@` or `$`, or a function call.
    private mutating func primary() throws(JSONPath.ParseError) -> Term {
        let start = position
        switch peek() {
        case "@", "$":
            let isRelative = peek() == "@"
            position += 1
            let segments = try segments()
            var query = JSONPath.Query(isRelative: isRelative, segments: segments)
            if !isRelative {
                query.cacheSlot = absoluteQueries
                absoluteQueries += 1
            }
            return Term(kind: .query(query), start: start)
        case "'", "\"":
            return Term(kind: .literal(.string(try stringLiteral())), start: start)
        case let c? where c == "-" || ("0"..."9").contains(c):
            return Term(kind: .literal(.number(try number())), start: start)
        case let c? where ("a"..."z").contains(c):
            var word = String.UnicodeScalarView()
            while let c = peek(), ("a"..."z").contains(c) || ("0"..."9").contains(c) || c == "_" {
                word.append(c)
                position += 1
            }
            let name = String(word)
            if peek() == "(" {
                return try functionCall(name, start: start)
            }
            switch name {
            case "true": return Term(kind: .literal(.bool(true)), start: start)
            case "false": return Term(kind: .literal(.bool(false)), start: start)
            case "null": return Term(kind: .literal(.null), start: start)
            default:
                if JSONPath.Function(rawValue: name) != nil {
                    throw failure("expected `(` right after the function name `\(name)`, found \(found())")
                }
                throw failure("`\(name)` is not a literal, a query or a function; quote text as `'\(name)'`, and start queries with `@` or `$`", at: start)
            }
        default:
            throw failure("expected a query (`@...` or `$...`), a literal or a function, found \(found())")
        }
    }

    private mutating func functionCall(_ name: String, start: Int) throws(JSONPath.ParseError) -> Term {
        guard let function = JSONPath.Function(rawValue: name) else {
            let known = JSONPath.Function.allCases.map { "`\($0.rawValue)()`" }.joined(separator: ", ")
            throw failure("`\(name)()` is not a function; the functions are \(known)", at: start)
        }
        try enter()
        position += 1
        skipBlanks()
        var arguments: [Term] = []
        if peek() != ")" {
            arguments.append(try logicalOr())
            skipBlanks()
            while peek() == "," {
                position += 1
                skipBlanks()
                arguments.append(try logicalOr())
                skipBlanks()
            }
        }
        guard peek() == ")" else {
            throw failure("expected `,` or `)` in the arguments of `\(name)()`, found \(found())")
        }
        position += 1
        depth -= 1
        return Term(kind: .function(function, arguments), start: start)
    }

    /// A JSON-style number: `-0`, fractions and exponents allowed, leading zeros not.
    private mutating func number() throws(JSONPath.ParseError) -> Double {
        let start = position
        var text = ""
        func digits() -> Int {
            var count = 0
            while let c = peek(), ("0"..."9").contains(c) {
                text.unicodeScalars.append(c)
                position += 1
                count += 1
            }
            return count
        }
        if peek() == "-" {
            text = "-"
            position += 1
        }
        let first = peek()
        let whole = digits()
        guard whole > 0 else { throw failure("expected a digit, found \(found())") }
        if first == "0" && whole > 1 {
            throw failure("a number may not start with `0` followed by digits", at: start)
        }
        if peek() == "." {
            text += "."
            position += 1
            guard digits() > 0 else { throw failure("a number needs digits after its decimal point") }
        }
        if peek() == "e" || peek() == "E" {
            text += "e"
            position += 1
            if let sign = peek(), sign == "+" || sign == "-" {
                text.unicodeScalars.append(sign)
                position += 1
            }
            guard digits() > 0 else { throw failure("a number needs digits in its exponent") }
        }
        guard let value = Double(text) else { throw failure("`\(text)` is not a number", at: start) }
        return value
    }

    mutating func enter() throws(JSONPath.ParseError) {
        depth += 1
        if depth > Self.maximumDepth {
            throw failure("the filter nests more than \(Self.maximumDepth) levels deep")
        }
    }

    // MARK: Type checking

    /// `term` where a test is expected: a logical expression, an existence test, or a logical function.
    private func logical(_ term: Term) throws(JSONPath.ParseError) -> JSONPath.LogicalExpression {
        switch term.kind {
        case .or(let operands):
            var checked: [JSONPath.LogicalExpression] = []
            for operand in operands { checked.append(try logical(operand)) }
            return .or(checked)
        case .and(let operands):
            var checked: [JSONPath.LogicalExpression] = []
            for operand in operands { checked.append(try logical(operand)) }
            return .and(checked)
        case .not(let operand):
            return .not(try logical(operand))
        case .parenthesized(let inner):
            return try logical(inner)
        case .comparison(let left, let op, let right):
            return .comparison(try comparable(left), op, try comparable(right))
        case .query(let query):
            return .exists(query)
        case .function(let function, let arguments):
            let call = try functionCall(function, arguments, start: term.start)
            guard function.result != .value else {
                throw failure("`\(function.rawValue)()` gives a value, which is not a test on its own; compare it, as in `\(function.rawValue)(...) > 0`", at: term.start)
            }
            return .function(call)
        case .literal:
            throw failure("a literal on its own is not a test; compare it with something, as in `@.x == 1`", at: term.start)
        }
    }

    /// `term` as one side of a comparison: a literal, a singular query, or a function giving a value.
    private func comparable(_ term: Term) throws(JSONPath.ParseError) -> JSONPath.Comparable {
        switch term.kind {
        case .literal(let value):
            return .literal(value)
        case .query(let query):
            guard query.isSingular else {
                throw failure("this query can select several nodes, so it cannot be compared; use only names and indices (`@.a[0]`), or count() or value()", at: term.start)
            }
            return .query(query)
        case .function(let function, let arguments):
            let call = try functionCall(function, arguments, start: term.start)
            guard function.result == .value else {
                throw failure("`\(function.rawValue)()` gives true or false, which cannot be compared; use it as a test on its own", at: term.start)
            }
            return .function(call)
        default:
            throw failure("only a literal, a singular query or a function can be compared", at: term.start)
        }
    }

    private func functionCall(_ function: JSONPath.Function, _ arguments: [Term], start: Int) throws(JSONPath.ParseError) -> JSONPath.FunctionCall {
        let parameters = function.parameters
        guard arguments.count == parameters.count else {
            let expected = parameters.count == 1 ? "1 argument" : "\(parameters.count) arguments"
            throw failure("`\(function.rawValue)()` takes \(expected), as in `\(function.signature)`; found \(arguments.count)", at: start)
        }
        var checked: [JSONPath.Argument] = []
        for (argument, parameter) in zip(arguments, parameters) {
            checked.append(try self.argument(argument, for: parameter, of: function))
        }
        return JSONPath.FunctionCall(function: function, arguments: checked)
    }

    /// An argument converted to its parameter's type as §2.4.3 allows, or the reason it cannot be.
    private func argument(_ term: Term, for parameter: JSONPath.ExpressionType, of function: JSONPath.Function) throws(JSONPath.ParseError) -> JSONPath.Argument {
        let mismatch = "`\(function.rawValue)()` needs \(parameter.described) here, as in `\(function.signature)`"
        switch (parameter, term.kind) {
        case (.value, .literal(let value)):
            return .literal(value)
        case (.value, .query(let query)):
            guard query.isSingular else {
                throw failure("\(mismatch); this query can select several nodes", at: term.start)
            }
            return .query(query)
        case (.nodes, .query(let query)):
            return .query(query)
        case (_, .function(let inner, let arguments)):
            let call = try functionCall(inner, arguments, start: term.start)
            guard inner.result == parameter || (parameter == .logical && inner.result == .nodes) else {
                throw failure("\(mismatch); `\(inner.rawValue)()` gives \(inner.result.described)", at: term.start)
            }
            return .function(call)
        case (.logical, _):
            return .logical(try logical(term))
        default:
            throw failure(mismatch, at: term.start)
        }
    }
}
