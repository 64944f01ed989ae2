// Problems found in configuration, each pointing at a file, line, column and key.

/// One problem in a configuration file.
///
/// Printed as `sites/torbay/site.yaml:12:5: error: indicators[2].unit: expected a string, found a list`.
public struct ConfigIssue: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable {
        case error
        case warning
        /// Not a problem: something worth knowing about how a setting will run.
        case note
    }

    public var severity: Severity
    public var location: SourceLocation
    /// The key path the problem is about (`goals[0].target.period`), or empty for the whole file.
    public var path: String
    public var message: String

    public init(_ severity: Severity = .error, at location: SourceLocation, path: String, _ message: String) {
        self.severity = severity
        self.location = location
        self.path = path
        self.message = message
    }

    public static func error(_ message: String, at node: ConfigNode) -> ConfigIssue {
        ConfigIssue(.error, at: node.location, path: node.path, message)
    }

    public static func warning(_ message: String, at node: ConfigNode) -> ConfigIssue {
        ConfigIssue(.warning, at: node.location, path: node.path, message)
    }

    public var description: String {
        // A key written with an invisible character shows it: `u\u200bnit` is not `unit`.
        let key = path.isEmpty ? "" : "\(path.escapingControlCharacters()): "
        return "\(location): \(severity.rawValue): \(key)\(message)"
    }
}

/// The error a configuration step throws: all the problems it found, not just the first.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var issues: [ConfigIssue]

    public init(_ issues: [ConfigIssue]) {
        self.issues = issues
    }

    public var errors: [ConfigIssue] { issues.filter { $0.severity == .error } }

    public var description: String {
        issues.map(\.description).joined(separator: "\n")
    }
}

/// Collects issues while a configuration tree is read, so one run reports them all.
///
/// A reference type on purpose: readers for nested sections share one collector.
public final class IssueCollector {
    public private(set) var issues: [ConfigIssue] = []

    public init() {}

    public func add(_ issue: ConfigIssue) {
        issues.append(issue)
    }

    public func error(_ message: String, at node: ConfigNode) {
        issues.append(.error(message, at: node))
    }

    public func warning(_ message: String, at node: ConfigNode) {
        issues.append(.warning(message, at: node))
    }

    public func note(_ message: String, at node: ConfigNode) {
        issues.append(ConfigIssue(.note, at: node.location, path: node.path, message))
    }

    /// Takes back an issue reported earlier (the last one equal to `issue`).
    func remove(_ issue: ConfigIssue) {
        if let index = issues.lastIndex(of: issue) { issues.remove(at: index) }
    }

    public func append(contentsOf other: [ConfigIssue]) {
        issues.append(contentsOf: other)
    }

    /// Whether any error was collected, anywhere in the file.
    ///
    /// A plugin deciding whether its own `config:` is usable should ask
    /// ``hasErrors(under:)`` (or ``ConfigReader/hasErrors``) instead: this counts
    /// errors elsewhere in the site file too.
    public var hasErrors: Bool { issues.contains { $0.severity == .error } }

    /// Whether an error was collected about `node` or anything inside it.
    ///
    /// Decided by key path: an error at `indicators[2].config.feed` is under the node
    /// `indicators[2].config`; one at `indicators[3].config` or `feeds.bi` is not. A node
    /// with an empty path (a whole document) has every error under it.
    public func hasErrors(under node: ConfigNode) -> Bool {
        issues.contains { $0.severity == .error && Self.isPath($0.path, under: node.path) }
    }

    /// Whether key path `path` is `ancestor` itself or inside it (`a.b` and `a[0]` are inside `a`; `ab` is not).
    static func isPath(_ path: String, under ancestor: String) -> Bool {
        guard !ancestor.isEmpty else { return true }
        guard path.hasPrefix(ancestor) else { return false }
        let rest = path.dropFirst(ancestor.count)
        return rest.isEmpty || rest.hasPrefix(".") || rest.hasPrefix("[")
    }

    /// Throws a ``ConfigError`` when any error (not warning) was collected.
    public func throwIfErrors() throws(ConfigError) {
        if hasErrors { throw ConfigError(issues) }
    }
}
