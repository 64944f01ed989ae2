// Composes YAML text into a Yams node tree, keeping the parser (and so the anchors)
// alive, and getting past Yams' refusal of repeated keys so they can be reported
// precisely, at the repeat, instead of at the first occurrence.
import PioneerKit
import Yams

/// A composed Yams tree and what is needed to read it faithfully.
final class ComposedDocument {
    /// Yams nodes hold their anchors weakly; the parser owns them, so it must outlive the walk.
    let parser: Parser
    let root: Node?
    /// Keys renamed in the text so that Yams would accept a repeated key: stand-in -> real key.
    let maskedKeys: [String: String]

    init(parser: Parser, root: Node?, maskedKeys: [String: String]) {
        self.parser = parser
        self.root = root
        self.maskedKeys = maskedKeys
    }
}

/// Runs Yams over configuration text.
///
/// Yams throws on the first mapping with a repeated key and points at the key's
/// first occurrence. To find every repeat, the composer gives that first occurrence
/// a private stand-in name of the same length (so no line or column moves) and
/// parses again; the tree walker restores the name and reports the repeat where it
/// is written.
enum YAMLComposer {
    /// Only the tags Pioneer acts on (null and merge keys). Values are typed by ConfigReader,
    /// so resolving every scalar against Yams' full set of regular expressions (bool, int,
    /// float, timestamp) would cost time and decide nothing.
    static let keyResolver = Resolver.basic.appending(Resolver.Rule.merge).appending(Resolver.Rule.null)

    /// More repeated keys than this in one file stop the reading.
    static let maximumRepeats = 100

    static func compose(_ text: String, file: String) throws(ConfigError) -> ComposedDocument {
        var working = text
        var masked: [String: String] = [:]
        while true {
            do {
                let parser = try Parser(yaml: working, resolver: keyResolver, constructor: .default, encoding: .utf8)
                let root = try parser.singleRoot()
                return ComposedDocument(parser: parser, root: root, maskedKeys: masked)
            } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
                guard masked.count < maximumRepeats else {
                    throw ConfigError([ConfigIssue(
                        .error, at: SourceLocation(file: file, line: context.mark.line, column: context.mark.column), path: "",
                        "more than \(maximumRepeats) repeated keys; remove the repeats and validate again")])
                }
                let standIn = standInName(number: masked.count, length: duplicates.first?.unicodeScalars.count ?? 0)
                guard let key = duplicates.first,
                      let renamed = rename(key: key, at: context.mark, to: standIn, in: working) else {
                    throw ConfigError([YAMLSyntaxIssue.issue(
                        for: YamlError.duplicatedKeysInMapping(duplicates: duplicates, context: context),
                        text: working, file: file)])
                }
                working = renamed
                masked[standIn] = key
            } catch {
                throw ConfigError([YAMLSyntaxIssue.issue(for: error, text: working, file: file)])
            }
        }
    }

    /// A name no real file uses: private-use characters, the first one numbered.
    static func standInName(number: Int, length: Int) -> String {
        guard length > 0, let first = Unicode.Scalar(0xE000 + UInt32(number % 6000)),
              let filler = Unicode.Scalar(0xF000 as UInt32) else { return "" }
        var scalars = String.UnicodeScalarView()
        scalars.append(first)
        scalars.append(contentsOf: repeatElement(filler, count: length - 1))
        return String(scalars)
    }

    /// `text` with the key written at `mark` renamed to `standIn`, or nil when the
    /// key is not written there as plain or simply quoted text.
    static func rename(key: String, at mark: Mark, to standIn: String, in text: String) -> String? {
        let position = TextPosition(text)
        guard var offset = position.offset(line: mark.line, column: mark.column), !standIn.isEmpty else { return nil }
        var scalars = position.scalars
        if offset < scalars.count, scalars[offset] == "\"" || scalars[offset] == "'" {
            offset += 1
        }
        let keyScalars = Array(key.unicodeScalars)
        let replacement = Array(standIn.unicodeScalars)
        guard replacement.count == keyScalars.count, offset + keyScalars.count <= scalars.count,
              Array(scalars[offset..<(offset + keyScalars.count)]) == keyScalars else { return nil }
        scalars.replaceSubrange(offset..<(offset + keyScalars.count), with: replacement)
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}
