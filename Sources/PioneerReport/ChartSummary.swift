// A chart in words: the text alternative a screen reader reads (the SVG's <title> and <desc>)
// and the summary printed under the chart, so nothing is said only in colour.
import PioneerCore
import PioneerExtraction
import PioneerGoals
import PioneerKit

struct ChartSummary {
    let progress: GoalProgress

    private var definition: IndicatorDefinition { progress.definition }
    private var goal: Goal { progress.assessment.goal }

    var title: String {
        "SPC chart of \(definition.name): \(goal.title)"
    }

    /// Every sentence, in the order a reader needs them.
    var description: String {
        sentences.joined(separator: " ")
    }

    var sentences: [String] {
        var out: [String] = []
        switch progress.spc {
        case .chart(let chart):
            out += chartSentences(chart)
        case .notEnoughPoints(let have, let need):
            let values = progress.series.filter(\.observation.isAvailable)
            out.append("Not enough points for SPC limits (have \(have), need \(need)), so no limits are drawn.")
            if let first = values.first, let last = values.last, let value = last.observation.value {
                out.append("\(count(values.count, "value")) plotted from \(first.period.label) to \(last.period.label); the latest, \(last.period.label), is \(definition.format(value)).")
            } else {
                out.append("No values collected yet.")
            }
        }
        out.append("Target \(definition.format(goal.target.value)) by \(goal.target.period.label), from a baseline of \(definition.format(goal.baseline.value)) in \(goal.baseline.period.label).")
        let missing = progress.series.filter { !$0.observation.isAvailable }
        if !missing.isEmpty {
            let listed = missing.prefix(4).map { "\($0.period.label) (\($0.observation.notAvailable?.description ?? "no value"))" }
            out.append("\(count(missing.count, "period")) without a value: \(listed.joined(separator: ", "))\(missing.count > 4 ? " and \(missing.count - 4) more" : "").")
        }
        if !progress.events.isEmpty {
            let events = progress.events.sorted { $0.period < $1.period }.map { "\($0.period.label) \($0.label)" }
            out.append("Events marked: \(events.joined(separator: "; ")).")
        }
        return out
    }

    private func chartSentences(_ chart: SPCChart) -> [String] {
        var out: [String] = []
        let periods = progress.spcPeriods
        if let first = periods.first, let last = periods.last {
            out.append("\(count(chart.points.count, "value")), one \(definition.periodType.article) \(definition.periodType.displayName), from \(first.label) to \(last.label).")
        }
        // spcPeriods runs beside the chart's points, position for position.
        func period(at position: Int) -> String {
            periods.indices.contains(position) ? periods[position].label : "the latest period"
        }
        if let latest = chart.points.last {
            let phaseStart = chart.points.firstIndex { $0.phase == latest.phase } ?? 0
            let since = latest.phase > 0 ? " since the rebase at \(period(at: phaseStart))" : ""
            if latest.hasLimits {
                out.append("Mean \(definition.format(latest.mean)), process limits \(definition.format(latest.lowerLimit)) to \(definition.format(latest.upperLimit))\(since).")
            } else {
                out.append("No process limits yet\(since): one point is not enough to set them.")
            }
            var sentence = "Latest, \(period(at: chart.points.count - 1)): \(definition.format(latest.value)), \(latest.pointType.words)"
            if let rule = latest.specialCause { sentence += " (\(rule.words))" }
            out.append(sentence + ".")
        }
        let counts = Dictionary(grouping: chart.points.filter { $0.pointType != .commonCause }, by: \.pointType)
        if counts.isEmpty {
            out.append("No special causes: every point is common cause variation.")
        } else {
            let parts = SPCPointType.allCases.compactMap { type in counts[type].map { "\($0.count) \(Self.shortWords(type))" } }
            out.append("Special causes: \(parts.joined(separator: ", ")).")
        }
        let rebases = chart.points.indices.dropFirst().filter { chart.points[$0].phase != chart.points[$0 - 1].phase }
            .map { period(at: $0) }
        if !rebases.isEmpty {
            out.append("Limits recalculated (rebased) at \(rebases.joined(separator: ", ")).")
        }
        if let assurance = chart.assurance {
            out.append("Against the target the process \(assurance.words).")
        }
        return out
    }

    static func shortWords(_ type: SPCPointType) -> String {
        switch type {
        case .commonCause: "common cause"
        case .specialCauseImprovement: "improvement"
        case .specialCauseConcern: "concern"
        case .specialCauseNeutralHigh: "higher (neutral)"
        case .specialCauseNeutralLow: "lower (neutral)"
        }
    }

    private func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }
}
