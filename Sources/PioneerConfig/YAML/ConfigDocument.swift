// Reading a configuration file's YAML text into a located ConfigNode tree, safely:
// size, binary data, nesting depth and alias expansion are all bounded, and every
// problem comes back as a ConfigIssue naming the file, line and column.
public import PioneerKit

/// Parses YAML configuration text into a ``ConfigNode`` tree.
///
/// Every node carries its `file:line:column` and key path. Anything that is not a
/// sensible configuration file is refused with a plain-English message rather than a
/// crash or a hang: empty text, binary data, text over ``maximumBytes``, nesting over
/// ``maximumDepth`` levels, and alias "bombs" that would expand past ``maximumNodes``.
///
/// ```swift
/// let tree = try ConfigDocument.parse(text, file: "sites/torbay/site.yaml")
/// let reader = ConfigReader(tree, issues: IssueCollector())
/// ```
public enum ConfigDocument {
    /// Largest text accepted: 2 MB. Site files are a few kilobytes.
    public static let maximumBytes = 2 * 1024 * 1024
    /// Deepest nesting accepted.
    public static let maximumDepth = 64
    /// Most values accepted, after expanding aliases.
    public static let maximumNodes = 100_000

    /// Parses `text`, throwing every problem found when any is an error.
    ///
    /// - Parameters:
    ///   - text: The YAML text.
    ///   - file: The path shown in messages.
    /// - Throws: ``ConfigError`` with the problems, each at its line and column.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> ConfigNode {
        let (tree, issues) = read(text, file: file)
        guard let tree, !issues.contains(where: { $0.severity == .error }) else {
            throw ConfigError(issues)
        }
        return tree
    }

    /// `issues` less the errors found after the document's own first `documentCount` at the
    /// place of one of the document's errors: a value the YAML itself refused (a merge key,
    /// a tag its text contradicts) is not reported a second time as missing or mistyped.
    static func droppingFollowOns(_ issues: [ConfigIssue], documentCount: Int) -> [ConfigIssue] {
        let refused = Set(issues.prefix(documentCount).filter { $0.severity == .error }.map(\.location))
        guard !refused.isEmpty else { return issues }
        return Array(issues.prefix(documentCount))
            + issues.dropFirst(documentCount).filter { $0.severity != .error || !refused.contains($0.location) }
    }

    /// Parses `text`, returning the tree when one could be built, and the problems found.
    ///
    /// Repeated keys, tags and non-string keys are reported while the rest of the tree
    /// is still returned (the offending entries left out), so a caller can go on to
    /// check the schema and report everything in one run.
    static func read(_ text: String, file: String) -> (ConfigNode?, [ConfigIssue]) {
        func refuse(_ message: String, line: Int = 0, column: Int = 0) -> (ConfigNode?, [ConfigIssue]) {
            (nil, [ConfigIssue(.error, at: SourceLocation(file: file, line: line, column: column), path: "", message)])
        }
        let size = text.utf8.count
        if size > maximumBytes {
            return refuse("the file is \(ByteCount.describe(size)); configuration files are limited to \(ByteCount.describe(maximumBytes))")
        }
        // In UTF-8 a 0 byte is always the NUL character itself.
        if let nul = text.utf8.firstIndex(of: 0) {
            let position = TextPosition.position(ofUTF8Offset: text.utf8.distance(from: text.utf8.startIndex, to: nul), in: text)
            return refuse("the file contains binary data (a NUL byte); a configuration file must be YAML text",
                          line: position.line, column: position.column)
        }
        if text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace || $0 == "\u{FEFF}" }) {
            return refuse("the file is empty")
        }
        switch YAMLPrescan(depthLimit: maximumDepth).firstFinding(in: text) {
        case .tooDeep(let line, let column):
            return refuse("the YAML nests more than \(maximumDepth) levels deep; configuration is far shallower, so this is probably not a configuration file",
                          line: line, column: column)
        case .complexKey(let line, let column, let what):
            return refuse("\(what) is not supported; keys are plain strings, written `key: value`", line: line, column: column)
        case nil:
            break
        }

        let composition = YAMLComposer.compose(text, file: file, maximumDepth: maximumDepth, maximumNodes: maximumNodes)
        if composition.isEmpty {
            return refuse("the file is empty (it holds only comments)")
        }
        // `~`, `null` or a document marker alone: a document, but one with nothing in it.
        if let root = composition.root, root.isNull, composition.issues.isEmpty {
            return refuse("the file holds no settings: its one document is empty (null); write the settings as `key: value` lines",
                          line: root.location.line, column: root.location.column)
        }
        return (composition.root, composition.issues)
    }
}
