// Reads a site's `events:` list: what happened when ("frailty hubs open"), marked on the
// charts of the indicators it concerns.
import PioneerCore
import PioneerKit

/// Reads `events:` into ``SiteEvent``s, reporting every problem.
struct EventReader {
    /// Every indicator id declared, valid or not, for `indicators:` to name.
    let declaredIDs: [String]
    let issues: IssueCollector

    func read(_ items: [ConfigNode]) -> [SiteEvent] {
        items.compactMap(readEvent)
    }

    private func readEvent(_ item: ConfigNode) -> SiteEvent? {
        let reader = ConfigReader(item, issues: issues)
        let period = reader.period("period", required: true)
        let label = reader.string("label", required: true)
        let indicators = readIndicators(reader)
        reader.finish()
        guard let period, let label, let indicators, !reader.hasErrors else { return nil }
        return SiteEvent(period: period, label: label.trimmingWhitespace(), indicators: indicators)
    }

    /// `indicators:` as one id or a list, each declared; absent means every indicator.
    private func readIndicators(_ reader: ConfigReader) -> [String]? {
        guard let node = reader.node("indicators") else { return [] }
        var known: [String] = []
        var valid = true
        for item in node.items ?? [node] {
            guard let name = item.scalar else {
                reader.typeError(item, expected: "an indicator id or a list of them")
                valid = false
                continue
            }
            guard declaredIDs.contains(name) else {
                issues.error("unknown indicator `\(name)`\(didYouMean(name, among: declaredIDs)); \(declaredList)", at: item)
                valid = false
                continue
            }
            if !known.contains(name) { known.append(name) }
        }
        return valid ? known : nil
    }

    private var declaredList: String {
        declaredIDs.isEmpty
            ? "the site declares no indicators"
            : "the site declares " + quotedList(declaredIDs)
    }
}
