// The indicator definitions the office holds, from accepted JSON returns: ADX carries only an
// indicator id and a definition version, and is read with the definitions kept here.
internal import GRDB
import Foundation
public import PioneerReturns

extension IntakeStore {
    /// Every definition stored, as the ADX reader looks them up.
    public func definitionCatalogue() async throws(IntakeStoreError) -> DefinitionCatalogue {
        let texts = try await read("read the indicator definitions") { db in
            try String.fetchAll(db, sql: "SELECT definition FROM indicator_definition ORDER BY indicator, version")
        }
        let decoder = JSONDecoder()
        let indicators = texts.compactMap { try? decoder.decode(ReturnIndicator.self, from: Data($0.utf8)) }
        // The catalogue takes definitions from returns, and checks each against its version.
        let holder = SiteReturn(
            generator: Generator(version: "intake store"), site: SiteIdentity(id: "", name: "", region: "", wave: ""),
            period: ReturnPeriod(label: "", type: "", start: "", end: ""), generatedAt: "", complete: true, missing: [],
            indicators: indicators, goals: [], runs: [])
        return DefinitionCatalogue([holder])
    }

    /// Of `indicators`' (id, definition version) pairs, those not stored yet.
    func missingDefinitions(_ indicators: [ReturnIndicator]) async throws(IntakeStoreError) -> [ReturnIndicator] {
        guard !indicators.isEmpty else { return [] }
        let ids = Array(Set(indicators.map(\.id)))
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        let known = try await read("read the indicator definitions") { db in
            try Row.fetchAll(db, sql: "SELECT indicator, version FROM indicator_definition WHERE indicator IN (\(placeholders))",
                             arguments: StatementArguments(ids))
                .map { row -> String in
                    let indicator: String = row["indicator"], version: String = row["version"]
                    return indicator + "\n" + version
                }
        }
        let present = Set(known)
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

    /// Stores `definitions` that are not stored yet, inside the caller's transaction.
    static func insertDefinitions(_ definitions: [ReturnIndicator], _ db: Database) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for definition in definitions {
            let json = String(decoding: try encoder.encode(definition), as: UTF8.self)
            try db.execute(
                sql: """
                    INSERT INTO indicator_definition (indicator, version, definition)
                    SELECT ?, ?, ? WHERE NOT EXISTS
                        (SELECT 1 FROM indicator_definition WHERE indicator = ? AND version = ?)
                    """,
                arguments: [definition.id, definition.definitionVersion, json, definition.id, definition.definitionVersion])
        }
    }
}
