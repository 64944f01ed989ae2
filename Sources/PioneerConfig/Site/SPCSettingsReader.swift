// Reads an indicator's `spc:` block: where its chart starts a new phase, when limits are
// fixed, whether outliers are screened, and the rule lengths.
import PioneerCore
import PioneerKit

/// Reads `spc:` into ``SPCSettings``, reporting every problem.
struct SPCSettingsReader {
    /// The indicator's kind of period, when known: rebase periods must be of it.
    let periodType: PeriodType?
    let issues: IssueCollector

    /// Rule lengths: a run or trend of 1 is every point; beyond 50 no monthly series of a
    /// programme's length could show one.
    static let lengths = 2...50
    /// Limits need two points for a moving range; a year of weekly data is a generous ceiling.
    static let minimumPoints = 2...100
    /// NHSRplotthedots' minimum number of points for limits, the engine's default: limits
    /// fixed from fewer points are only trial limits, so `fix_after` must be at least the
    /// indicator's minimum points.
    static let defaultMinimumPoints = 12
    static let fixAfterCeiling = 1000

    func read(_ node: ConfigNode) -> SPCSettings? {
        let reader = ConfigReader(node, issues: issues)   // reports anything but a mapping
        guard node.entries != nil else { return nil }
        let rebaseAt = readRebase(reader)
        let screen = reader.bool("screen_outliers")
        let run = reader.int("run_length", in: Self.lengths)
        let trend = reader.int("trend_length", in: Self.lengths)
        let minimum = reader.int("minimum_points", in: Self.minimumPoints)
        let fixAfter = readFixAfter(reader, minimum: minimum ?? Self.defaultMinimumPoints)
        reader.finish()
        guard !reader.hasErrors else { return nil }
        return SPCSettings(rebaseAt: rebaseAt, fixAfter: fixAfter, screenOutliers: screen ?? true,
                           runLength: run, trendLength: trend, minimumPoints: minimum)
    }

    /// `fix_after:`, from the minimum points for limits up to a generous ceiling.
    private func readFixAfter(_ reader: ConfigReader, minimum: Int) -> Int? {
        guard let value = reader.int("fix_after"), let node = reader.node["fix_after"] else { return nil }
        guard value >= minimum else {
            issues.error("must be at least the minimum points for limits, \(minimum), found `\(value)`; limits from fewer points are only trial limits", at: node)
            return nil
        }
        guard value <= Self.fixAfterCeiling else {
            issues.error("must be at most \(Self.fixAfterCeiling), found `\(value)`", at: node)
            return nil
        }
        return value
    }

    /// `rebase_at:` as one period or a list, each of the indicator's kind, in time order, once each.
    private func readRebase(_ reader: ConfigReader) -> [Period] {
        guard let node = reader.node("rebase_at") else { return [] }
        let items: [ConfigNode]
        if node.scalar != nil {
            items = [node]
        } else if let list = node.items {
            items = list
        } else {
            reader.typeError(node, expected: "a period or a list of periods such as `[\(periodType?.exampleLabel ?? "2025-10")]`")
            return []
        }
        var periods: [Period] = []
        for item in items {
            guard let period = period(item) else { continue }
            if let previous = periods.last, period <= previous {
                let problem = period == previous ? "is given twice" : "comes before `\(previous.label)`"
                issues.error("rebase period `\(period.label)` \(problem); list each once, in time order", at: item)
                continue
            }
            periods.append(period)
        }
        return periods
    }

    private func period(_ item: ConfigNode) -> Period? {
        guard let text = item.scalar else {
            issues.error("expected a period such as `\(periodType?.exampleLabel ?? "2025-10")`, found \(item.kindDescription)", at: item)
            return nil
        }
        do {
            let period = try Period(parsing: text)
            if let periodType, period.type != periodType {
                let article = period.type == .isoWeek ? "an" : "a"
                issues.error("`\(text)` is \(article) \(period.type.displayName), but this indicator is reported by \(periodType.displayName); write e.g. `\(periodType.exampleLabel)`", at: item)
                return nil
            }
            return period
        } catch {
            issues.error(error.description, at: item)
            return nil
        }
    }
}
