// Reads JSONPath text into segments, one character at a time, naming the position of any mistake.

/// A recursive-descent reader for the grammar documented on ``JSONPath``:
///
/// ```
/// path       = "$" segment*
/// segment    = "." name | ".*" | ".." name | "[" selector "]"
/// selector   = quoted | integer | "*" | "?(" comparison ("&&" comparison)* ")"
/// comparison = "@" ("." name | "[" quoted "]")+ op (quoted | number)
/// op         = "==" | "!=" | "<" | "<=" | ">" | ">="
/// name       = (letter | digit | "_" | "-")+
/// ```
/// Spaces are allowed inside brackets and filters, nowhere else.
struct JSONPathParser {
    private let expression: String
    private let characters: [Character]
    private var position = 0

    init(_ expression: String) {
        self.expression = expression
        self.characters = Array(expression)
    }

    mutating func parse() throws(JSONPath.ParseError) -> [JSONPath.Segment] {
        guard peek() == "$" else {
            throw failure(characters.isEmpty ? "the path is empty; it must start with `$`" : "a path must start with `$`, found \(found())")
        }
        position += 1
        var segments: [JSONPath.Segment] = []
        while position < characters.count {
            segments.append(try segment())
        }
        return segments
    }

    // MARK: Segments

    private mutating func segment() throws(JSONPath.ParseError) -> JSONPath.Segment {
        switch peek() {
        case ".":
            position += 1
            if peek() == "." {
                position += 1
                guard let key = name() else {
                    throw failure("expected a member name after `..`, found \(found())")
                }
                return .descendant(key)
            }
            if peek() == "*" {
                position += 1
                return .wildcard
            }
            guard let key = name() else {
                throw failure("expected a member name or `*` after `.`, found \(found()); write `['...']` for names with other characters")
            }
            return .member(key)
        case "[":
            position += 1
            skipSpaces()
            let result = try bracketSelector()
            skipSpaces()
            try expect("]", after: "the selector")
            return result
        default:
            throw failure("expected `.` or `[`, found \(found())")
        }
    }

    private mutating func bracketSelector() throws(JSONPath.ParseError) -> JSONPath.Segment {
        switch peek() {
        case "'", "\"":
            return .member(try quoted())
        case "*":
            position += 1
            return .wildcard
        case "?":
            position += 1
            try expect("(", after: "`?`")
            var comparisons = [try comparison()]
            skipSpaces()
            while peek() == "&" {
                position += 1
                try expect("&", after: "`&` (write `&&`)")
                comparisons.append(try comparison())
                skipSpaces()
            }
            try expect(")", after: "the filter")
            return .filter(comparisons)
        case let c? where c == "-" || c.isASCIIDigit:
            return .index(try integer())
        default:
            throw failure("expected a quoted name, an index, `*` or `?(` after `[`, found \(found())")
        }
    }

    // MARK: Filters

    private mutating func comparison() throws(JSONPath.ParseError) -> JSONPath.Comparison {
        skipSpaces()
        guard peek() == "@" else {
            throw failure("a filter compares a field of `@`, such as `@.age_band == '65+'`; found \(found())")
        }
        position += 1
        var field: [String] = []
        while peek() == "." || peek() == "[" {
            if peek() == "." {
                position += 1
                guard let key = name() else {
                    throw failure("expected a field name after `@.`, found \(found())")
                }
                field.append(key)
            } else {
                position += 1
                skipSpaces()
                guard peek() == "'" || peek() == "\"" else {
                    throw failure("expected a quoted field name after `[` in a filter, found \(found())")
                }
                field.append(try quoted())
                skipSpaces()
                try expect("]", after: "the field name")
            }
        }
        skipSpaces()
        guard !field.isEmpty else {
            throw failure("expected `.field` after `@`, found \(found())")
        }
        let op = try comparisonOperator()
        skipSpaces()
        let literal: JSONPath.Comparison.Literal
        switch peek() {
        case "'", "\"":
            literal = .string(try quoted())
        case let c? where c == "-" || c.isASCIIDigit:
            literal = .number(try number())
        default:
            throw failure("expected a quoted string or a number after `\(op.rawValue)`, found \(found())")
        }
        return JSONPath.Comparison(field: field, op: op, literal: literal)
    }

    private mutating func comparisonOperator() throws(JSONPath.ParseError) -> JSONPath.Comparison.Operator {
        let start = position
        var text = ""
        while let c = peek(), "=!<>".contains(c), text.count < 2 {
            text.append(c)
            position += 1
        }
        if let op = JSONPath.Comparison.Operator(rawValue: text) { return op }
        position = start
        if text == "=" {
            throw failure("`=` is not a comparison; write `==`")
        }
        throw failure("expected a comparison (`==`, `!=`, `<`, `<=`, `>`, `>=`), found \(found())")
    }

    // MARK: Tokens

    /// A bare member name, or nil when none starts here.
    private mutating func name() -> String? {
        var text = ""
        while let c = peek(), c.isLetter || c.isNumber || c == "_" || c == "-" {
            text.append(c)
            position += 1
        }
        return text.isEmpty ? nil : text
    }

    /// A `'...'` or `"..."` string; a backslash escapes the next character.
    private mutating func quoted() throws(JSONPath.ParseError) -> String {
        guard let quote = peek() else { throw failure("expected a quote, found the end of the path") }
        let start = position
        position += 1
        var text = ""
        while let c = peek() {
            position += 1
            if c == quote { return text }
            if c == "\\" {
                guard let escaped = peek() else { break }
                text.append(escaped)
                position += 1
            } else {
                text.append(c)
            }
        }
        position = start
        throw failure("the string starting here is not closed with \(quote)")
    }

    private mutating func integer() throws(JSONPath.ParseError) -> Int {
        let start = position
        var text = ""
        if peek() == "-" {
            text.append("-")
            position += 1
        }
        while let c = peek(), c.isASCIIDigit {
            text.append(c)
            position += 1
        }
        guard let value = Int(text) else {
            position = start
            throw failure("expected a whole number index such as `0` or `-1`")
        }
        return value
    }

    private mutating func number() throws(JSONPath.ParseError) -> Double {
        let start = position
        var text = ""
        while let c = peek(), c == "-" || c == "." || c == "e" || c == "E" || c == "+" || c.isASCIIDigit {
            text.append(c)
            position += 1
        }
        guard let value = Double(text), value.isFinite else {
            position = start
            throw failure("`\(text)` is not a number")
        }
        return value
    }

    // MARK: Helpers

    private func peek() -> Character? {
        position < characters.count ? characters[position] : nil
    }

    private mutating func skipSpaces() {
        while peek() == " " { position += 1 }
    }

    private mutating func expect(_ character: Character, after what: String) throws(JSONPath.ParseError) {
        guard peek() == character else {
            throw failure("expected `\(character)` after \(what), found \(found())")
        }
        position += 1
    }

    /// The current character, described for a message.
    private func found() -> String {
        guard let c = peek() else { return "the end of the path" }
        return "`\(c)`"
    }

    private func failure(_ reason: String) -> JSONPath.ParseError {
        JSONPath.ParseError(expression: expression, position: position + 1, reason: reason)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
