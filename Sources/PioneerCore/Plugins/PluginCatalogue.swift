// The indicator plugins a run may use, by the name a site YAML gives in `plugin:`.
// The command-line tool builds it (the built-in plugins from PioneerPlugins, and later
// a site's own and external ones) and passes it to the stages that read `plugin:`.
public import PioneerKit

/// Plugin factories by name: add, look up, list.
///
/// ```swift
/// var catalogue = try PluginCatalogue([PluginFactory(JSONIndicatorPlugin.self)])
/// try catalogue.add(PluginFactory(name: "waiting-list", summary: "…") { config, setup, issues in … })
/// catalogue.factory(named: "json")?.configure(config, setup: setup, issues: issues)
/// ```
public struct PluginCatalogue: Sendable {
    private var byName: [String: PluginFactory] = [:]

    /// An empty catalogue.
    public init() {}

    /// A catalogue of `factories`.
    ///
    /// - Throws: ``PluginCatalogueError`` when two share a name or a name is not a plugin name.
    public init(_ factories: [PluginFactory]) throws(PluginCatalogueError) {
        for factory in factories { try add(factory) }
    }

    /// Registers `factory` under its name.
    ///
    /// - Throws: ``PluginCatalogueError`` when the name is taken or is not lowercase
    ///   letters, digits and hyphens starting with a letter (the form `plugin:` names take).
    public mutating func add(_ factory: PluginFactory) throws(PluginCatalogueError) {
        guard Self.isPluginName(factory.name) else { throw .invalidName(factory.name) }
        guard byName[factory.name] == nil else { throw .duplicate(factory.name) }
        byName[factory.name] = factory
    }

    /// The factory registered under `name`, or nil.
    public func factory(named name: String) -> PluginFactory? {
        byName[name]
    }

    /// Every factory, sorted by name.
    public var factories: [PluginFactory] {
        byName.values.sorted { $0.name < $1.name }
    }

    /// Registered names, sorted.
    public var names: [String] {
        byName.keys.sorted()
    }

    /// What to say when a site names `name` and no plugin has it: the closest registered
    /// name, if one is close, and the registered names.
    public func unknownNameMessage(_ name: String) -> String {
        let known = names.isEmpty
            ? "no plugins are registered in this build"
            : "registered plugins: " + names.map { "`\($0)`" }.joined(separator: ", ")
        return "unknown plugin `\(name)`\(didYouMean(name, among: names)); \(known) (see `pioneer plugins`)"
    }

    /// Lowercase ASCII letters, digits and single hyphens, starting with a letter: `care-home-deaths`.
    public static func isPluginName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first),
              !name.hasSuffix("-"), !name.contains("--") else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}

/// Why a plugin factory could not be added to a ``PluginCatalogue``.
public enum PluginCatalogueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Another factory already has the name.
    case duplicate(String)
    /// The name is not one a site YAML could give in `plugin:`.
    case invalidName(String)

    public var description: String {
        switch self {
        case .duplicate(let name):
            "two plugins are registered under the name `\(name)`; each plugin needs a name of its own"
        case .invalidName(let name):
            "`\(name)` cannot be a plugin name; use lowercase letters, digits and single hyphens, starting with a letter, e.g. `care-home-deaths`"
        }
    }
}
