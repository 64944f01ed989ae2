// Every ```yaml block in README.md, docs/*.md and Plugins/*/README.md is read the way
// Pioneer reads it: a whole site file is loaded and validated, an indicator entry is
// validated inside a small site, anything else must at least parse. A block the text
// presents as wrong carries `<!-- snippet: invalid -->` (optionally with the message
// expected, `<!-- snippet: invalid: unknown key `indicatr` -->`) and must fail; a piece
// of a file carries `<!-- snippet: fragment -->` and is only parsed.
import Foundation
import PioneerKit
import PioneerTesting
import PioneerCore
import Testing
@testable import PioneerConfig

/// One ```yaml block of a Markdown file.
struct DocumentationSnippet: CustomTestStringConvertible, Sendable {
    enum Marker: Equatable, Sendable {
        case none
        case fragment
        /// Must fail; with the message (or part of it) the text says it gives, when given.
        case invalid(expected: String?)
    }

    /// Relative to the package root, e.g. `docs/configuration.md`.
    var file: String
    /// The line of the opening fence.
    var line: Int
    var text: String
    var marker: Marker

    var testDescription: String { "\(file):\(line)" }
}

@Suite("Documentation snippets")
struct DocumentationSnippetTests {
    static let root = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// README.md, docs/*.md and Plugins/*/README.md, relative to the root.
    static var documents: [String] {
        let manager = FileManager.default
        let docs = ((try? manager.contentsOfDirectory(atPath: root.appending(path: "docs").path)) ?? [])
            .filter { $0.hasSuffix(".md") }.sorted().map { "docs/\($0)" }
        let plugins = ((try? manager.contentsOfDirectory(atPath: root.appending(path: "Plugins").path)) ?? [])
            .sorted().map { "Plugins/\($0)/README.md" }
            .filter { manager.fileExists(atPath: root.appending(path: $0).path) }
        return ["README.md"] + docs + plugins
    }

    static var snippets: [DocumentationSnippet] {
        documents.flatMap { file in
            (try? String(contentsOf: root.appending(path: file), encoding: .utf8)).map { snippets(in: $0, file: file) } ?? []
        }
    }

    @Test("the documents and their snippets are found")
    func snippetsAreFound() {
        let snippets = Self.snippets
        let counts = Dictionary(grouping: snippets) { SnippetCheck.kind(of: $0) }.mapValues(\.count)
        print("Documentation snippets: checked \(snippets.count) yaml blocks in \(Self.documents.count) files: "
              + SnippetCheck.Kind.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", "))
        #expect(Self.documents.contains("docs/configuration.md"), "no docs/ found under \(Self.root.path)")
        #expect(snippets.contains { $0.file == "README.md" })
        #expect(snippets.count >= 10, "found only \(snippets.count) yaml blocks")
    }

    @Test("each yaml block parses and validates as its text says", arguments: snippets)
    func snippetIsWhatItsTextSays(_ snippet: DocumentationSnippet) throws {
        let errors = try SnippetCheck.errors(in: snippet)
        switch snippet.marker {
        case .none, .fragment:
            if let first = errors.first {
                Issue.record(Comment(rawValue: "\(snippet.file):\(first.line) (the block at line \(snippet.line)): \(first.message)"
                                     + (errors.count > 1 ? " (and \(errors.count - 1) more)" : "")))
            }
        case .invalid(let expected):
            if errors.isEmpty {
                Issue.record("\(snippet.file):\(snippet.line): marked `snippet: invalid`, but it loads without errors")
            } else if let expected, !errors.contains(where: { $0.message.contains(expected) }) {
                Issue.record(Comment(rawValue: "\(snippet.file):\(snippet.line): the text says it fails with “\(expected)”, but it gives "
                                     + errors.map { "“\($0.message)”" }.joined(separator: ", ")))
            }
        }
    }

    @Test("every table cell in the documents closes its backticks")
    func tableCellsCloseTheirBackticks() throws {
        for file in Self.documents {
            let text = try String(contentsOf: Self.root.appending(path: file), encoding: .utf8)
            var inFence = false
            for (index, line) in text.components(separatedBy: "\n").enumerated() {
                if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") { inFence.toggle() }
                guard !inFence, line.hasPrefix("|") else { continue }
                // `\|` is a pipe inside a cell (GitHub's tables), not a cell border.
                let cells = line.replacingOccurrences(of: "\\|", with: "\u{1}").split(separator: "|")
                for cell in cells where cell.count(where: { $0 == "`" }) % 2 == 1 {
                    Issue.record("\(file):\(index + 1): a table cell opens a backtick it does not close: \(cell.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
    }

    // MARK: The checker checks

    @Test("a broken block is named by file and line, and markers are obeyed")
    func checkerFindsBrokenBlocks() throws {
        let markdown = """
        Intro.

        ```yaml
        feeds:
          bi:
            auth: { type: bearer, token: ${BI_TOKEN} }
        ```

        <!-- snippet: invalid: unknown key `indicatr` -->
        ```yaml
        - id: x
          plugin: json
          indicatr: y
        ```

        <!-- snippet: fragment -->
        ```yaml
          ratio: [1, 2]
        ```

        1. In a list:

           ```yaml
           - id: falls
             name: Falls
             kind: outcome
             value_type: count
             unit: admissions
             period: monthly
             better: lower
             plugin: json
             config: { feed: bi, path: /falls, select: $.total }
           ```

        ```yaml
        feeds:
          pas:
            base_url: https://pas.example.nhs.uk/api
            auth: { type: bearer, token: "${PAS_TOKEN}" }
        ```
        """
        let found = Self.snippets(in: markdown, file: "docs/example.md")
        #expect(found.map(\.line) == [3, 10, 17, 23, 35])
        #expect(found.map(\.marker) == [.none, .invalid(expected: "unknown key `indicatr`"), .fragment, .none, .none])
        // A block that does not parse has no shape; it is counted with the fragments, and fails.
        #expect(found.map { SnippetCheck.kind(of: $0) } == [.fragment, .invalid, .fragment, .indicators, .siteSections])

        let flow = try SnippetCheck.errors(in: found[0])
        #expect(flow.first?.line == 6, "\(flow)")
        #expect(flow.first?.message.contains("quote environment references") == true, "\(flow)")

        let invalid = try SnippetCheck.errors(in: found[1])
        #expect(invalid.contains { $0.line == 13 && $0.message.contains("unknown key `indicatr`") }, "\(invalid)")

        #expect(try SnippetCheck.errors(in: found[2]).isEmpty)

        let indicator = try SnippetCheck.errors(in: found[3])
        #expect(indicator.count == 1, "\(indicator)")
        #expect(indicator.first?.line == 29, "\(indicator)")
        #expect(indicator.first?.message.contains("did you mean `month`?") == true, "\(indicator)")

        #expect(try SnippetCheck.errors(in: found[4]).isEmpty)
        let wrongFeedKey = DocumentationSnippet(file: "docs/example.md", line: 35,
                                                text: found[4].text.replacingOccurrences(of: "base_url", with: "base_uri"), marker: .none)
        let feedErrors = try SnippetCheck.errors(in: wrongFeedKey)
        #expect(feedErrors.contains { $0.line == 38 && $0.message.contains("unknown key `base_uri` (did you mean `base_url`?)") }, "\(feedErrors)")
    }

    @Test("a whole site file in a block is loaded with its environment variables set")
    func wholeSiteIsLoaded() throws {
        let markdown = """
        ```yaml
        site: { id: tiny, name: Tiny, region: Test, wave: Test, focus: testing }
        population: { total: 1000 }
        feeds:
          bi: { base_url: "http://127.0.0.1:9/api", auth: { type: bearer, token: "${TINY_TOKEN}" } }
        indicators:
          - id: admissions
            name: Admissions
            kind: outcome
            value_type: rate
            unit: per 1,000
            period: month
            better: lower
            per: 1000
            plugin: rate
            config:
              numerator: { json: { feed: bi, path: /a, select: $.total } }
              denominator: { population: totl }
        ```
        """
        let snippet = try #require(Self.snippets(in: markdown, file: "README.md").first)
        #expect(SnippetCheck.kind(of: snippet) == .site)
        let errors = try SnippetCheck.errors(in: snippet)
        #expect(errors.map(\.line) == [18], "\(errors)")
        #expect(errors.first?.message.contains("unknown population `totl` (did you mean `total`?)") == true, "\(errors)")
    }

    // MARK: Finding blocks

    /// The ```yaml (or ```yml) blocks of `markdown`, each with its fence's line and the
    /// marker comment on the line before it (blank lines between allowed).
    static func snippets(in markdown: String, file: String) -> [DocumentationSnippet] {
        let lines = markdown.components(separatedBy: "\n")
        var result: [DocumentationSnippet] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let indent = line.prefix { $0 == " " }.count
            let fence = line.dropFirst(indent).trimmingCharacters(in: .whitespaces)
            guard fence == "```yaml" || fence == "```yml" else {
                if fence.hasPrefix("```") { index = closingFence(after: index, in: lines) }
                index += 1
                continue
            }
            let close = closingFence(after: index, in: lines)
            let body = lines[(index + 1)..<close].map { String($0.dropFirst(min(indent, $0.prefix { $0 == " " }.count))) }
            result.append(DocumentationSnippet(
                file: file, line: index + 1, text: body.joined(separator: "\n") + "\n",
                marker: marker(before: index, in: lines)))
            index = close + 1
        }
        return result
    }

    private static func closingFence(after open: Int, in lines: [String]) -> Int {
        var index = open + 1
        while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces) != "```" { index += 1 }
        return index
    }

    private static func marker(before fence: Int, in lines: [String]) -> DocumentationSnippet.Marker {
        var index = fence - 1
        while index >= 0, lines[index].trimmingCharacters(in: .whitespaces).isEmpty { index -= 1 }
        guard index >= 0 else { return .none }
        let comment = lines[index].trimmingCharacters(in: .whitespaces)
        guard comment.hasPrefix("<!-- snippet:"), comment.hasSuffix("-->") else { return .none }
        let words = comment.dropFirst("<!-- snippet:".count).dropLast("-->".count).trimmingCharacters(in: .whitespaces)
        if words == "fragment" { return .fragment }
        if words == "invalid" { return .invalid(expected: nil) }
        if words.hasPrefix("invalid:") {
            let expected = words.dropFirst("invalid:".count).trimmingCharacters(in: .whitespaces)
            return .invalid(expected: expected.isEmpty ? nil : expected)
        }
        return .none
    }
}

/// Reads one snippet as Pioneer would and returns its errors, at lines of the Markdown file.
enum SnippetCheck {
    enum Kind: String, CaseIterable, Sendable {
        case site = "site files"
        case indicators = "indicator entries"
        case siteSections = "feeds or population sections"
        case fragment = "fragments (parsed only)"
        case invalid = "marked invalid"
    }

    struct Located: CustomStringConvertible {
        var line: Int
        var message: String
        var description: String { "\(line): \(message)" }
    }

    /// What the snippet is, judged from its marker and its top-level shape.
    static func kind(of snippet: DocumentationSnippet) -> Kind {
        switch snippet.marker {
        case .fragment: return .fragment
        case .invalid: return .invalid
        case .none: break
        }
        guard let tree = try? ConfigDocument.parse(snippet.text, file: snippet.file) else { return .fragment }
        return shape(of: tree)
    }

    private static func shape(of tree: ConfigNode) -> Kind {
        if let keys = tree.entries?.map(\.key) {
            if keys.contains("site") { return .site }
            if keys == ["indicators"] || isIndicator(tree) { return .indicators }
            if !keys.isEmpty, Set(keys).isSubset(of: ["feeds", "population"]) { return .siteSections }
            return .fragment
        }
        if let items = tree.items, !items.isEmpty, items.allSatisfy(isIndicator) {
            return .indicators
        }
        return .fragment
    }

    /// An indicator entry has an id and says how it is computed or what it holds; a goal
    /// (which also has an id) says `indicator:` instead.
    private static func isIndicator(_ node: ConfigNode) -> Bool {
        node["id"] != nil && ["plugin", "kind", "value_type"].contains { node[$0] != nil }
    }

    /// The errors Pioneer reports for the snippet (warnings left out), each at its
    /// Markdown line.
    static func errors(in snippet: DocumentationSnippet) throws -> [Located] {
        let (tree, parseIssues) = ConfigDocument.read(snippet.text, file: snippet.file)
        let parseErrors = parseIssues.filter { $0.severity == .error }
        guard let tree, parseErrors.isEmpty else {
            let issues = parseErrors.isEmpty ? [ConfigIssue(.error, at: .unknown(snippet.file), path: "", "the block holds no YAML")] : parseErrors
            return issues.map { Located(line: snippet.line + max($0.location.line, 1), message: $0.message) }
        }
        let kind = snippet.marker == .fragment ? Kind.fragment : shape(of: tree)
        switch kind {
        case .fragment, .invalid:
            return []
        case .site:
            let id = tree["site"]?["id"]?.scalar ?? "site"
            return try load(site: snippet.text, id: id, headerLines: 0, snippet: snippet)
        case .indicators, .siteSections:
            let (site, headerLines) = smallSite(around: snippet.text, tree: tree, kind: kind)
            return try load(site: site, id: "snippet", headerLines: headerLines, snippet: snippet)
        }
    }

    /// A site holding the snippet: every feed and population it names is declared, so
    /// what is checked is the snippet itself.
    private static func smallSite(around text: String, tree: ConfigNode, kind: Kind) -> (String, Int) {
        let feeds = Set(values(of: "feed", in: tree)).sorted()
        let populations = Set(values(of: "population", in: tree) + ["total", "aged_65_plus"]).sorted()
        var header = """
        site: { id: snippet, name: Snippet, region: Test, wave: Test, focus: testing }

        """
        let body: String
        switch kind {
        case .siteSections:
            // The snippet brings its own feeds or population; one constant indicator makes it a site.
            if tree["population"] == nil {
                header += "population: { " + populations.map { "\($0): 1000" }.joined(separator: ", ") + " }\n"
            }
            header += """
            indicators:
              - { id: constant, name: Constant, kind: process, value_type: proportion, unit: "%", period: month,
                  better: higher, plugin: rate, config: { numerator: { value: 1 }, denominator: { value: 2 } } }

            """
            body = text
        default:
            header += "population: { " + populations.map { "\($0): 1000" }.joined(separator: ", ") + " }\n"
            if !feeds.isEmpty {
                header += "feeds:\n" + feeds.map { "  \($0): { base_url: \"http://127.0.0.1:9/\($0)\" }\n" }.joined()
            }
            if tree.entries != nil, tree["indicators"] != nil {
                body = text
            } else if tree.entries != nil {
                // One entry written as a mapping: make it the list's only item.
                header += "indicators:\n"
                body = text.components(separatedBy: "\n").enumerated()
                    .map { $0.offset == 0 ? "  - " + $0.element : ($0.element.isEmpty ? "" : "    " + $0.element) }
                    .joined(separator: "\n")
            } else {
                header += "indicators:\n"
                body = text.components(separatedBy: "\n").map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
            }
        }
        return (header + body, header.components(separatedBy: "\n").count - 1)
    }

    /// The scalar values of every `key:` anywhere in the tree.
    private static func values(of key: String, in node: ConfigNode) -> [String] {
        switch node.content {
        case .mapping(let entries):
            return entries.flatMap { entry in
                (entry.key == key ? entry.value.scalar.map { [$0] } ?? [] : []) + values(of: key, in: entry.value)
            }
        case .sequence(let items):
            return items.flatMap { values(of: key, in: $0) }
        case .scalar, .null:
            return []
        }
    }

    /// Writes `site` to a temporary `<id>/site.yaml`, loads it with every `${VARIABLE}`
    /// it names set, and returns its errors at Markdown lines.
    private static func load(site: String, id: String, headerLines: Int, snippet: DocumentationSnippet) throws -> [Located] {
        return try withTemporaryFolder(prefix: "pioneer-config-tests") { (folder: URL) -> [Located] in
            let name = SiteIdentifier.isIdentifier(id) ? id : "site"
            try folder.write("\(name)/\(SiteLoader.fileName)", site)
            let environment = Dictionary(variables(in: site).map { ($0, "snippet-test-value") }, uniquingKeysWith: { first, _ in first })
            do {
                _ = try SiteLoader(plugins: .builtIn(adding: []), environment: environment).load(directory: "\(folder.path)/\(name)")
                return []
            } catch let error as ConfigError {
                return error.errors.map { issue in
                    let line = issue.location.line - headerLines
                    let key = issue.path.isEmpty ? "" : "\(issue.path): "
                    return Located(line: line >= 1 ? snippet.line + line : snippet.line, message: key + issue.message)
                }
            }
        }
    }

    /// The names in `${NAME}` references.
    private static func variables(in text: String) -> [String] {
        text.components(separatedBy: "${").dropFirst().compactMap { part in
            part.firstIndex(of: "}").map { String(part[..<$0]) }
        }
    }
}
