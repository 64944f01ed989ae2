// The indicator definitions the office holds, gathered from JSON returns: ADX carries only an
// indicator id and a definition version, and this is where that pair is looked up to learn the
// name, value type, unit, factor and direction. Nothing is guessed: a pair no JSON return
// supplies stays unresolved.

/// Indicator definitions by id and definition version, from JSON returns of any period.
public struct DefinitionCatalogue: Sendable, Hashable {
    private var definitions: [Key: ReturnIndicator] = [:]

    struct Key: Hashable, Sendable {
        var id: String
        var version: String
    }

    public init() {}

    /// A catalogue of every definition in `returns`.
    public init(_ returns: [SiteReturn]) {
        for siteReturn in returns { add(siteReturn) }
    }

    /// Adds the definitions `siteReturn` carries.
    ///
    /// A definition whose fields do not hash to its version (changed after the return was
    /// made) is not added: the version is what ADX refers to, so it must mean those fields.
    public mutating func add(_ siteReturn: SiteReturn) {
        for indicator in siteReturn.indicators {
            let key = Key(id: indicator.id, version: indicator.definitionVersion)
            guard definitions[key] == nil, indicator.computedDefinitionVersion == indicator.definitionVersion else { continue }
            var definition = indicator
            definition.measures = []
            definitions[key] = definition
        }
    }

    /// The definition of indicator `id` at `version`, without measures; nil when none is known.
    public func definition(id: String, version: String) -> ReturnIndicator? {
        definitions[Key(id: id, version: version)]
    }

    public var isEmpty: Bool { definitions.isEmpty }
}

/// An indicator in an ADX return whose definition no JSON return supplies.
public struct UnresolvedDefinition: Sendable, Hashable, Codable, CustomStringConvertible {
    public var indicator: String
    public var definitionVersion: String

    public init(indicator: String, definitionVersion: String) {
        self.indicator = indicator
        self.definitionVersion = definitionVersion
    }

    public var description: String { "\(indicator) (definition \(definitionVersion))" }
}
