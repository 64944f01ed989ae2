// The version of an indicator's definition: a short hash that changes whenever anything
// that decides what its values mean changes, so the office never pools unlike values.
import Crypto
import Foundation
public import PioneerKit

extension IndicatorDefinition {
    /// The first 12 hex digits of the SHA-256 of the canonical definition: id, name, kind,
    /// value type, unit, factor, direction and decimals as JSON with sorted keys and no spaces.
    ///
    /// The period type, description and due lag are left out: they say when and how a value
    /// is collected, not what it means.
    public var definitionVersion: String {
        DefinitionVersion.of(id: id, name: name, kind: kind.rawValue, valueType: valueType.rawValue, unit: unit,
                             factor: factor?.rawValue, better: better.rawValue, decimals: decimals)
    }
}

extension ReturnIndicator {
    /// The version its definition fields hash to: equal to ``definitionVersion`` unless the
    /// definition was changed after the return was made.
    public var computedDefinitionVersion: String {
        DefinitionVersion.of(id: id, name: name, kind: kind, valueType: valueType, unit: unit,
                             factor: factor, better: better, decimals: decimals)
    }
}

/// The hash behind a definition version, shared by site definitions and the definitions a return carries.
enum DefinitionVersion {
    static func of(id: String, name: String, kind: String, valueType: String, unit: String,
                   factor: Int?, better: String, decimals: Int) -> String {
        let canonical = CanonicalDefinition(
            id: id, name: name, kind: kind, valueType: valueType, unit: unit,
            factor: factor, better: better, decimals: decimals)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Only text and whole numbers: encoding cannot fail.
        let data = (try? encoder.encode(canonical)) ?? Data()
        return SHA256.hash(data: data).prefix(6).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

/// What the definition version is a hash of.
private struct CanonicalDefinition: Encodable {
    var id: String
    var name: String
    var kind: String
    var valueType: String
    var unit: String
    var factor: Int?
    var better: String
    var decimals: Int
}
