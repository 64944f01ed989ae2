// Turns the errors Yams (libyaml) throws into one plain-English issue at the line and
// column libyaml reports, with a hint for the mistakes people make most.
import PioneerKit
import Yams

/// Plain-English versions of Yams' syntax errors.
enum YAMLSyntaxIssue {
    /// The issue for a Yams error thrown while parsing `text`.
    static func issue(for error: any Error, text: String, file: String) -> ConfigIssue {
        guard let yamlError = error as? YamlError else {
            return fileIssue(file, "could not read the file as YAML")
        }
        switch yamlError {
        case let .scanner(context, problem, mark, _),
             let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            return located(problem: problem, context: context, mark: mark, text: text, file: file)
        case let .reader(problem, offset, value, _):
            let position = offset.map { TextPosition.position(ofCharacter: $0, in: text) } ?? (line: 0, column: 0)
            let character = value >= 0 ? " (\(codePoint(UInt32(value))))" : ""
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
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "`\($0)`" }.joined(separator: ", ")
            return ConfigIssue(.error, at: location(context.mark, file), path: "", "duplicate key \(keys) in the same mapping")
        default:
            return fileIssue(file, "could not read the file as YAML")
        }
    }

    private static func located(problem: String, context: YamlError.Context?, mark: Mark, text: String, file: String) -> ConfigIssue {
        var message: String
        switch problem {
        case "found undefined alias":
            message = "alias \(aliasName(at: mark, in: text)) refers to no anchor defined above it (define `&name` before using `*name`)"
        case "but found another document":
            message = "the file holds more than one YAML document; a configuration file holds exactly one (remove this `---` and what follows, or merge the documents)"
        default:
            message = "YAML syntax error: \(problem)"
            if let context, !context.text.isEmpty {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            if let hint = hint(for: problem, at: mark, in: text) {
                message += "; \(hint)"
            }
        }
        return ConfigIssue(.error, at: location(mark, file), path: "", message)
    }

    /// Advice for the libyaml problems that usually have one cause.
    private static func hint(for problem: String, at mark: Mark, in text: String) -> String? {
        let position = TextPosition(text)
        let character = position.offset(line: mark.line, column: mark.column)
            .flatMap { $0 < position.scalars.count ? position.scalars[$0] : nil }
        if character == "\t" {
            return "YAML does not allow tabs for indentation; indent with spaces"
        }
        if problem.hasPrefix("did not find expected ','"), lineText(mark.line, in: position).contains("${") {
            return "inside `{ }` or `[ ]`, quote environment references: write \"${VARIABLE}\""
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

    private static func aliasName(at mark: Mark, in text: String) -> String {
        let position = TextPosition(text)
        guard var index = position.offset(line: mark.line, column: mark.column),
              index < position.scalars.count, position.scalars[index] == "*" else { return "here" }
        var name = "*"
        index += 1
        while index < position.scalars.count {
            let scalar = position.scalars[index]
            guard scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "-" || scalar == "_" else { break }
            name.unicodeScalars.append(scalar)
            index += 1
        }
        return "`\(name)`"
    }

    static func codePoint(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    private static func location(_ mark: Mark, _ file: String) -> SourceLocation {
        SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    static func fileIssue(_ file: String, _ message: String) -> ConfigIssue {
        ConfigIssue(.error, at: .unknown(file), path: "", message)
    }
}
