// Reads a site's `indicators:` list: each indicator's definition, then its plugin,
// which checks its own `config:` section against the site's feeds and populations.
import Foundation
import PioneerCore
import PioneerKit

/// Reads `indicators:` into ``IndicatorSpec``s and configured plugins, reporting every problem.
struct IndicatorReader {
    let site: SiteInfo
    let feeds: Set<String>
    let issues: IssueCollector
    /// The plugins `plugin:` may name.
    let plugins: PluginCatalogue

    /// What was read: valid indicators, their configured plugins, and every id
    /// declared (valid or not), so goals are not told an indicator is unknown when it
    /// is only broken.
    struct Result {
        var specs: [IndicatorSpec] = []
        var plugins: [String: any IndicatorPlugin] = [:]
        var declaredIDs: [String] = []
        /// The period and value types each declared indicator states, where readable, so a
        /// goal on a broken indicator still has its own periods and values checked.
        var declaredTypes: [String: DeclaredTypes] = [:]

        mutating func declare(_ id: String, _ item: ConfigNode) {
            declaredIDs.append(id)
            declaredTypes[id] = DeclaredTypes(
                period: item["period"]?.scalar.flatMap(PeriodType.init(rawValue:)),
                value: item["value_type"]?.scalar.flatMap(ValueType.init(rawValue:)),
                better: item["better"]?.scalar.flatMap(Direction.init(rawValue:)))
        }
    }

    struct DeclaredTypes {
        var period: PeriodType?
        var value: ValueType?
        /// For a goal's check that its target is not on the worse side of its baseline.
        var better: Direction?
    }

    func read(_ items: [ConfigNode]) -> Result {
        var result = Result()
        var firstLine: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let (spec, plugin, id) = readIndicator(item, index: index)
            if let id, let idNode = item["id"] {
                if let line = firstLine[id] {
                    issues.error("duplicate indicator id `\(id)` (first at line \(line)); ids must be unique in a site", at: idNode)
                    continue
                }
                firstLine[id] = idNode.location.line
                result.declare(id, item)
            } else if let written = item["id"]?.scalar, !written.isEmpty, !result.declaredIDs.contains(written) {
                // An id that breaks the rules is reported above; a goal naming it as written
                // is not told again that the indicator is unknown.
                result.declare(written, item)
            }
            if let spec {
                result.specs.append(spec)
                if let plugin { result.plugins[spec.definition.id] = plugin }
            }
        }
        return result
    }

    /// One indicator: its spec when valid, its configured plugin, and its id when readable.
    private func readIndicator(_ item: ConfigNode, index: Int) -> (IndicatorSpec?, (any IndicatorPlugin)?, String?) {
        let errorsBefore = errorCount
        let reader = ConfigReader(item, issues: issues)
        let id = identifier(reader, "id", what: "indicator id")
        let name = reader.string("name", required: true)
        let kind: IndicatorKind? = reader.choice("kind", required: true)
        let valueType: ValueType? = reader.choice("value_type", required: true)
        let unit = reader.string("unit", required: true)
        if valueType == .amount, let unit, let node = item["unit"], !Self.looksLikeMoney(unit) {
            issues.warning("an `amount` is money, shown in pounds (£1,204.50), but the unit `\(unit)` does not say £, pounds or GBP; "
                           + "for another quantity (hours, beds, days) use `value_type: mean` or `count`", at: node)
        }
        let periodType: PeriodType? = reader.choice("period", required: true)
        let better: Direction? = reader.choice("better", required: true)
        let decimals = readDecimals(reader, valueType: valueType)
        let dueAfter = readDueAfter(reader)
        let factor = readFactor(reader, valueType: valueType)
        let description = reader.string("description")
        let factory = readPlugin(reader)
        let spc = reader.node("spc").flatMap { SPCSettingsReader(periodType: periodType, issues: issues).read($0) }
        let config = reader.node("config")
            ?? ConfigNode(.null, location: item["plugin"]?.location ?? item.location,
                          path: item.path.isEmpty ? "config" : "\(item.path).config")
        reader.finish()

        // A plugin can check its configuration once the fields it depends on are known;
        // the rest may still be broken, and are reported above, so use stand-ins for them.
        guard let valueType, let periodType, valueType != .rate || factor != nil else {
            return (nil, nil, id)
        }
        let definition = IndicatorDefinition(
            id: id ?? "indicators[\(index)]", name: name ?? "", kind: kind ?? .process, valueType: valueType,
            unit: unit ?? "", periodType: periodType, better: better ?? .neutral, decimals: decimals,
            factor: factor, description: description, dueAfter: dueAfter.lag)
        guard let factory, let pluginName = reader.node["plugin"]?.scalar else { return (nil, nil, id) }
        let pluginErrorsBefore = errorCount
        let setup = PluginSetup(site: site, indicator: definition, feeds: feeds)
        let plugin = factory.configure(config, setup: setup, issues: issues)
        if plugin == nil, errorCount == pluginErrorsBefore {
            issues.error("plugin `\(pluginName)` did not accept this configuration", at: config)
        }
        guard let id, name != nil, kind != nil, unit != nil, better != nil, decimals != nil, dueAfter.valid,
              errorCount == errorsBefore, let plugin else {
            return (nil, nil, id)
        }
        let spec = IndicatorSpec(definition: definition, plugin: pluginName, config: config, location: item.location,
                                 spc: spc ?? SPCSettings())
        return (spec, plugin, id)
    }

    private var errorCount: Int { issues.issues.count(where: { $0.severity == .error }) }

    /// A required id in `[a-z0-9-]+`.
    func identifier(_ reader: ConfigReader, _ key: String, what: String) -> String? {
        guard let text = reader.string(key, required: true), let node = reader.node[key] else { return nil }
        guard SiteIdentifier.isIdentifier(text) else {
            issues.error("\(what) `\(text.escapingControlCharacters())` \(SiteIdentifier.rule(for: text))", at: node)
            return nil
        }
        return text
    }

    /// `due_after:`, such as `30 days`: the lag when given, and false when it is unusable.
    private func readDueAfter(_ reader: ConfigReader) -> (lag: DueLag?, valid: Bool) {
        guard let node = reader.node("due_after") else { return (nil, true) }
        guard let text = node.scalar else {
            issues.error("expected a wait such as `30 days`, `6 weeks` or `2 months`, found \(node.kindDescription)", at: node)
            return (nil, false)
        }
        do {
            return (try DueLag(parsing: text), true)
        } catch {
            issues.error(error.message, at: node)
            return (nil, false)
        }
    }

    /// `decimals:`, the value type's default when absent; nil when present but unusable.
    /// Whether a unit names money: `£ per package per week`, `pounds`, `GBP`, `cost in £k`.
    static func looksLikeMoney(_ unit: String) -> Bool {
        let lowered = unit.lowercased()
        return lowered.contains("£") || lowered.contains("gbp") || lowered.contains("pound") || lowered.contains("pence")
    }

    private func readDecimals(_ reader: ConfigReader, valueType: ValueType?) -> Int? {
        let present = reader.node["decimals"].map { !$0.isNull } ?? false
        let fallback = IndicatorDefinition.defaultDecimals(for: valueType ?? .mean)
        guard let decimals = reader.int("decimals") else { return present ? nil : fallback }
        guard (0...6).contains(decimals) else {
            if let node = reader.node["decimals"] {
                issues.error("must be between 0 and 6, found `\(decimals)`", at: node)
            }
            return nil
        }
        return decimals
    }

    /// `per:` is required for rates and forbidden otherwise.
    private func readFactor(_ reader: ConfigReader, valueType: ValueType?) -> PopulationFactor? {
        let allowed = PopulationFactor.allCases.map { String($0.rawValue) }.joined(separator: ", ")
        guard let node = reader.node("per") else {
            if valueType == .rate {
                let path = reader.node.path.isEmpty ? "per" : "\(reader.node.path).per"
                issues.add(ConfigIssue(.error, at: reader.node.location, path: path,
                                       "missing required key `per`; a rate needs its multiplier, one of \(allowed)"))
            }
            return nil
        }
        if let valueType, valueType != .rate {
            issues.error("`per` applies only to `value_type: rate`; remove it, this indicator's value_type is `\(valueType.rawValue)`", at: node)
            return nil
        }
        guard let text = node.scalar, let number = Int(text.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "_", with: "")),
              let factor = PopulationFactor(rawValue: number) else {
            issues.error("must be one of \(allowed), found \(node.kindDescription) `\(node.scalar ?? "")`", at: node)
            return nil
        }
        return factor
    }

    private func readPlugin(_ reader: ConfigReader) -> PluginFactory? {
        guard let name = reader.string("plugin", required: true), let node = reader.node["plugin"] else { return nil }
        if let factory = plugins.factory(named: name) { return factory }
        issues.error(plugins.unknownNameMessage(name), at: node)
        return nil
    }
}
