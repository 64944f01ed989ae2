// `pioneer report`'s page: one self-contained HTML file for a site, with an overview table of
// every goal, a key to the charts and icons, then each goal grouped by its indicator's kind.
// No scripts, no fonts or images from the network: it opens offline and prints on A4.
public import PioneerGoals
public import PioneerKit
import PioneerCore
import PioneerExtraction

/// The HTML report of one site's goals.
public struct SiteReport: Sendable {
    public var site: SiteIdentity
    public var goals: [GoalProgress]
    /// The period judged (`--period`); nil for "the latest data".
    public var asOf: Period?
    /// When the report was made, as the footer prints it; nil leaves it out (repeatable output for tests).
    public var generated: String?

    public init(site: SiteIdentity, goals: [GoalProgress], asOf: Period? = nil, generated: String? = nil) {
        self.site = site
        self.goals = goals
        self.asOf = asOf
        self.generated = generated
    }

    /// The kinds in the order the report shows them. Patient experience sits straight after the
    /// process measures: the evaluations found staff-reported process improving while patients
    /// felt less involved, and the two must be read together.
    public static let kindOrder: [IndicatorKind] = [.process, .experience, .outcome, .cost]

    static func heading(_ kind: IndicatorKind) -> String {
        switch kind {
        case .process: "Process measures"
        case .experience: "Patient experience"
        case .outcome: "Outcome measures"
        case .cost: "Cost"
        }
    }

    /// The goals of a kind, in the order given, each with its section id.
    private func sections() -> [(kind: IndicatorKind, goals: [(id: String, progress: GoalProgress)])] {
        let numbered = goals.enumerated().map { (id: "goal-\($0.offset + 1)", progress: $0.element) }
        return Self.kindOrder.map { kind in (kind, numbered.filter { $0.progress.definition.kind == kind }) }
    }

    public func html() -> String {
        let e = HTMLText.escape
        var facts: [String] = []
        if !site.region.isEmpty { facts.append(site.region) }
        if !site.wave.isEmpty { facts.append(site.wave) }
        if !site.focus.isEmpty { facts.append("focus: " + site.focus.joined(separator: ", ")) }
        let judged = asOf.map { "as at \($0.label)" } ?? "on the latest data collected"
        var out = """
        <!DOCTYPE html>
        <html lang="en-GB">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(e(site.name)): progress on goals</title>
        <style>
        \(ReportStyle.css)
        </style>
        </head>
        <body>
        <header class="site">
        <h1>\(e(site.name)): progress on goals</h1>
        <p class="site-facts">Site <code>\(e(site.id))</code>\(facts.isEmpty ? "" : " · " + facts.map(e).joined(separator: " · "))</p>
        <p>Each goal judged \(e(judged)), from the site's stored measures: its status from the value's 95% interval against the trajectory, and whether the movement is real from a statistical process control (XmR) chart, as the NHS Making Data Count method draws it.</p>
        </header>
        <main>

        """
        out += overview()
        out += ReportKey.html()
        for section in sections() {
            out += "<section class=\"kind\" data-kind=\"\(section.kind.rawValue)\">\n<h2>\(Self.heading(section.kind))</h2>\n"
            if section.goals.isEmpty {
                out += "<p class=\"empty-kind\">The site sets no goals on \(GoalSection.kindWords(section.kind)) measures.</p>\n"
            }
            for goal in section.goals {
                out += GoalSection(progress: goal.progress, id: goal.id).html()
            }
            out += "</section>\n"
        }
        out += "</main>\n<footer><p>Made by <code>pioneer report</code>\(generated.map { " on \(e($0))" } ?? ""). Point colours and icons follow NHS England's Making Data Count convention, as the NHSRplotthedots package (0.2.2) draws them.</p></footer>\n</body>\n</html>\n"
        return out
    }

    /// Every goal in one table, grouped by kind, so a reader sees the whole site before the detail.
    private func overview() -> String {
        let e = HTMLText.escape
        var out = """
        <section class="overview"><h2>All goals</h2>

        """
        guard !goals.isEmpty else {
            return out + "<p class=\"empty-kind\">The site declares no goals, so there is nothing to judge.</p></section>\n"
        }
        out += """
        <table class="overview"><thead><tr><th scope="col">Kind</th><th scope="col">Goal</th><th scope="col">Latest</th>\
        <th scope="col">Target</th><th scope="col">Status</th><th scope="col">SPC variation</th><th scope="col">Assurance</th>\
        <th scope="col">Site says</th></tr></thead><tbody>

        """
        for section in sections() {
            for (offset, goal) in section.goals.enumerated() {
                let progress = goal.progress, assessment = progress.assessment, definition = progress.definition
                let item = GoalSection(progress: progress, id: goal.id)
                let latest = assessment.latest.flatMap { point in
                    point.observation.value.map { "\(definition.format($0)) (\(point.period.label))" }
                } ?? "none"
                let target = "\(definition.format(assessment.goal.target.value)) by \(assessment.goal.target.period.label)"
                let variation = progress.spc.chart.map { ChartSummary.shortWords($0.variation) } ?? "too few points"
                let assurance = progress.spc.chart.map { chart in chart.assurance.map(Self.assuranceShort) ?? "none" } ?? "—"
                var says = item.selfAssessmentWords ?? "—"
                if assessment.agreement == .optimistic || assessment.agreement == .pessimistic {
                    says += " (\(assessment.agreement.rawValue))"
                }
                out += "<tr data-goal=\"\(e(assessment.goal.id))\">"
                out += offset == 0 ? "<td class=\"kind\" rowspan=\"\(section.goals.count)\">\(e(GoalSection.kindWords(section.kind)))</td>" : ""
                out += "<td class=\"goal\"><a href=\"#\(goal.id)\">\(e(assessment.goal.title))</a></td><td>\(e(latest))</td><td>\(e(target))</td>"
                out += "<td>\(e(item.statusWords))</td><td>\(e(variation))</td><td>\(e(assurance))</td><td>\(e(says))</td></tr>\n"
            }
        }
        return out + "</tbody></table></section>\n"
    }

    static func assuranceShort(_ assurance: Assurance) -> String {
        switch assurance {
        case .consistentPass: "pass"
        case .consistentFail: "fail"
        case .inconsistent: "inconsistent"
        }
    }
}
