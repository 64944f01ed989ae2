// Explains a line whose indentation does not fit the lines above it, the usual cause of
// libyaml's "did not find expected key" and "did not find expected '-' indicator":
// it names the columns the lines above use, and which of them the line falls between.
import Foundation

/// The indentation advice for one line of YAML text.
struct YAMLIndentationHint {
    /// A column a line above starts something at: a key, or a list item's `- `.
    struct Anchor: Equatable {
        var column: Int
        var line: Int
        /// "`name:`" or "the list item `- `".
        var label: String
        var isListItem: Bool
    }

    let lines: [String]

    init(_ text: String) {
        lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map(String.init)
    }

    /// The column (1-based) where `line`'s content starts, or nil for a blank or comment line.
    func indentation(ofLine line: Int) -> Int? {
        guard line >= 1, line <= lines.count else { return nil }
        let text = lines[line - 1]
        let spaces = text.prefix { $0 == " " }.count
        let rest = text.dropFirst(spaces)
        // A tab has its own advice (YAML forbids it for indentation), and a comment no place.
        guard let first = rest.first, first != "#", first != "\t" else { return nil }
        return spaces + 1
    }

    /// Advice for `line` when the problem libyaml found starts that line; nil otherwise.
    func hint(line: Int, problemColumn column: Int) -> String? {
        guard let start = indentation(ofLine: line), start == column else { return nil }
        return advice(line: line, column: start)
    }

    /// Advice for a `key: value` line indented deeper than the line above, when that line
    /// already has its value (so nothing can nest under it).
    func overIndentedKeyHint(line: Int) -> String? {
        guard let start = indentation(ofLine: line), Self.key(in: lines[line - 1].dropFirst(start - 1)) != nil,
              let above = previousContentLine(before: line), let aboveStart = indentation(ofLine: above),
              start > aboveStart, let anchor = anchors(line: above).first, !opensBlock(above) else { return nil }
        return "this line starts at column \(start), deeper than \(anchor.label) on line \(anchor.line) (column \(anchor.column)), "
            + "which already has its value; keys of one mapping start at the same column"
    }

    private func advice(line: Int, column: Int) -> String? {
        let chain = enclosing(line)
        guard !chain.isEmpty else { return nil }
        let rule = "keys of one mapping start at the same column, and the items of a list start with `- ` at the same column"
        if let same = chain.first(where: { $0.column == column }), same.isListItem {
            let itemKey = chain.last { $0.column > column && !$0.isListItem }
            let keys = itemKey.map { ", or line it up with the item's keys (column \($0.column), as \($0.label) on line \($0.line))" } ?? ""
            return "this line starts at column \(column), where the list's items start with `- ` (line \(same.line)): "
                + "start a new item with `- `\(keys)"
        }
        let deeper = chain.last { $0.column > column }
        let shallower = chain.first { $0.column < column }
        let place: String
        switch (deeper, shallower) {
        case let (deeper?, shallower?):
            place = "between \(describe(deeper)) and \(describe(shallower))"
        case let (deeper?, nil):
            place = "left of \(describe(deeper))"
        case let (nil, shallower?):
            place = "right of \(describe(shallower))"
        case (nil, nil):
            return nil
        }
        return "this line's indentation doesn't fit the lines above: it starts at column \(column), \(place); \(rule)"
    }

    private func describe(_ anchor: Anchor) -> String {
        "\(anchor.label) (line \(anchor.line), column \(anchor.column))"
    }

    /// The keys and list items that enclose `line`, nearest first: walking up, each
    /// anchor starts left of the one before.
    func enclosing(_ line: Int) -> [Anchor] {
        var chain: [Anchor] = []
        var limit = Int.max
        var current = line - 1
        while current >= 1, limit > 1 {
            for anchor in anchors(line: current) where anchor.column < limit {
                chain.append(anchor)
                limit = anchor.column
            }
            current -= 1
        }
        return chain
    }

    /// What `line` starts, deepest first: for `  - id: x`, the key `id:` at column 5 then
    /// the list item at column 3.
    func anchors(line: Int) -> [Anchor] {
        guard let start = indentation(ofLine: line) else { return [] }
        var content = Substring(lines[line - 1]).dropFirst(start - 1)
        var column = start
        var found: [Anchor] = []
        while content.hasPrefix("- ") || content == "-" {
            found.append(Anchor(column: column, line: line, label: "the list item `- `", isListItem: true))
            let after = content.dropFirst(1)
            let spaces = after.prefix { $0 == " " }.count
            content = after.dropFirst(spaces)
            column += 1 + spaces
        }
        if let key = Self.key(in: content) {
            found.append(Anchor(column: column, line: line, label: "`\(key):`", isListItem: false))
        }
        return found.reversed()
    }

    private func previousContentLine(before line: Int) -> Int? {
        var current = line - 1
        while current >= 1 {
            if indentation(ofLine: current) != nil { return current }
            current -= 1
        }
        return nil
    }

    /// Whether the line ends with a key's `:` (and maybe a comment), so lines below may nest under it.
    private func opensBlock(_ line: Int) -> Bool {
        var text = Substring(lines[line - 1])
        if let comment = text.range(of: " #") { text = text[..<comment.lowerBound] }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.hasSuffix(":") || trimmed.hasSuffix("|") || trimmed.hasSuffix(">") || trimmed.hasSuffix("-")
    }

    /// The plain key a line's content starts with (`name` in `name: x` or `name:`), or nil.
    static func key(in content: Substring) -> String? {
        guard let first = content.first, !"\"'{[&*!|>#%@`".contains(first) else { return nil }
        var index = content.startIndex
        while index < content.endIndex {
            if content[index] == ":" {
                let next = content.index(after: index)
                if next == content.endIndex || content[next] == " " {
                    let key = content[content.startIndex..<index].trimmingCharacters(in: .whitespaces)
                    return key.isEmpty ? nil : key
                }
            }
            index = content.index(after: index)
        }
        return nil
    }
}
