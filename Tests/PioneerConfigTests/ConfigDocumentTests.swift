// YAML to ConfigNode: locations and key paths, repeated keys, syntax errors, and
// input that must be refused quickly instead of crashing or hanging.
import Foundation
import PioneerKit
import Testing
@testable import PioneerConfig

@Suite("YAML documents", .timeLimit(.minutes(5)))
struct ConfigDocumentTests {
    let file = "sites/x/site.yaml"

    /// The issues parsing `text` throws; empty when it parses.
    func issues(_ text: String) -> [ConfigIssue] {
        do {
            _ = try ConfigDocument.parse(text, file: file)
            return []
        } catch {
            return error.issues
        }
    }

    /// The single issue parsing `text` throws.
    func onlyIssue(_ text: String) throws -> ConfigIssue {
        let found = issues(text)
        #expect(found.count == 1, "\(found.listing)")
        return try #require(found.first)
    }

    // MARK: Locations and paths

    @Test("every node carries its line, column and key path")
    func nodesCarryLocationsAndPaths() throws {
        let text = """
        indicators:
          - id: a
          - id: b
            config:
              path: "/x"
              tags: [one, two]
        """
        let tree = try ConfigDocument.parse(text, file: file)
        let second = try #require(tree["indicators"]?.items?[1])
        #expect(second.path == "indicators[1]")
        let path = try #require(second["config"]?["path"])
        #expect(path.path == "indicators[1].config.path")
        #expect(path.location == SourceLocation(file: file, line: 5, column: 13))
        #expect(path.content == .scalar("/x", quoted: true))
        let tag = try #require(second["config"]?["tags"]?.items?[1])
        #expect(tag.path == "indicators[1].config.tags[1]")
        #expect(tag.location.line == 6 && tag.location.column == 19)
        let entry = try #require(second["config"]?.entries?.first)
        #expect(entry.keyLocation == SourceLocation(file: file, line: 5, column: 7))
    }

    @Test("nulls, quoted strings and block scalars are told apart")
    func scalarsKeepTheirKind() throws {
        let tree = try ConfigDocument.parse("a: ~\nb:\nc: '12'\nd: 12\ne: |\n  text\nf: !!str 3\n", file: file)
        #expect(tree["a"]?.isNull == true)
        #expect(tree["b"]?.isNull == true)
        #expect(tree["c"]?.content == .scalar("12", quoted: true))
        #expect(tree["d"]?.content == .scalar("12", quoted: false))
        #expect(tree["e"]?.content == .scalar("text\n", quoted: true))
        #expect(tree["f"]?.content == .scalar("3", quoted: true))
    }

    @Test("an alias expands to a copy of its anchor, with the alias's key path")
    func aliasesExpand() throws {
        let tree = try ConfigDocument.parse("base: &shared { timeout: 5 }\nother: *shared\n", file: file)
        let timeout = try #require(tree["other"]?["timeout"])
        #expect(timeout.scalar == "5")
        #expect(timeout.path == "other.timeout")
    }

    @Test("an alias to a scalar is a copy of the scalar, at the alias's path")
    func aliasToScalar() throws {
        let tree = try ConfigDocument.parse("a: &n 5\nb: *n\nc: [*n, *n]\n", file: file)
        let b = try #require(tree["b"])
        #expect(b.content == .scalar("5", quoted: false))
        #expect(b.path == "b")
        #expect(b.location == SourceLocation(file: file, line: 1, column: 4))
        #expect(tree["c"]?.items?.map(\.path) == ["c[0]", "c[1]"])
    }

    @Test("aliases inside an anchored node get the paths of each place they are copied to")
    func nestedAliasPaths() throws {
        let tree = try ConfigDocument.parse("base: &b { inner: &i [1, 2] }\nother: *b\nlist: [*i]\n", file: file)
        #expect(tree["other"]?["inner"]?.items?[1].path == "other.inner[1]")
        #expect(tree["list"]?.items?[0].items?[1].path == "list[0][1]")
        #expect(tree["list"]?.items?[0].items?[1].scalar == "2")
    }

    @Test("a redefined anchor is the one an alias below it refers to")
    func redefinedAnchor() throws {
        let tree = try ConfigDocument.parse("a: &x 1\nb: &x 2\nc: *x\n", file: file)
        #expect(tree["c"]?.scalar == "2")
    }

    @Test("an anchor cannot refer to itself")
    func selfReferentialAlias() throws {
        let issue = try onlyIssue("a: &x [1, *x]\n")
        #expect(issue.message == "alias `*x` refers to no anchor defined above it (define `&name` before using `*name`)")
        #expect(issue.location.line == 1 && issue.location.column == 11)
    }

    @Test("a document of only `---` is refused: it holds no settings")
    func onlyDocumentMarker() throws {
        #expect(throws: (any Error).self) { try ConfigDocument.parse("---\n", file: file) }
    }

    @Test("a long list of mappings keeps every path")
    func longList() throws {
        let text = "indicators:\n" + (0..<5_000).map { "  - id: i\($0)\n    config: { path: /\($0) }\n" }.joined()
        let tree = try ConfigDocument.parse(text, file: file)
        let last = try #require(tree["indicators"]?.items?.last?["config"]?["path"])
        #expect(last.path == "indicators[4999].config.path")
        #expect(last.scalar == "/4999")
        #expect(last.location.line == 10_001)
    }

    // MARK: Repeated keys

    @Test("a repeated key is reported at the repeat, naming the first")
    func repeatedKeyAtTheRepeat() throws {
        let issue = try onlyIssue("site:\n  id: a\n  name: b\n  id: c\n")
        #expect(issue.message == "duplicate key `id` (first at line 2); a key may appear once in a mapping")
        #expect(issue.location.line == 4 && issue.location.column == 3)
        #expect(issue.path == "site.id")
    }

    @Test("every repeat of a key is reported, in nested and flow mappings too")
    func everyRepeatIsReported() {
        let found = issues("a: 1\nb: { x: 1, y: 2, x: 3 }\na: 2\nc:\n  - k: 1\n    k: 2\na: 3\n")
        #expect(found.map { "\($0.location.line):\($0.location.column) \($0.path)" }
                == ["2:18 b.x", "3:1 a", "6:5 c[0].k", "7:1 a"], "\(found.listing)")
        #expect(found.allSatisfy { $0.message.hasPrefix("duplicate key") })
        #expect(found.last?.message.contains("(first at line 1)") == true)
    }

    @Test("a quoted repeat of a plain key is still a repeat")
    func quotedRepeat() throws {
        let issue = try onlyIssue("name: a\n\"name\": b\n")
        #expect(issue.message.hasPrefix("duplicate key `name` (first at line 1)"))
        #expect(issue.location.line == 2 && issue.location.column == 1)
    }

    @Test("a repeat inside a flow mapping in a list is reported at the repeat, with its path")
    func repeatInFlowMappingInList() throws {
        let issue = try onlyIssue("items:\n  - {id: a, name: b, id: c}\n")
        #expect(issue.message == "duplicate key `id` (first at line 2); a key may appear once in a mapping")
        #expect(issue.location.line == 2 && issue.location.column == 22)
        #expect(issue.path == "items[0].id")
    }

    @Test("a repeat in a mapping with many keys is found")
    func repeatInLargeMapping() throws {
        let lines = (0..<40).map { "key\($0): \($0)" } + ["key7: again", "key39: again"]
        let found = issues(lines.joined(separator: "\n") + "\n")
        #expect(found.map { "\($0.location.line) \($0.path)" } == ["41 key7", "42 key39"], "\(found.listing)")
        #expect(found.first?.message.contains("(first at line 8)") == true)
    }

    @Test("the value of a repeated key is dropped without reports, but its anchors stay usable")
    func repeatedValueKeepsItsAnchors() throws {
        let (tree, found) = ConfigDocument.read("a: 1\na: &x { k: !secret 1, k: 2 }\nb: *x\n", file: file)
        #expect(found.map(\.message) == ["duplicate key `a` (first at line 1); a key may appear once in a mapping"])
        #expect(tree?["a"]?.scalar == "1")
        let k = try #require(tree?["b"]?["k"])
        #expect(k.scalar == "1")
        #expect(k.path == "b.k")
        #expect(tree?["b"]?.entries?.count == 1)
    }

    // MARK: Syntax errors

    @Test("a syntax error gives libyaml's line and column in plain English")
    func syntaxErrorIsLocated() throws {
        let issue = try onlyIssue("site:\n  id: a\n  name: [unclosed\nindicators: []\n")
        #expect(issue.message.hasPrefix("YAML syntax error: "))
        #expect(issue.location.line == 4)
        #expect(!issue.message.contains("YamlError"))
        #expect(!issue.message.contains("scanner("))
    }

    @Test("a value with a colon explains the quoting rule")
    func colonInValueHint() throws {
        let issue = try onlyIssue("title: Goal: fewer admissions\n")
        #expect(issue.message == "YAML syntax error: mapping values are not allowed in this context; a value that contains `: ` must be quoted, or a key is indented wrongly")
        #expect(issue.location.line == 1 && issue.location.column == 12)
    }

    @Test("an unquoted environment reference in a flow mapping is explained")
    func unquotedReferenceInFlowMapping() throws {
        let issue = try onlyIssue("auth: { type: bearer, token: ${BI_TOKEN} }\n")
        #expect(issue.message.hasSuffix("inside `{ }` or `[ ]`, quote environment references: write \"${VARIABLE}\""))
        #expect(issue.location.line == 1)
    }

    @Test("tab indentation is named as the cause")
    func tabIndentation() throws {
        let issue = try onlyIssue("site:\n\tid: a\n")
        #expect(issue.message.contains("YAML does not allow tabs for indentation; indent with spaces"))
        #expect(issue.location.line == 2 && issue.location.column == 1)
    }

    @Test("an alias to no anchor is named")
    func undefinedAlias() throws {
        let issue = try onlyIssue("a: 1\nb: *missing\n")
        #expect(issue.message == "alias `*missing` refers to no anchor defined above it (define `&name` before using `*name`)")
        #expect(issue.location.line == 2 && issue.location.column == 4)
    }

    @Test("a second document is refused")
    func secondDocument() throws {
        let issue = try onlyIssue("a: 1\n---\nb: 2\n")
        #expect(issue.message.hasPrefix("the file holds more than one YAML document"))
        #expect(issue.location.line == 2)
    }

    // MARK: Keys and tags

    @Test("a null key is refused")
    func nullKey() throws {
        let issue = try onlyIssue("~: 1\nb: 2\n")
        #expect(issue.message == "a key must be a string, found null `~`")
        #expect(issue.location.line == 1 && issue.location.column == 1)
    }

    @Test("keys spelled as null in plain text are refused, each with its message")
    func nullKeySpellings() throws {
        #expect(try onlyIssue("null: 1\n").message == "a key must be a string, found null `null`")
        #expect(try onlyIssue("a: 1\nNULL: 2\n").message == "a key must be a string, found null `NULL`")
        #expect(try onlyIssue("!!null x: 1\n").message == "a key must be a string, found null `x`")
        let empty = try onlyIssue("{a: 1, : 2}\n")
        #expect(empty.message.hasPrefix("YAML syntax error"))
    }

    @Test("a quoted key is a string, even when it reads like null or a merge")
    func quotedKeysAreStrings() throws {
        let tree = try ConfigDocument.parse("\"~\": 1\n'null': 2\n\"<<\": 3\n", file: file)
        #expect(tree.entries?.map(\.key) == ["~", "null", "<<"])
        #expect(tree["~"]?.path == "~")
    }

    @Test("a key with a standard tag is read as text; another tag is reported")
    func taggedKeys() throws {
        let tree = try ConfigDocument.parse("!!str 1: a\n!!int 2: b\n", file: file)
        #expect(tree.entries?.map(\.key) == ["1", "2"])
        let issue = try onlyIssue("!!binary x: 1\n")
        #expect(issue.message == "the YAML tag `!!binary` is not supported here; remove it and write a plain value")
        #expect(issue.location.line == 1 && issue.location.column == 1)
    }

    @Test("a list used as a key is refused before it is composed")
    func listKey() throws {
        let issue = try onlyIssue("a: 1\n[x, y]: 2\n")
        #expect(issue.message == "a list or mapping used as a key is not supported; keys are plain strings, written `key: value`")
        #expect(issue.location.line == 2 && issue.location.column == 6)
    }

    @Test("a key after non-ASCII text is located in characters, not bytes")
    func complexKeyColumnAfterAccents() throws {
        let issue = try onlyIssue("é: 1\nñ: [x, y]: 2\n")
        #expect(issue.message.hasPrefix("a list or mapping used as a key is not supported"))
        #expect(issue.location.line == 2 && issue.location.column == 9)
    }

    @Test("an explicit key is refused")
    func explicitKey() throws {
        let issue = try onlyIssue("? a\n: 1\n")
        #expect(issue.message.hasPrefix("an explicit `? ` key is not supported"))
        #expect(issue.location.line == 1 && issue.location.column == 1)
    }

    @Test("a question mark inside a value is text, not a key")
    func questionMarkInValue() throws {
        let tree = try ConfigDocument.parse("narrative: Is it working ? Yes\nlist: [a, b]\n", file: file)
        #expect(tree["narrative"]?.scalar == "Is it working ? Yes")
    }

    @Test("an alias used as a key is refused")
    func aliasKey() throws {
        let issue = try onlyIssue("a: &k name\n*k : 2\n")
        #expect(issue.message.hasPrefix("an alias used as a key is not supported"))
        #expect(issue.location.line == 2 && issue.location.column == 1)
    }

    @Test("a custom tag is refused at the tagged value")
    func customTag() throws {
        let issue = try onlyIssue("a: 1\nb: !secret abc\n")
        #expect(issue.message == "the YAML tag `!secret` is not supported here; remove it and write a plain value")
        #expect(issue.location.line == 2 && issue.location.column == 4)
        #expect(issue.path == "b")
    }

    @Test("a value's typed tag must agree with its text, and then says what the value is")
    func typedTagsAreChecked() throws {
        let tree = try ConfigDocument.parse("a: !!int \"80\"\nb: !!float 1.5\nc: !!bool yes\nd: !!null\ne: !!str 80\n", file: file)
        #expect(tree["a"]?.content == .scalar("80", quoted: false))
        #expect(tree["b"]?.content == .scalar("1.5", quoted: false))
        #expect(tree["c"]?.content == .scalar("yes", quoted: false))
        #expect(tree["d"]?.isNull == true)
        #expect(tree["e"]?.content == .scalar("80", quoted: true))
        let cases = [
            ("a: !!int 18.7\n", "`18.7` is not a whole number, as its tag `!!int` says; correct the value or remove the tag"),
            ("a: !!float abc\n", "`abc` is not a number, as its tag `!!float` says; correct the value or remove the tag"),
            ("a: !!bool maybe\n", "`maybe` is not true or false, as its tag `!!bool` says; correct the value or remove the tag"),
            ("a: !!null 3\n", "`3` is not empty, as its tag `!!null` says; correct the value or remove the tag"),
        ]
        for (text, message) in cases {
            let issue = try onlyIssue(text)
            #expect(issue.message == message)
            #expect(issue.location.line == 1 && issue.location.column == 4 && issue.path == "a")
        }
    }

    @Test("a merge key is refused")
    func mergeKey() throws {
        let issue = try onlyIssue("base: &b { x: 1 }\nfeed:\n  <<: *b\n  y: 2\n")
        #expect(issue.message == "merge keys (`<<`) are not supported; write the keys out in full")
        #expect(issue.location.line == 3 && issue.location.column == 3)
    }

    // MARK: Robustness

    @Test("an empty file is refused")
    func emptyFile() throws {
        #expect(try onlyIssue("").message == "the file is empty")
        #expect(try onlyIssue("  \n\n").message == "the file is empty")
        #expect(try onlyIssue("# just a comment\n").message == "the file is empty (it holds only comments)")
        #expect(try onlyIssue("").description == "sites/x/site.yaml: error: the file is empty")
    }

    /// Found by a tester: these said "invalid (0 errors)" with no reason.
    @Test("a document that is only null is refused with a reason", arguments: ["~\n", "null\n", "---\n...\n", "--- # c\n"])
    func nullDocument(text: String) throws {
        let issue = try onlyIssue(text)
        #expect(issue.message == "the file holds no settings: its one document is empty (null); write the settings as `key: value` lines")
    }

    @Test("binary data is refused at the first NUL byte")
    func binaryData() throws {
        let issue = try onlyIssue("a: 1\nb: \u{0}\u{1}\u{2}\n")
        #expect(issue.message == "the file contains binary data (a NUL byte); a configuration file must be YAML text")
        #expect(issue.location.line == 2 && issue.location.column == 4)
    }

    @Test("a control character is refused with its code")
    func controlCharacter() throws {
        let issue = try onlyIssue("a: 1\nb: x\u{7}y\n")
        #expect(issue.message == "the file contains a control character (U+0007) that YAML does not allow; is it really a YAML text file?")
        #expect(issue.location.line == 2 && issue.location.column == 5)
    }

    @Test("invalid UTF-8 is refused at the bad byte")
    func invalidUTF8() throws {
        var bytes = Array("a: 1\nb: caf".utf8)
        bytes += [0xFF, 0xFE, 0x00, 0x41]
        do {
            _ = try SiteLoader.decode(Data(bytes), file: file)
            Issue.record("invalid UTF-8 was accepted")
        } catch {
            let issue = try #require(error.issues.first)
            #expect(issue.message == "the file is not UTF-8 text (byte 0xFF); is it a binary file, or saved in another encoding? Save it as UTF-8")
            #expect(issue.location.line == 2 && issue.location.column == 7)
        }
    }

    @Test("text over 2 MB is refused without parsing")
    func hugeText() throws {
        let text = String(repeating: "key: value with some length\n", count: 80_000)
        let issue = try onlyIssue(text)
        #expect(issue.message == "the file is 2.1 MB; configuration files are limited to 2 MB")
    }

    @Test("ten thousand nested brackets are refused, not a stack overflow")
    func deepFlowNesting() throws {
        let issue = try onlyIssue("a: " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000))
        #expect(issue.message.hasPrefix("the YAML nests more than 64 levels deep"))
        #expect(issue.location.line == 1 && issue.location.column == 67)
    }

    @Test("line breaks outside ASCII count as lines when nesting is measured")
    func deepNestingAfterUnicodeLineBreaks() throws {
        let issue = try onlyIssue("a: 1\u{85}b: 2\u{2028}c: " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "\n")
        #expect(issue.message.hasPrefix("the YAML nests more than 64 levels deep"))
        #expect(issue.location.line == 3 && issue.location.column == 67)
    }

    @Test("deep block nesting by indentation is refused")
    func deepBlockNesting() throws {
        let text = (0..<200).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n"
        let issue = try onlyIssue(text)
        #expect(issue.message.hasPrefix("the YAML nests more than 64 levels deep"))
        #expect(issue.location.line == 65)
    }

    @Test("deep nesting of compact sequences on one line is refused")
    func deepCompactSequences() throws {
        let issue = try onlyIssue(String(repeating: "- ", count: 5_000) + "x\n")
        #expect(issue.message.hasPrefix("the YAML nests more than 64 levels deep"))
    }

    @Test("an alias bomb stops at the node budget and names the anchor")
    func aliasBomb() throws {
        var lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        let names = ["b", "c", "d", "e", "f", "g", "h", "i"]
        var previous = "a"
        for name in names {
            lines.append("\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]")
            previous = name
        }
        let issue = try onlyIssue(lines.joined(separator: "\n") + "\n")
        #expect(issue.message.hasPrefix("too many nodes after expanding aliases (anchor `"))
        #expect(issue.message.contains("would exceed 100000 values"))
    }

    @Test("an alias that nests too deep where it is copied is refused")
    func aliasNestsTooDeep() throws {
        let text = "a: &x " + String(repeating: "[", count: 40) + "1" + String(repeating: "]", count: 40) + "\n"
            + "b: " + String(repeating: "{k: ", count: 30) + "*x" + String(repeating: "}", count: 30) + "\n"
        let issue = try onlyIssue(text)
        #expect(issue.message.hasPrefix("the YAML nests more than 64 levels deep"))
        #expect(issue.path.hasPrefix("b.k.k."))
    }

    @Test("a syntax error is reported alone, even after other problems")
    func syntaxErrorWins() throws {
        let issue = try onlyIssue("a: 1\na: 2\nb: !secret x\nc: [\n")
        #expect(issue.message.hasPrefix("YAML syntax error"))
    }

    @Test("after an alias bomb, an undefined alias further on is still the error reported")
    func undefinedAliasAfterBomb() throws {
        var lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        var previous = "a"
        for name in ["b", "c", "d", "e", "f"] {
            lines.append("\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]")
            previous = name
        }
        lines.append("g: &g [1]")
        lines.append("h: [*g, *missing]")
        let issue = try onlyIssue(lines.joined(separator: "\n") + "\n")
        #expect(issue.message.hasPrefix("alias `*missing` refers to no anchor"))
        #expect(issue.location.line == 8)
    }

    @Test("a control character after multi-byte text is located in characters, not bytes")
    func controlCharacterAfterAccents() throws {
        let issue = try onlyIssue("a: 1\nb: café\u{7}\n")
        #expect(issue.message.hasPrefix("the file contains a control character (U+0007)"))
        #expect(issue.location.line == 2 && issue.location.column == 8)
    }

    @Test("damaged YAML never crashes: thousands of seeded random edits of a full example")
    func randomEditsNeverCrash() {
        let original = Array("""
        site: &site
          id: torbay
          name: "Torbay \\"and\\" South Devon"
          focus: [frailty, 'care homes', { a: 1, b: [x, y] }]
        feeds:
          bi: { base_url: "https://bi.example", auth: { type: bearer, token: "${TOKEN}" } }
        defaults: &defaults
          period: month
          better: !!str higher
        indicators:
          - id: a
            <<: *defaults
            config: *site
            notes: |
              literal text
              over lines
          - id: b
            tags: !!seq [*defaults, *site, ~, null, '']
            folded: >
              folded text

        """.unicodeScalars)
        let pieces: [String] = ["[", "]", "{", "}", ":", ": ", "- ", "&a ", "*a", "*site", "!!map ", "!x ", "\"", "'",
                                "\n", "\n  ", "\t", "#", ",", "? ", "<<: ", "~", "---\n", "...\n", "|\n", ">-\n", "%YAML 1.1\n", "é", "\u{85}"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
        var parsed = 0
        for _ in 0..<3_000 {
            var scalars = original
            for _ in 0...random(4) {
                let at = random(scalars.count + 1)
                switch random(3) {
                case 0 where at < scalars.count:
                    scalars.removeSubrange(at..<min(scalars.count, at + 1 + random(6)))
                case 1:
                    let start = random(scalars.count)
                    scalars.insert(contentsOf: scalars[start..<min(scalars.count, start + random(40))], at: at)
                default:
                    scalars.insert(contentsOf: pieces[random(pieces.count)].unicodeScalars, at: at)
                }
            }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars)
            let (tree, found) = ConfigDocument.read(String(text), file: file)
            #expect(tree != nil || !found.isEmpty)
            if tree != nil { parsed += 1 }
        }
        // Many edits still leave valid YAML, so the composer's own checks were reached too.
        #expect(parsed > 300, "\(parsed) of 3000 parsed")
    }

    @Test("many repeated keys stop at a limit")
    func manyRepeats() throws {
        let text = (0...150).map { _ in "a: 1" }.joined(separator: "\n") + "\n"
        let found = issues(text)
        #expect(found.contains { $0.message.hasPrefix("more than 100 repeated keys") }, "\(found.count) issues")
    }
}
