// Reads the whole of a site's YAML tree into a Site: identity, populations, feeds,
// indicators (with their plugins), goals, events and progress settings, collecting every
// problem on the way.
import PioneerCore
import PioneerExec
import PioneerKit

/// Reads a site file's ``ConfigNode`` tree into a ``Site``.
struct SiteReader {
    /// The site's directory as given, and the folder name its id must equal.
    let directory: String
    let folderName: String
    let file: String
    let references: EnvironmentReferences
    let plugins: PluginCatalogue
    let issues: IssueCollector

    /// The site and its configured plugins, or nil when errors leave no usable site.
    func read(_ root: ConfigNode) -> (Site, [String: any IndicatorPlugin], PluginCatalogue)? {
        let reader = ConfigReader(root, issues: issues)
        let identity = reader.section("site", required: true).flatMap(readIdentity)
        let (population, declaredPopulation) = reader.node("population").map(readPopulation) ?? ([:], [:])
        let feeds = reader.node("feeds").map { FeedReader(directory: directory, references: references, issues: issues).read($0) } ?? []
        let indicatorItems = reader.list("indicators", required: true)
        let goalItems = reader.list("goals") ?? []
        let eventItems = reader.list("events") ?? []
        let progress = reader.node("progress").map { ProgressSettingsReader(issues: issues).read($0) } ?? ProgressSettings()
        let sitePlugins = reader.node("plugins").map {
            PluginSectionReader(directory: directory, references: references, known: plugins, issues: issues).read($0)
        } ?? []
        reader.finish()

        if let items = indicatorItems, items.isEmpty, let node = root["indicators"] {
            issues.error("list at least one indicator", at: node)
        }
        let declaredFeeds = Set(root["feeds"]?.entries?.map(\.key) ?? [])
        // Plugins check names against every declared population, broken numbers included:
        // the number is reported once at its line, not again by every rate that uses it.
        let info = SiteInfo(id: identity?.id ?? folderName, name: identity?.name ?? folderName, population: declaredPopulation)
        let siteCatalogue = catalogue(adding: sitePlugins, named: indicatorItems ?? [], section: root["plugins"])
        let indicators = IndicatorReader(site: info, feeds: declaredFeeds, issues: issues, plugins: siteCatalogue)
            .read(indicatorItems ?? [])
        let goals = GoalReader(declaredIDs: indicators.declaredIDs, declaredTypes: indicators.declaredTypes, issues: issues)
            .read(goalItems)
        let events = EventReader(declaredIDs: indicators.declaredIDs, issues: issues).read(eventItems)

        guard let identity, !issues.hasErrors else { return nil }
        let site = Site(
            id: identity.id, name: identity.name, region: identity.region, wave: identity.wave, focus: identity.focus,
            population: population, feeds: feeds, indicators: indicators.specs, goals: goals,
            events: events, progress: progress,
            directory: directory, file: file)
        return (site, indicators.plugins, siteCatalogue)
    }

    /// The catalogue with the site's own plugins added, warning of any no indicator names.
    private func catalogue(adding specs: [ExecPluginSpec], named items: [ConfigNode], section: ConfigNode?) -> PluginCatalogue {
        var catalogue = plugins
        let named = Set(items.compactMap { $0["plugin"]?.scalar })
        for spec in specs {
            // Names are checked as the section is read; one that still clashes was reported there.
            try? catalogue.add(spec.factory())
            if !named.contains(spec.name), let entry = section?.entries?.first(where: { $0.key == spec.name }) {
                let node = ConfigNode(.scalar(spec.name, quoted: false), location: entry.keyLocation, path: entry.value.path)
                issues.warning("plugin `\(spec.name)` is declared but no indicator names it in `plugin:`", at: node)
            }
        }
        return catalogue
    }

    private struct Identity {
        var id: String, name: String, region: String, wave: String, focus: [String]
    }

    private func readIdentity(_ reader: ConfigReader) -> Identity? {
        let id = reader.string("id", required: true)
        let name = reader.string("name", required: true)
        let region = reader.string("region", required: true)
        let wave = reader.string("wave", required: true)
        let focus = readFocus(reader)
        reader.finish()
        if let id, let node = reader.node["id"] {
            if !SiteIdentifier.isIdentifier(id) {
                issues.error("site id `\(id.escapingControlCharacters())` \(SiteIdentifier.rule(for: id))", at: node)
            } else if id != folderName {
                issues.error("site id `\(id)` must equal the name of its folder, `\(folderName)`; rename one of them", at: node)
            }
        }
        guard let id, let name, let region, let wave, let focus else { return nil }
        return Identity(id: id, name: name, region: region, wave: wave, focus: focus)
    }

    /// `focus:` as one string or a list of strings.
    private func readFocus(_ reader: ConfigReader) -> [String]? {
        guard let node = reader.node("focus", required: true) else { return nil }
        if let text = node.scalar { return [text] }
        guard let items = reader.stringList("focus") else { return nil }
        if items.isEmpty {
            issues.error("name at least one focus, e.g. `[older people, intermediate care]`", at: node)
            return nil
        }
        return items
    }

    /// `population:` as two maps: the valid numbers, and every name declared, a broken
    /// number standing in as 1 (the site is refused anyway, so it is never used).
    private func readPopulation(_ node: ConfigNode) -> (valid: [String: Double], declared: [String: Double]) {
        guard let entries = node.entries else {
            if !node.isNull {
                issues.error("expected a mapping of population names to numbers, e.g. `aged_65_plus: 35400`, found \(node.kindDescription)", at: node)
            }
            return ([:], [:])
        }
        var population: [String: Double] = [:]
        var declared: [String: Double] = [:]
        for entry in entries {
            declared[entry.key] = 1
            guard let text = entry.value.scalar, let number = Double(text.replacingUnderscores()), number.isFinite else {
                issues.error(Self.populationAdvice(entry.value), at: entry.value)
                continue
            }
            guard number > 0 else {
                issues.error("a population must be more than 0, found `\(text)`", at: entry.value)
                continue
            }
            if number != number.rounded() {
                issues.warning("a population counts people, and `\(text)` is not a whole number; rates divide by it as written", at: entry.value)
            }
            population[entry.key] = number
            declared[entry.key] = number
        }
        return (population, declared)
    }

    /// What to say about a population that is not a number, with the number meant when
    /// it was written for people (`118,400`, `118 400`).
    private static func populationAdvice(_ value: ConfigNode) -> String {
        let found = "expected a number of people, found \(value.kindDescription)\(value.scalar.map { " `\($0)`" } ?? "")"
        guard let text = value.scalar else { return found }
        let separators: Set<Character> = [",", " ", "\u{2009}", "\u{202F}", "\u{00A0}", "'", "_"]
        let digits = String(text.trimmingWhitespace().filter { !separators.contains($0) })
        guard digits != text, let number = Double(digits), number.isFinite, number > 0 else { return found }
        return "\(found); write whole numbers without thousands separators: `\(digits)`"
    }
}

extension String {
    /// `136_000` -> `136000`, as YAML allows digit separators.
    func replacingUnderscores() -> String {
        String(filter { $0 != "_" })
    }
}
