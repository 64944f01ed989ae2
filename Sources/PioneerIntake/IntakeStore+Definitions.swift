// The indicator definitions the office holds, from accepted JSON returns: ADX carries only an
// indicator id and a definition version, and is read with the definitions kept here.
import Foundation
public import PioneerReturns

extension IntakeStore {
    /// Every definition stored, as the ADX reader looks them up.
    public func definitionCatalogue() async throws(IntakeStoreError) -> DefinitionCatalogue {
        Self.catalogue(definitionTexts: try await backend.definitionTexts())
    }

    /// The catalogue of definitions stored as `texts` (JSON).
    static func catalogue(definitionTexts texts: [String]) -> DefinitionCatalogue {
        let decoder = JSONDecoder()
        let indicators = texts.compactMap { try? decoder.decode(ReturnIndicator.self, from: Data($0.utf8)) }
        // The catalogue takes definitions from returns, and checks each against its version.
        let holder = SiteReturn(
            generator: Generator(version: "intake store"), site: SiteIdentity(id: "", name: "", region: "", wave: ""),
            period: ReturnPeriod(label: "", type: "", start: "", end: ""), generatedAt: "", complete: true, missing: [],
            indicators: indicators, goals: [], runs: [])
        return DefinitionCatalogue([holder])
    }

    /// Of `indicators`' (id, definition version) pairs, those not stored yet, without measures.
    func missingDefinitions(_ indicators: [ReturnIndicator]) async throws(IntakeStoreError) -> [ReturnIndicator] {
        guard !indicators.isEmpty else { return [] }
        let known = try await backend.definitionKeys(indicators: Array(Set(indicators.map(\.id))))
        let present = Set(known.map { $0.indicator + "\n" + $0.version })
        var seen: Set<String> = []
        return indicators.filter { indicator in
            let key = indicator.id + "\n" + indicator.definitionVersion
            return !present.contains(key) && seen.insert(key).inserted
        }.map { indicator in
            var definition = indicator
            definition.measures = []
            return definition
        }
    }
}
