// Reads a programme file's ConfigNode tree into a Programme, collecting every problem.
import PioneerCore
import PioneerKit

/// Reads `programme:`, `sites:`, `reporting:` and `themes:` into a ``Programme``.
struct ProgrammeReader {
    let file: String
    let issues: IssueCollector

    func read(_ root: ConfigNode) -> Programme? {
        let reader = ConfigReader(root, issues: issues)
        let identity = reader.section("programme", required: true).flatMap(readIdentity)
        let sites = reader.list("sites", required: true).flatMap { readSites($0, list: root["sites"]) }
        let reporting = reader.section("reporting", required: true).flatMap(readReporting)
        let themes = reader.node("themes").flatMap(readThemes) ?? []
        reader.finish()
        guard let identity, let sites, let reporting, !issues.hasErrors else { return nil }
        return Programme(id: identity.id, name: identity.name, sites: sites, periods: reporting.periods,
                         deadlines: reporting.deadlines, themes: themes, file: file)
    }

    private func readIdentity(_ reader: ConfigReader) -> (id: String, name: String)? {
        let id = reader.string("id", required: true)
        let name = reader.string("name", required: true)
        reader.finish()
        if let id, let node = reader.node["id"], !SiteIdentifier.isIdentifier(id) {
            issues.error("programme id `\(id.escapingControlCharacters())` \(SiteIdentifier.rule(for: id))", at: node)
            return nil
        }
        guard let id, let name else { return nil }
        return (id, name)
    }

    private func readSites(_ items: [ConfigNode], list: ConfigNode?) -> [String]? {
        if items.isEmpty, let list {
            issues.error("list at least one site id, e.g. `[torbay, cambridge]`", at: list)
            return nil
        }
        var sites: [String] = []
        var firstLine: [String: Int] = [:]
        var valid = true
        for item in items {
            guard let id = item.scalar else {
                issues.error("expected a site id such as `torbay`, found \(item.kindDescription)", at: item)
                valid = false
                continue
            }
            guard SiteIdentifier.isIdentifier(id) else {
                issues.error("site id `\(id.escapingControlCharacters())` \(SiteIdentifier.rule(for: id))", at: item)
                valid = false
                continue
            }
            if let line = firstLine[id] {
                issues.error("site `\(id)` is listed twice (first at line \(line))", at: item)
                valid = false
                continue
            }
            firstLine[id] = item.location.line
            sites.append(id)
        }
        guard valid else { return nil }
        return sites
    }

    private func readReporting(_ reader: ConfigReader) -> (periods: [PeriodType], deadlines: ReturnDeadlines)? {
        let periods = readPeriods(reader)
        let deadlines = reader.section("due", required: true).flatMap(readDeadlines)
        reader.finish()
        guard let periods, let deadlines else { return nil }
        return (periods, deadlines)
    }

    private func readPeriods(_ reader: ConfigReader) -> [PeriodType]? {
        guard let items = reader.list("periods", required: true), let listNode = reader.node["periods"] else { return nil }
        if items.isEmpty {
            issues.error("name at least one kind of reporting period, e.g. `[month, quarter]`", at: listNode)
            return nil
        }
        // The kinds `pioneer return` makes a return for: a week's measures go in the return of
        // the month, quarter or year that holds its days, and no site can make a weekly one.
        let names = PeriodType.allCases.filter { $0 != .isoWeek }.map(\.rawValue)
        var periods: [PeriodType] = []
        var valid = true
        for item in items {
            if item.scalar == PeriodType.isoWeek.rawValue {
                issues.error("`iso-week`: pioneer makes returns for a month, a quarter, an NHS financial-year quarter or an NHS "
                             + "financial year, not for a week, so no site could send a weekly return; a weekly indicator's "
                             + "measures go in the return whose days hold them. Use `month`, `quarter`, `fy-quarter` or `fy-year`",
                             at: item)
                valid = false
                continue
            }
            guard let text = item.scalar, let type = PeriodType(rawValue: text) else {
                let found = item.scalar.map { "`\($0)`" } ?? item.kindDescription
                let hint = item.scalar.map { didYouMean($0, among: names) } ?? ""
                let choices = names.map { "`\($0)`" }.joined(separator: ", ")
                issues.error("\(found) is not a kind of period; use one of \(choices)\(hint)", at: item)
                valid = false
                continue
            }
            if periods.contains(type) {
                issues.error("`\(text)` is listed twice", at: item)
                valid = false
                continue
            }
            periods.append(type)
        }
        return valid ? periods : nil
    }

    private func readDeadlines(_ reader: ConfigReader) -> ReturnDeadlines? {
        let soft = lag(reader, "soft")
        let hard = lag(reader, "hard")
        reader.finish()
        guard let soft, let hard else { return nil }
        let deadlines = ReturnDeadlines(soft: soft, hard: hard)
        // Compared on the shortest month, where a month's wait is the shortest it can be.
        let february = Period.month(2027, 2)
        if deadlines.hardDeadline(of: february) < deadlines.softDeadline(of: february), let node = reader.node["hard"] {
            issues.error("the hard deadline (\(hard)) must not come before the soft one (\(soft))", at: node)
            return nil
        }
        return deadlines
    }

    private func lag(_ reader: ConfigReader, _ key: String) -> DueLag? {
        guard let text = reader.string(key, required: true), let node = reader.node[key] else { return nil }
        do {
            return try DueLag(parsing: text)
        } catch {
            issues.error(error.description, at: node)
            return nil
        }
    }

    /// `themes:` as a mapping of theme names to lists of goal ids.
    private func readThemes(_ node: ConfigNode) -> [GoalTheme]? {
        guard let entries = node.entries else {
            issues.error("expected a mapping of theme names to lists of goal ids, e.g. `care plans: [advance-care-plans]`, found \(node.kindDescription)", at: node)
            return nil
        }
        var themes: [GoalTheme] = []
        var themeOf: [String: (theme: String, line: Int)] = [:]
        for entry in entries {
            guard let items = entry.value.items else {
                issues.error("expected a list of goal ids, found \(entry.value.kindDescription)", at: entry.value)
                continue
            }
            if items.isEmpty {
                issues.error("name at least one goal id in theme `\(entry.key)`", at: entry.value)
                continue
            }
            var goals: [String] = []
            for item in items {
                guard let id = item.scalar, SiteIdentifier.isIdentifier(id) else {
                    let found = item.scalar.map { "goal id `\($0.escapingControlCharacters())` \(SiteIdentifier.rule(for: $0))" }
                        ?? "expected a goal id, found \(item.kindDescription)"
                    issues.error(found, at: item)
                    continue
                }
                if let first = themeOf[id] {
                    issues.error("goal `\(id)` is already in theme `\(first.theme)` (line \(first.line)); a goal belongs to one theme", at: item)
                    continue
                }
                themeOf[id] = (entry.key, item.location.line)
                goals.append(id)
            }
            themes.append(GoalTheme(name: entry.key, goals: goals))
        }
        return themes
    }
}
