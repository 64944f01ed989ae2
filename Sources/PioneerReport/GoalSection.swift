// One goal's part of the report: the Making Data Count icons, the computed status beside the
// site's own view (flagged where they disagree), the chart with its summary in words, and the
// facts table. Every word that comes from the site's YAML is escaped.
import PioneerCore
import PioneerExtraction
import PioneerGoals
import PioneerKit

struct GoalSection {
    let progress: GoalProgress
    /// Unique within the page: the prefix of every id in the section.
    let id: String

    private var assessment: GoalAssessment { progress.assessment }
    private var goal: Goal { assessment.goal }
    private var definition: IndicatorDefinition { progress.definition }

    func html() -> String {
        let chart = ChartDrawing(progress: progress, id: "\(id)-chart")
        let summary = ChartSummary(progress: progress)
        var out = """
        <section class="goal" id="\(id)" data-goal="\(e(goal.id))" data-indicator="\(e(definition.id))" \
        data-kind="\(definition.kind.rawValue)" data-status="\(e(assessment.status?.rawValue ?? "none"))" data-agreement="\(e(assessment.agreement.rawValue))">
        <header class="goal-head">
        <div class="icons">\(icons())</div>
        <div class="goal-title"><h3>\(e(goal.title))</h3>
        <p class="indicator">\(e(definition.name)) · \(Self.kindWords(definition.kind)) · \(Self.betterWords(definition.better)) · goal <code>\(e(goal.id))</code></p></div>
        <p class="status \(Self.statusClass(assessment.status))">\(e(statusWords))</p>
        </header>
        \(confidenceGap())

        """
        if let svg = chart.svg() {
            out += """
            <figure class="chart">
            \(svg)
            <figcaption class="chart-summary">\(e(summary.description))</figcaption>
            </figure>

            """
        } else {
            out += "<p class=\"no-chart\">No chart: \(e(noChartReason)).</p>\n"
        }
        out += facts()
        out += dataTable(chart: chart)
        return out + "</section>\n"
    }

    private func e(_ text: String) -> String { HTMLText.escape(text) }

    // MARK: Icons and status

    private func icons() -> String {
        guard case .chart(let chart) = progress.spc else {
            return "<p class=\"icon-note\">No SPC icons: too few points.</p>"
        }
        return MDCIcon.variation(chart.variation, better: definition.better, id: "\(id)-variation")
            + MDCIcon.assurance(chart.assurance, id: "\(id)-assurance")
    }

    var statusWords: String {
        guard let status = assessment.status else { return "no status: neither direction is better" }
        if status == .noData, let reason = assessment.noDataReason { return "no data: \(reason)" }
        return status.rawValue
    }

    private var noChartReason: String {
        if let reason = assessment.noDataReason { return reason }
        if case .notEnoughPoints(let have, let need) = progress.spc {
            return "not enough points for SPC limits (have \(have), need \(need)) and none to plot"
        }
        return "nothing collected yet"
    }

    static func statusClass(_ status: GoalStatus?) -> String {
        "status-" + (status?.rawValue ?? "none").split(separator: " ").joined(separator: "-")
    }

    static func kindWords(_ kind: IndicatorKind) -> String {
        switch kind {
        case .process: "process"
        case .outcome: "outcome"
        case .experience: "patient experience"
        case .cost: "cost"
        }
    }

    static func betterWords(_ better: Direction) -> String {
        switch better {
        case .higher: "higher is better"
        case .lower: "lower is better"
        case .neutral: "neither direction is better"
        }
    }

    // MARK: The confidence gap

    /// The site's own rating, as it wrote it: "green, high confidence (as of 2026-02-01)".
    var selfAssessmentWords: String? {
        let own = goal.assessment
        var parts: [String] = []
        if let rag = own.rag { parts.append(rag.rawValue) }
        if let confidence = own.confidence { parts.append("\(confidence.rawValue) confidence") }
        guard !parts.isEmpty else { return nil }
        var words = parts.joined(separator: ", ")
        if let asOf = own.asOf { words += " (as of \(asOf))" }
        return words
    }

    private func confidenceGap() -> String {
        let says = selfAssessmentWords
        let evidence = assessment.status?.rawValue ?? "no status"
        switch assessment.agreement {
        case .optimistic:
            return "<p class=\"confidence-gap flag optimistic\"><strong>Confidence gap:</strong> the site says \(e(says ?? "it is on course")), but the evidence says <strong>\(e(evidence))</strong>. The site's view is more optimistic than its measures.</p>"
        case .pessimistic:
            return "<p class=\"confidence-gap flag pessimistic\"><strong>Confidence gap:</strong> the site says \(e(says ?? "it is off course")), but the evidence says <strong>\(e(evidence))</strong>. The site's view is more pessimistic than its measures.</p>"
        case .agrees:
            return "<p class=\"confidence-gap agrees\">The site's own view (\(e(says ?? "given"))) agrees with the evidence (\(e(evidence))).</p>"
        case .notAssessed:
            if let says {
                return "<p class=\"confidence-gap not-assessed\">The site says \(e(says)); there is no computed status to set it against (\(e(statusWords))).</p>"
            }
            return "<p class=\"confidence-gap not-assessed\">The site gives no self-assessment for this goal.</p>"
        }
    }

    // MARK: Facts

    private func facts() -> String {
        var rows: [(String, String)] = []
        if let latest = assessment.latest, let value = latest.observation.value {
            var text = "\(definition.format(value)) (\(latest.period.label))"
            if let n = latest.observation.sampleSize { text += ", n = \(formatNumber(Double(n), decimals: 0))" }
            rows.append(("Latest value", text))
        } else {
            rows.append(("Latest value", "none"))
        }
        if let interval = assessment.interval {
            rows.append(("\(formatNumber(interval.level * 100, decimals: 0))% interval",
                         "\(definition.format(interval.lower)) to \(definition.format(interval.upper)) (\(interval.method))"))
        } else {
            rows.append(("95% interval", "none: the value carries no parts to give one"))
        }
        if let expected = assessment.expected, let latest = assessment.latest {
            rows.append(("Trajectory at \(latest.period.label)", definition.format(expected)))
        } else {
            rows.append(("Trajectory value", "none at the latest period"))
        }
        if let gap = assessment.gap {
            rows.append(("Gap to trajectory", "\(gap > 0 ? "+" : "")\(definition.format(gap))"))
        }
        rows.append(("Unit", definition.unit.isEmpty ? "none given" : definition.unit))
        rows.append(("Baseline", "\(definition.format(goal.baseline.value)) (\(goal.baseline.period.label))"))
        rows.append(("Target", "\(definition.format(goal.target.value)) by \(goal.target.period.label)"))
        rows.append(("Status", statusWords + (assessment.statusNote.map { ": \($0)" } ?? "")))
        if let projection = assessment.projection {
            // A line that leaves what the value can be is held at the edge, and says so.
            let reach = projection.bounded ? "reaches \(definition.format(projection.value)) before" : "\(definition.format(projection.value)) by"
            rows.append(("Projection", "\(reach) \(goal.target.period.label) from the last \(projection.pointsUsed) points: \(projection.meetsTarget ? "meets" : "misses") the target"))
        } else {
            rows.append(("Projection", "none: \(assessment.noProjectionReason ?? "no line could be fitted")"))
        }
        if case .chart(let chart) = progress.spc {
            rows.append(("SPC variation", chart.variation.words))
            rows.append(("SPC assurance", chart.assurance?.words ?? "none without a target"))
        } else if case .notEnoughPoints(let have, let need) = progress.spc {
            rows.append(("SPC", "not enough points for SPC limits (have \(have), need \(need))"))
        }
        var own = selfAssessmentWords ?? "none given"
        if let narrative = goal.assessment.narrative, !narrative.isEmpty { own += ": “\(narrative)”" }
        rows.append(("Self-assessment", own))
        rows.append(("Self-assessment against the evidence", assessment.agreement.rawValue))
        var out = "<table class=\"facts\"><tbody>\n"
        for (name, value) in rows {
            out += "<tr><th scope=\"row\">\(e(name))</th><td>\(e(value))</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    /// Every plotted point with its limits and label, for readers who want the numbers.
    private func dataTable(chart: ChartDrawing) -> String {
        let plotted = Dictionary(chart.plotted.map { ($0.period, $0) }, uniquingKeysWith: { first, _ in first })
        guard !progress.series.isEmpty else { return "" }
        var out = """
        <details class="chart-data"><summary>The chart's data (\(progress.series.count) period\(progress.series.count == 1 ? "" : "s"))</summary>
        <table class="data"><thead><tr><th scope="col">Period</th><th scope="col">Value</th><th scope="col">Mean</th>\
        <th scope="col">Lower limit</th><th scope="col">Upper limit</th><th scope="col">SPC</th></tr></thead><tbody>

        """
        for point in progress.series {
            let label = e(point.period.label)
            guard let shown = plotted[point.period] else {
                let why = point.observation.notAvailable?.description ?? "no value"
                out += "<tr class=\"missing\"><td>\(label)</td><td colspan=\"5\">not available: \(e(why))</td></tr>\n"
                continue
            }
            if let spc = shown.spc {
                var words = spc.pointType.words
                if let rule = spc.specialCause { words += " (\(rule.words))" }
                out += "<tr><td>\(label)</td><td>\(e(definition.format(shown.value)))</td><td>\(e(definition.format(spc.mean)))</td>"
                if spc.hasLimits {
                    out += "<td>\(e(definition.format(spc.lowerLimit)))</td><td>\(e(definition.format(spc.upperLimit)))</td><td>\(e(words))</td></tr>\n"
                } else {
                    out += "<td colspan=\"2\">none: one point in its phase</td><td>\(e(words))</td></tr>\n"
                }
            } else {
                out += "<tr><td>\(label)</td><td>\(e(definition.format(shown.value)))</td><td colspan=\"4\">no limits: too few points</td></tr>\n"
            }
        }
        return out + "</tbody></table></details>\n"
    }
}
