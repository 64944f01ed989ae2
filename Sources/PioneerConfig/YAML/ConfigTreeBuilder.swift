// Walks a Yams node tree and builds PioneerKit's ConfigNode tree: locations and key
// paths on every node, repeated keys reported at the repeat, aliases expanded under a
// node budget, and anything a configuration file has no use for reported.
import PioneerKit
import Yams

/// Builds a ``ConfigNode`` tree from a composed Yams document.
///
/// Problems that still leave a usable tree (a repeated key, a tag, a non-string key)
/// are collected in ``issues`` and the offending entry is left out. Problems that
/// make the tree unusable (too deep, too many nodes) stop the walk and are kept in
/// ``fatal``.
struct ConfigTreeBuilder {
    let file: String
    let maximumDepth: Int
    let maximumNodes: Int
    /// Stand-in key -> real key, from ``YAMLComposer``.
    let maskedKeys: [String: String]

    private(set) var issues: [ConfigIssue] = []
    private(set) var fatal: ConfigIssue?
    private var nodeCount = 0
    /// Anchors whose definition has been walked; meeting one again means an alias.
    private var walkedAnchors: Set<ObjectIdentifier> = []
    /// The outermost alias being expanded, for the alias-bomb message.
    private var expandingAlias: (name: String, location: SourceLocation)?

    init(file: String, maximumDepth: Int, maximumNodes: Int, maskedKeys: [String: String]) {
        self.file = file
        self.maximumDepth = maximumDepth
        self.maximumNodes = maximumNodes
        self.maskedKeys = maskedKeys
    }

    mutating func build(_ node: Node, path: String, depth: Int, fallback: SourceLocation) -> ConfigNode {
        let location = node.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) } ?? fallback
        guard fatal == nil else { return ConfigNode(.null, location: location, path: path) }

        nodeCount += 1
        if nodeCount > maximumNodes {
            fatal = tooManyNodes(at: location)
            return ConfigNode(.null, location: location, path: path)
        }
        if depth > maximumDepth {
            fatal = ConfigIssue(.error, at: location, path: path,
                                "the YAML nests more than \(maximumDepth) levels deep; configuration is far shallower, so this is probably not a configuration file")
            return ConfigNode(.null, location: location, path: path)
        }

        // An anchor met for the second time is an alias being expanded.
        var startedAlias = false
        if let anchor = node.anchor {
            let identity = ObjectIdentifier(anchor)
            if walkedAnchors.contains(identity) {
                if expandingAlias == nil {
                    expandingAlias = (anchor.rawValue, location)
                    startedAlias = true
                }
            } else {
                walkedAnchors.insert(identity)
            }
        }
        defer { if startedAlias { expandingAlias = nil } }

        switch node {
        case .scalar(let scalar):
            return buildScalar(scalar, location: location, path: path)
        case .sequence(let sequence):
            checkTag(sequence.tag.rawValue, allowed: [.seq], at: location, path: path)
            var items: [ConfigNode] = []
            for (index, item) in sequence.enumerated() {
                items.append(build(item, path: "\(path)[\(index)]", depth: depth + 1, fallback: location))
            }
            return ConfigNode(.sequence(items), location: location, path: path)
        case .mapping(let mapping):
            checkTag(mapping.tag.rawValue, allowed: [.map], at: location, path: path)
            return buildMapping(mapping, location: location, path: path, depth: depth)
        case .alias:
            // Yams' composer resolves aliases to the anchored node; this case does not occur.
            return ConfigNode(.null, location: location, path: path)
        }
    }

    /// Plain scalars YAML reads as null (checked here, as resolving a Yams tag mutates the node).
    private static let nullSpellings: Set<String> = ["", "~", "null", "Null", "NULL"]

    private mutating func buildScalar(_ scalar: Node.Scalar, location: SourceLocation, path: String) -> ConfigNode {
        // Read the written tag before anything resolves it: Yams resolves tags in place.
        let writtenTag = scalar.tag.rawValue
        checkTag(writtenTag, allowed: [.str, .int, .float, .bool, .null], at: location, path: path)
        switch scalar.style {
        case .singleQuoted, .doubleQuoted, .literal, .folded:
            return ConfigNode(.scalar(scalar.string, quoted: true), location: location, path: path)
        default:
            if writtenTag == Tag.Name.str.rawValue {
                return ConfigNode(.scalar(scalar.string, quoted: true), location: location, path: path)
            }
            if writtenTag == Tag.Name.null.rawValue
                || (writtenTag.isEmpty && Self.nullSpellings.contains(scalar.string)) {
                return ConfigNode(.null, location: location, path: path)
            }
            return ConfigNode(.scalar(scalar.string, quoted: false), location: location, path: path)
        }
    }

    private mutating func buildMapping(_ mapping: Node.Mapping, location: SourceLocation, path: String, depth: Int) -> ConfigNode {
        var entries: [ConfigNode.Entry] = []
        var firstSeen: [String: SourceLocation] = [:]
        for (keyNode, valueNode) in mapping {
            let keyLocation = keyNode.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) } ?? location
            guard let rawKey = keyText(keyNode, at: keyLocation, path: path) else { continue }
            let key = maskedKeys[rawKey] ?? rawKey
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            if let first = firstSeen[key] {
                issues.append(ConfigIssue(.error, at: keyLocation, path: childPath,
                                          "duplicate key `\(key)` (first at line \(first.line)); a key may appear once in a mapping"))
                continue
            }
            firstSeen[key] = keyLocation
            let value = build(valueNode, path: childPath, depth: depth + 1, fallback: keyLocation)
            entries.append(ConfigNode.Entry(key: key, keyLocation: keyLocation, value: value))
        }
        return ConfigNode(.mapping(entries), location: location, path: path)
    }

    /// The text of a mapping key, or nil (with an issue) when it is not a usable string.
    private mutating func keyText(_ key: Node, at location: SourceLocation, path: String) -> String? {
        guard case .scalar(let scalar) = key else {
            let kind = key.mapping != nil ? "a mapping" : "a list"
            issues.append(ConfigIssue(.error, at: location, path: path, "a key must be a plain string, found \(kind)"))
            return nil
        }
        // Yams has already resolved key tags while checking for repeats.
        let tag = key.tag.rawValue
        if tag == Tag.Name.null.rawValue {
            issues.append(ConfigIssue(.error, at: location, path: path,
                                      scalar.string.isEmpty ? "a key is missing before `:`" : "a key must be a string, found null `\(scalar.string)`"))
            return nil
        }
        if tag == Tag.Name.merge.rawValue {
            issues.append(ConfigIssue(.error, at: location, path: path,
                                      "merge keys (`<<`) are not supported; write the keys out in full"))
            return nil
        }
        checkTag(tag, allowed: [.str, .int, .float, .bool, .timestamp], at: location, path: path)
        return scalar.string
    }

    /// Reports a tag written on a value, unless it is one of `allowed`.
    private mutating func checkTag(_ tag: String, allowed: [Tag.Name], at location: SourceLocation, path: String) {
        guard !tag.isEmpty, tag != Tag.Name.nonSpecific.rawValue, !allowed.contains(where: { $0.rawValue == tag }) else { return }
        let standardPrefix = "tag:yaml.org,2002:"
        let shown = tag.hasPrefix(standardPrefix) ? "!!" + tag.dropFirst(standardPrefix.count) : tag
        issues.append(ConfigIssue(.error, at: location, path: path,
                                  "the YAML tag `\(shown)` is not supported here; remove it and write a plain value"))
    }

    private func tooManyNodes(at location: SourceLocation) -> ConfigIssue {
        if let alias = expandingAlias {
            return ConfigIssue(.error, at: alias.location, path: "",
                               "too many nodes after expanding aliases (anchor `\(alias.name)` at line \(alias.location.line) is repeated until the document would exceed \(maximumNodes) values); aliases must not multiply like this")
        }
        return ConfigIssue(.error, at: location, path: "",
                           "the document has more than \(maximumNodes) values; configuration files are far smaller")
    }
}
