// An ADX return as a SiteReturn, its definitions looked up in a DefinitionCatalogue, so the
// aggregate screens and pools ADX and JSON returns by the same code.
import PioneerKit

/// What an ADX return becomes once its definitions are looked up.
public struct ADXResolution: Sendable, Hashable {
    /// The return with the indicators whose definitions are known. It has no goals, no runs,
    /// no provenance and no digest (ADX carries none of them); ``ADXReturn/contentDigestCheck``
    /// stands for the digest.
    public var siteReturn: SiteReturn
    /// The indicators whose definition no JSON return supplies, in document order: their
    /// values are not in ``siteReturn``.
    public var unresolved: [UnresolvedDefinition]
}

extension ADXReturn {
    /// The name the generator is given in a return read from ADX, which does not say which pioneer made it.
    public static let generatorVersion = "unknown (read from ADX)"

    /// This return as a ``SiteReturn``, each indicator defined from `catalogue`.
    ///
    /// A measure with a sample size and no value (suppressed, or another reason ADX cannot
    /// carry) is marked not available.
    public func resolved(with catalogue: DefinitionCatalogue) -> ADXResolution {
        var order: [String] = []
        var versions: [String: String] = [:]
        var measures: [String: [ReturnMeasure]] = [:]
        for group in groups {
            var parts: [String: [ADXPart: Double]] = [:]
            var elements: [String] = []
            for value in group.values {
                if parts[value.dataElement] == nil { elements.append(value.dataElement) }
                parts[value.dataElement, default: [:]][value.part] = value.value
                if versions[value.dataElement] == nil {
                    order.append(value.dataElement)
                    versions[value.dataElement] = value.definitionVersion
                }
            }
            let period = ReturnPeriod(label: group.period.label, type: group.period.type.rawValue,
                                      start: group.period.start.description, end: group.period.end.description)
            for element in elements {
                let found = parts[element] ?? [:]
                let value = found[.value]
                measures[element, default: []].append(ReturnMeasure(
                    period: period, value: value, numerator: found[.numerator], denominator: found[.denominator],
                    sampleSize: found[.sampleSize].map { Int($0) },
                    notAvailable: value == nil ? ReturnNotAvailable(reason: "not in the ADX return", detail: "") : nil,
                    provenance: ReturnProvenance(plugin: "adx", runID: 0, collectedAt: exported, sources: [])))
            }
        }
        var indicators: [ReturnIndicator] = []
        var unresolved: [UnresolvedDefinition] = []
        for element in order {
            // The reader holds every data value of an indicator to one definition version.
            let version = versions[element] ?? ""
            guard var definition = catalogue.definition(id: element, version: version) else {
                unresolved.append(UnresolvedDefinition(indicator: element, definitionVersion: version))
                continue
            }
            definition.measures = measures[element] ?? []
            indicators.append(definition)
        }
        let siteReturn = SiteReturn(
            schemaVersion: schemaVersion, generator: Generator(version: Self.generatorVersion),
            site: SiteIdentity(id: site, name: site, region: "", wave: ""),
            period: ReturnPeriod(label: reportingPeriod.label, type: reportingPeriod.type.rawValue,
                                 start: reportingPeriod.start.description, end: reportingPeriod.end.description),
            generatedAt: exported, complete: complete, missing: [], indicators: indicators, goals: [], runs: [])
        return ADXResolution(siteReturn: siteReturn, unresolved: unresolved)
    }
}
