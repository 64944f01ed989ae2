// Turns the errors libyaml reports into one plain-English issue at the line and column
// libyaml gives, with a hint for the mistakes people make most.
import CYAML
import Foundation
import PioneerKit

/// Why libyaml stopped, copied out of the parser: its problem, context and marks.
struct LibYAMLError {
    enum Stage {
        case memory, reader, scanner, parser, other
    }

    var stage: Stage
    var problem: String
    /// What libyaml was reading when it met the problem, and where that began.
    var context: (text: String, line: Int, column: Int)?
    /// Where the problem is: 1-based line and column (columns in Unicode scalars).
    var line: Int
    var column: Int
    /// For reader errors: the byte offset of the problem and the offending value (-1 for none).
    var offset: Int
    var value: Int32

    init(_ parser: UnsafePointer<yaml_parser_t>) {
        let state = parser.pointee
        switch state.error {
        case YAML_MEMORY_ERROR: stage = .memory
        case YAML_READER_ERROR: stage = .reader
        case YAML_SCANNER_ERROR: stage = .scanner
        case YAML_PARSER_ERROR: stage = .parser
        default: stage = .other
        }
        problem = state.problem.map { String(cString: $0) } ?? ""
        context = state.context.map {
            (String(cString: $0), state.context_mark.line + 1, state.context_mark.column + 1)
        }
        line = state.problem_mark.line + 1
        column = state.problem_mark.column + 1
        offset = state.problem_offset
        value = state.problem_value
    }
}

/// Plain-English versions of libyaml's syntax errors, and of the two the composer finds.
enum YAMLSyntaxIssue {
    /// The issue for libyaml stopping with `error` while parsing `text`.
    static func issue(for error: LibYAMLError, text: String, file: String) -> ConfigIssue {
        switch error.stage {
        case .scanner, .parser:
            return located(error, text: text, file: file)
        case .reader:
            let position = TextPosition.position(ofUTF8Offset: error.offset, in: text)
            let character = error.value >= 0 ? " (\(codePoint(UInt32(error.value))))" : ""
            let problem = error.problem
            let message: String
            if problem.contains("control characters") {
                message = "the file contains a control character\(character) that YAML does not allow; is it really a YAML text file?"
            } else if problem.contains("UTF-8") || problem.contains("octet") {
                message = "the file is not valid UTF-8 text (\(problem))"
            } else {
                message = "cannot read the text: \(problem)\(character)"
            }
            return ConfigIssue(.error, at: SourceLocation(file: file, line: position.line, column: position.column), path: "", message)
        case .memory:
            return fileIssue(file, "ran out of memory while reading the YAML")
        case .other:
            return fileIssue(file, "could not read the file as YAML")
        }
    }

    /// An alias (`*name`) with no anchor (`&name`) defined before it.
    static func undefinedAlias(_ name: String, at location: SourceLocation) -> ConfigIssue {
        ConfigIssue(.error, at: location, path: "",
                    "alias `*\(name)` refers to no anchor defined above it (define `&name` before using `*name`)")
    }

    /// A second document in the stream, starting at `location`.
    static func anotherDocument(at location: SourceLocation) -> ConfigIssue {
        ConfigIssue(.error, at: location, path: "",
                    "the file holds more than one YAML document; a configuration file holds exactly one (remove this `---` and what follows, or merge the documents)")
    }

    private static func located(_ error: LibYAMLError, text: String, file: String) -> ConfigIssue {
        var (line, column) = (error.line, error.column)
        // A key without its `:` is noticed only at the next token, often at the end of the
        // file; the key itself is where libyaml began scanning it.
        if error.problem == "could not find expected ':'", let context = error.context,
           context.text == "while scanning a simple key", context.line < line {
            (line, column) = (context.line, context.column)
        }
        if let hint = indentationHint(for: error, text: text) {
            let message = "YAML syntax error: \(hint) (libyaml: \(error.problem))"
            return ConfigIssue(.error, at: SourceLocation(file: file, line: line, column: column), path: "", message)
        }
        var message = "YAML syntax error: \(error.problem)"
        if let context = error.context, !context.text.isEmpty, (context.line, context.column) != (line, column) {
            message += " (\(context.text) at line \(context.line), column \(context.column))"
        }
        if let hint = hint(for: error.problem, line: line, column: column, context: error.context, in: text) {
            message += "; \(hint)"
        }
        return ConfigIssue(.error, at: SourceLocation(file: file, line: line, column: column), path: "", message)
    }

    /// Plain advice for the errors a misplaced line causes, when the line is what libyaml
    /// stopped at.
    private static func indentationHint(for error: LibYAMLError, text: String) -> String? {
        let lines = YAMLIndentationHint(text)
        switch error.problem {
        case "did not find expected key", "did not find expected '-' indicator":
            return lines.hint(line: error.line, problemColumn: error.column)
        case "mapping values are not allowed in this context":
            return lines.overIndentedKeyHint(line: error.line)
        default:
            return nil
        }
    }

    /// Advice for the libyaml problems that usually have one cause.
    private static func hint(for problem: String, line: Int, column: Int,
                             context: (text: String, line: Int, column: Int)?, in text: String) -> String? {
        let position = TextPosition(text)
        let character = position.offset(line: line, column: column)
            .flatMap { $0 < position.scalars.count ? position.scalars[$0] : nil }
        if character == "\t" {
            return "YAML does not allow tabs for indentation; indent with spaces"
        }
        if problem.hasPrefix("did not find expected ','"), lineText(line, in: position).contains("${") {
            return "inside `{ }` or `[ ]`, quote environment references: write \"${VARIABLE}\""
        }
        if problem.hasPrefix("did not find expected ','"), let context, context.line < line {
            let bracket = problem.hasSuffix("']'") ? ("[", "]") : ("{", "}")
            return "the `\(bracket.0)` opened at line \(context.line), column \(context.column) is not closed with `\(bracket.1)` before this, or a `,` is missing between two of its items"
        }
        if problem == "could not find expected ':'", lineText(line, in: position).trimmingCharacters(in: .whitespacesAndNewlines).range(of: #"^-[^\s-]"#, options: .regularExpression) != nil {
            return "a list item's `-` must be followed by a space, as in `- value`"
        }
        switch problem {
        case "mapping values are not allowed in this context":
            return "a value that contains `: ` must be quoted, or a key is indented wrongly"
        case "found character that cannot start any token":
            if let character, ["@", "`"].contains(character) {
                return "a value starting with `\(character)` must be quoted"
            }
            return "quote the value if it starts with a special character"
        case "did not find expected key":
            return "check the indentation of this line and the one above; values with `:` or `#` need quotes"
        case "could not find expected ':'":
            return "a key is missing its `:`, or a quoted value is not closed"
        case "found unexpected end of stream":
            return "a quoted value or a bracket is not closed"
        default:
            return nil
        }
    }

    private static func lineText(_ line: Int, in position: TextPosition) -> String {
        guard line >= 1, line <= position.lineStarts.count else { return "" }
        let end = line < position.lineStarts.count ? position.lineStarts[line] : position.scalars.count
        var view = String.UnicodeScalarView()
        view.append(contentsOf: position.scalars[position.lineStarts[line - 1]..<end])
        return String(view)
    }

    static func codePoint(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    static func fileIssue(_ file: String, _ message: String) -> ConfigIssue {
        ConfigIssue(.error, at: .unknown(file), path: "", message)
    }
}
