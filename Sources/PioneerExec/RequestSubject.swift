// What every request but `describe` says about its subject: the indicator as the site
// declares it, its `config:` section as JSON, and the site's identity and populations.
import Foundation
import PioneerExtraction
import PioneerKit

/// The indicator, config and site a request is about (docs/plugin-protocol.md, "Common fields").
struct RequestSubject: Sendable {
    var indicator: IndicatorDefinition
    var config: JSONValue
    var site: SiteInfo

    var indicatorJSON: JSONValue {
        var fields: [String: JSONValue] = [
            "id": .string(indicator.id), "name": .string(indicator.name), "kind": .string(indicator.kind.rawValue),
            "value_type": .string(indicator.valueType.rawValue), "unit": .string(indicator.unit),
            "period": .string(indicator.periodType.rawValue), "better": .string(indicator.better.rawValue),
            "decimals": .number(Double(indicator.decimals)),
        ]
        if let factor = indicator.factor { fields["per"] = .number(Double(factor.rawValue)) }
        if let description = indicator.description { fields["description"] = .string(description) }
        return .object(fields)
    }

    var siteJSON: JSONValue {
        .object([
            "id": .string(site.id), "name": .string(site.name),
            "population": .object(site.population.mapValues { .number($0) }),
        ])
    }

    /// A `config:` section as JSON: mappings as objects, sequences as arrays, and scalars as
    /// strings unless YAML would type them (unquoted `12`, `1.5`, `true`, `null`, `~`).
    static func json(_ node: ConfigNode) -> JSONValue {
        switch node.content {
        case .null:
            return .null
        case .sequence(let items):
            return .array(items.map(json))
        case .mapping(let entries):
            var object: [String: JSONValue] = [:]
            for entry in entries { object[entry.key] = json(entry.value) }
            return .object(object)
        case .scalar(let text, let quoted):
            guard !quoted else { return .string(text) }
            return typedScalar(text)
        }
    }

    /// YAML 1.2's core schema for an unquoted scalar, with YAML 1.1's yes/no, as the site
    /// schema reads booleans.
    static func typedScalar(_ text: String) -> JSONValue {
        switch text.lowercased() {
        case "null", "~", "": return .null
        case "true", "yes", "on": return .bool(true)
        case "false", "no", "off": return .bool(false)
        default: break
        }
        let digits = text.filter { $0 != "_" }
        let numberShape = digits.allSatisfy { "0123456789+-.eE".contains($0) } && digits.contains { $0.isNumber }
        if numberShape, let number = Double(digits), number.isFinite { return .number(number) }
        return .string(text)
    }
}
