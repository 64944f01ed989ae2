// Configuration trees written as Swift literals, so plugin tests need no YAML parser.
public import PioneerKit

/// A plugin's `config:` written as a Swift literal, turned into a ``ConfigNode`` with key paths.
///
/// Strings, numbers and booleans become plain scalars (as unquoted YAML would), arrays
/// become lists, dictionary literals become mappings in the order written, and `nil`
/// is an empty value.
///
/// ```swift
/// let config: ConfigLiteral = [
///     "feed": "bi",
///     "path": "/admissions?month={period}",
///     "select": "$.data[*].admissions",
///     "aggregate": "sum",
/// ]
/// config.node()   // paths like `config.select` in messages
/// ```
public indirect enum ConfigLiteral: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    /// A scalar as written; `quoted` scalars are always strings (YAML `"..."`).
    case scalar(String, quoted: Bool)
    case list([ConfigLiteral])
    case mapping([(key: String, value: ConfigLiteral)])
    case null

    public init(stringLiteral value: String) { self = .scalar(value, quoted: false) }
    public init(integerLiteral value: Int) { self = .scalar(String(value), quoted: false) }
    public init(floatLiteral value: Double) { self = .scalar(String(value), quoted: false) }
    public init(booleanLiteral value: Bool) { self = .scalar(value ? "true" : "false", quoted: false) }
    public init(arrayLiteral elements: ConfigLiteral...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, ConfigLiteral)...) {
        self = .mapping(elements.map { (key: $0.0, value: $0.1) })
    }
    public init(nilLiteral: ()) { self = .null }

    /// The tree as a ``ConfigNode`` whose root has key path `path` and whose locations name `file`.
    public func node(path: String = "config", file: String = "<test>") -> ConfigNode {
        let location = SourceLocation.unknown(file)
        switch self {
        case .scalar(let text, let quoted):
            return ConfigNode(.scalar(text, quoted: quoted), location: location, path: path)
        case .list(let items):
            let nodes = items.enumerated().map { index, item in item.node(path: "\(path)[\(index)]", file: file) }
            return ConfigNode(.sequence(nodes), location: location, path: path)
        case .mapping(let pairs):
            let entries = pairs.map { pair in
                ConfigNode.Entry(key: pair.key, keyLocation: location,
                                 value: pair.value.node(path: path.isEmpty ? pair.key : "\(path).\(pair.key)", file: file))
            }
            return ConfigNode(.mapping(entries), location: location, path: path)
        case .null:
            return ConfigNode(.null, location: location, path: path)
        }
    }
}
