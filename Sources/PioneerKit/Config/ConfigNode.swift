// A YAML-neutral tree of configuration values, each carrying its source location.
// The host builds it from YAML; plugins read their own `config:` section from it.

/// One node of a configuration tree: a scalar, a sequence or a mapping.
///
/// Every node knows its ``SourceLocation`` and its key path from the document
/// root (`indicators[2].config.path`), so a plugin that rejects a value can say
/// exactly where it is without knowing anything about YAML.
public struct ConfigNode: Sendable, Hashable {
    /// A mapping entry. Keys are always scalars in Pioneer's configuration.
    public struct Entry: Sendable, Hashable {
        public var key: String
        public var keyLocation: SourceLocation
        public var value: ConfigNode

        public init(key: String, keyLocation: SourceLocation, value: ConfigNode) {
            self.key = key
            self.keyLocation = keyLocation
            self.value = value
        }
    }

    public indirect enum Content: Sendable, Hashable {
        /// A scalar as written. `quoted` is true for `"..."` or `'...'` scalars,
        /// which are always strings, never numbers or booleans.
        case scalar(String, quoted: Bool)
        case sequence([ConfigNode])
        /// Entries in document order. Duplicate keys are reported by the host
        /// before a plugin sees the tree.
        case mapping([Entry])
        /// An explicit null (`~`, `null` or an empty value).
        case null
    }

    public var content: Content
    public var location: SourceLocation
    /// The key path from the document root, e.g. `indicators[2].config.path`.
    public var path: String

    public init(_ content: Content, location: SourceLocation, path: String) {
        self.content = content
        self.location = location
        self.path = path
    }

    /// Plain-English name of the node's kind, for messages ("a mapping", "a list").
    public var kindDescription: String {
        switch content {
        case .scalar(let text, let quoted):
            if quoted { return "a string" }
            if Self.parseBool(text) != nil { return "a boolean" }
            if Double(text) != nil { return "a number" }
            return "a string"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .null: return "an empty value"
        }
    }

    public var scalar: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    public var entries: [Entry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    public var items: [ConfigNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    public var isNull: Bool {
        if case .null = content { return true }
        return false
    }

    /// The value at `key` in a mapping, or nil.
    public subscript(key: String) -> ConfigNode? {
        guard case .mapping(let entries) = content else { return nil }
        for entry in entries where entry.key == key {
            return entry.value
        }
        return nil
    }

    /// YAML 1.1 and 1.2 spellings of booleans that Pioneer accepts.
    package static func parseBool(_ text: String) -> Bool? {
        switch text.lowercasedFast() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }
}

extension ConfigNode {
    /// Builds a scalar node, mostly for tests and programmatic configuration.
    public static func scalar(_ text: String, at location: SourceLocation = .unknown(), path: String = "") -> ConfigNode {
        ConfigNode(.scalar(text, quoted: false), location: location, path: path)
    }

    /// Builds a mapping from string pairs, mostly for tests.
    public static func mapping(_ pairs: [(String, ConfigNode)], at location: SourceLocation = .unknown(), path: String = "") -> ConfigNode {
        ConfigNode(
            .mapping(pairs.map { Entry(key: $0.0, keyLocation: $0.1.location, value: $0.1) }),
            location: location, path: path)
    }
}
