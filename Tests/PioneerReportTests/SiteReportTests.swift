// The whole page: self-contained and printable, goals grouped by kind with patient experience
// beside the process measures, the status beside the site's own view, icons in the Making Data
// Count convention, and a site's own words escaped wherever they appear.
import Foundation
import PioneerCore
import PioneerGoals
import PioneerKit
import PioneerReport
import Testing

@Suite("Site report page")
struct SiteReportTests {
    static func goal(kind: IndicatorKind, id: String, title: String) -> GoalProgress {
        let values = ReportFixture.admissions
        let definition = ReportFixture.definition(id: "\(id)-indicator", name: "\(title) indicator", kind: kind)
        return ReportFixture.progress(values: values, chart: ReportFixture.chart(values), definition: definition,
                                      goal: ReportFixture.goal(id: id, indicator: "\(id)-indicator", title: title))
    }

    @Test func thePageNeedsNoNetworkAndNoScript() {
        let html = SiteReport(site: ReportFixture.site, goals: [Self.goal(kind: .outcome, id: "a", title: "A")]).html()
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en-GB\">"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link"))
        #expect(!html.contains("src="))
        #expect(!html.contains("url("))
        #expect(!html.contains("@import"))
        // The only address is the SVG namespace, which is a name, never fetched.
        let addresses = html.components(separatedBy: "http").dropFirst().map { "http" + $0.prefix(30) }
        #expect(addresses.allSatisfy { $0.hasPrefix("http://www.w3.org/2000/svg\"") }, "\(Set(addresses))")
    }

    @Test func thePagePrintsOnA4WithoutSplittingAGoalAndKeepsItsColours() {
        let html = SiteReport(site: ReportFixture.site, goals: [Self.goal(kind: .outcome, id: "a", title: "A")]).html()
        #expect(html.contains("@page { size: A4; margin: 12mm; }"))
        #expect(html.contains(".goal { break-inside: avoid; page-break-inside: avoid;"))
        #expect(html.contains("figure.chart { margin: 2mm 0; break-inside: avoid; page-break-inside: avoid; }"))
        #expect(html.contains("print-color-adjust: exact"))
    }

    @Test func goalsAreGroupedByKindWithPatientExperienceBesideTheProcessMeasures() throws {
        let goals = [
            Self.goal(kind: .outcome, id: "admissions", title: "Fewer admissions"),
            Self.goal(kind: .experience, id: "involved", title: "More involved"),
            Self.goal(kind: .process, id: "care-plans", title: "More care plans"),
            Self.goal(kind: .experience, id: "story-once", title: "Tell my story once"),
        ]
        let html = SiteReport(site: ReportFixture.site, goals: goals).html()
        let kinds = html.components(separatedBy: "<section class=\"kind\" data-kind=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(kinds == ["process", "experience", "outcome", "cost"])
        let positions = try ["care-plans", "involved", "story-once", "admissions"].map { id in
            try #require(html.range(of: "data-goal=\"\(id)\" data-indicator")?.lowerBound, "no section for \(id)")
        }
        #expect(positions == positions.sorted(), "process, then both experience goals in the site's order, then outcome")
        #expect(html.contains("<h2>Patient experience</h2>"))
        // A kind with no goals says so rather than vanishing.
        #expect(html.contains("<section class=\"kind\" data-kind=\"cost\">\n<h2>Cost</h2>\n<p class=\"empty-kind\">The site sets no goals on cost measures.</p>"))
        // The overview lists every goal, linked to its section.
        for (offset, goal) in goals.enumerated() {
            #expect(html.contains("<a href=\"#goal-\(offset + 1)\">\(goal.assessment.goal.title)</a>"))
        }
    }

    @Test func anOptimisticSelfAssessmentIsFlaggedBesideTheEvidence() {
        let values = ReportFixture.admissions
        let own = SelfAssessment(confidence: .high, rag: .green, narrative: "Hubs are bedding in", asOf: CalendarDate(year: 2026, month: 2, day: 1))
        let optimistic = ReportFixture.progress(values: values, chart: ReportFixture.chart(values), goal: ReportFixture.goal(assessment: own),
                                                status: .offTrack, agreement: .optimistic)
        let html = SiteReport(site: ReportFixture.site, goals: [optimistic]).html()
        #expect(html.contains("<p class=\"confidence-gap flag optimistic\"><strong>Confidence gap:</strong> the site says green, high confidence (as of 2026-02-01), but the evidence says <strong>off track</strong>. The site's view is more optimistic than its measures.</p>"))
        #expect(html.contains("<p class=\"status status-off-track\">off track</p>"))
        #expect(html.contains("<tr><th scope=\"row\">Self-assessment</th><td>green, high confidence (as of 2026-02-01): “Hubs are bedding in”</td></tr>"))
        #expect(html.contains("<td>green, high confidence (as of 2026-02-01) (optimistic)</td>"), "the overview flags it too")

        let pessimistic = ReportFixture.progress(values: values, chart: ReportFixture.chart(values),
                                                 goal: ReportFixture.goal(assessment: SelfAssessment(confidence: .low, rag: .red)),
                                                 status: .onTrack, agreement: .pessimistic)
        let other = SiteReport(site: ReportFixture.site, goals: [pessimistic]).html()
        #expect(other.contains("<p class=\"confidence-gap flag pessimistic\"><strong>Confidence gap:</strong> the site says red, low confidence, but the evidence says <strong>on track</strong>."))

        let agreeing = ReportFixture.progress(values: values, chart: ReportFixture.chart(values), status: .onTrack, agreement: .agrees)
        let calm = SiteReport(site: ReportFixture.site, goals: [agreeing]).html()
        #expect(!calm.contains("confidence-gap flag"))
        #expect(calm.contains("<p class=\"confidence-gap agrees\">The site's own view (green, high confidence) agrees with the evidence (on track).</p>"))
    }

    @Test func theFactsTableGivesLatestIntervalTrajectoryTargetStatusAndProjection() {
        let values = ReportFixture.admissions
        let progress = ReportFixture.progress(values: values, chart: ReportFixture.chart(values, assurance: .consistentFail), status: .offTrack)
        let html = SiteReport(site: ReportFixture.site, goals: [progress]).html()
        let rows = [
            ("Latest value", "19.2 (2025-03)"),
            ("95% interval", "18.2 to 20.2 (poisson)"),
            ("Trajectory at 2025-03", "20.9"),
            ("Gap to trajectory", "-1.7"),
            ("Unit", "admissions per 1,000 aged 65+"),
            ("Baseline", "22.0 (2023-03)"),
            ("Target", "19.8 by 2027-03"),
            ("Status", "off track"),
            ("Projection", "20.4 by 2027-03 from the last 12 points: misses the target"),
            ("SPC variation", "common cause variation"),
            ("SPC assurance", "will consistently miss the target"),
            ("Self-assessment against the evidence", "agrees"),
        ]
        for (name, value) in rows {
            #expect(html.contains("<tr><th scope=\"row\">\(name)</th><td>\(value)</td></tr>"), "no row \(name): \(value)")
        }
    }

    @Test func noDataSaysWhyAndDrawsNoChart() {
        let progress = ReportFixture.progress(values: [], chart: nil)
        let html = SiteReport(site: ReportFixture.site, goals: [progress]).html()
        #expect(!html.contains("<svg class=\"spc-chart\""))
        #expect(html.contains("<p class=\"no-chart\">No chart: nothing collected yet.</p>"))
        #expect(html.contains("<p class=\"status status-no-data\">no data: nothing collected yet</p>"))
        #expect(html.contains("<tr><th scope=\"row\">Latest value</th><td>none</td></tr>"))
        #expect(!html.contains("<details class=\"chart-data\">"), "no data table without data")
    }

    @Test func aSiteWithoutGoalsSaysSo() {
        let html = SiteReport(site: ReportFixture.site, goals: []).html()
        #expect(html.contains("The site declares no goals, so there is nothing to judge."))
        #expect(!html.contains("<section class=\"goal\""))
    }

    @Test func theSitesOwnWordsAreEscapedEverywhere() throws {
        let hostile = "<script>alert('x')</script> & \"quoted\""
        let site = SiteIdentity(id: "odd", name: "St <Mary's> & \"Co\"", region: hostile, wave: "wave <1>", focus: [hostile])
        let values = ReportFixture.admissions
        let definition = ReportFixture.definition(name: "Admissions <65+>", unit: "per <1,000> & more")
        let own = SelfAssessment(confidence: .high, rag: .green, narrative: hostile)
        let goal = ReportFixture.goal(id: "goal<1>", title: "Cut admissions <by 10%> & \"more\"", assessment: own)
        let progress = ReportFixture.progress(values: values, chart: ReportFixture.chart(values), definition: definition, goal: goal,
                                              events: [SiteEvent(period: .month(2024, 1), label: hostile)])
        let html = SiteReport(site: site, goals: [progress]).html()
        #expect(!html.contains("<script"))
        #expect(!html.contains("<Mary"))
        #expect(!html.contains("<65+>"))
        #expect(!html.contains("<by 10%>"))
        #expect(!html.contains("<1,000>"))
        #expect(!html.contains("goal<1>"))
        #expect(html.contains("<title>St &lt;Mary&#39;s&gt; &amp; &quot;Co&quot;: progress on goals</title>"))
        #expect(html.contains("Cut admissions &lt;by 10%&gt; &amp; &quot;more&quot;"))
        // The chart still parses as XML, its escaped words read back as written.
        let svg = try #require(try MarkupNode.svgs(in: html, class: "spc-chart").first)
        #expect(svg.first("title")?.text == "SPC chart of Admissions <65+>: Cut admissions <by 10%> & \"more\"")
        #expect(svg.first("g", class: "event")?.first("text")?.text == "2024-01: \(hostile)")
        #expect(svg.first("g", class: "y-axis")?.first("text", class: "axis-title")?.text == "per <1,000> & more")
    }

    @Test func elementIdsAreUniqueOnThePage() {
        let goals = (1...3).map { Self.goal(kind: .outcome, id: "same-id", title: "Goal \($0)") }
        let html = SiteReport(site: ReportFixture.site, goals: goals).html()
        let ids = html.components(separatedBy: " id=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(ids.count > 10)
        #expect(Set(ids).count == ids.count, "repeated ids: \(Dictionary(grouping: ids) { $0 }.filter { $1.count > 1 }.keys.sorted())")
    }

    @Test func theFooterSaysWhenItWasMadeOnlyWhenAsked() {
        let plain = SiteReport(site: ReportFixture.site, goals: []).html()
        #expect(plain == SiteReport(site: ReportFixture.site, goals: []).html(), "the same input gives the same page")
        #expect(plain.contains("<footer><p>Made by <code>pioneer report</code>. "))
        let dated = SiteReport(site: ReportFixture.site, goals: [], asOf: .month(2026, 3), generated: "2026-04-02 09:15 UTC").html()
        #expect(dated.contains("Made by <code>pioneer report</code> on 2026-04-02 09:15 UTC."))
        #expect(dated.contains("Each goal judged as at 2026-03,"))
    }
}
