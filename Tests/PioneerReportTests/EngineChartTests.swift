// The report draws what the SPC engine says: a chart from `XmR.analyse` comes out with one
// circle per point, in the engine's order and labels, and the engine's limits per phase.
import Foundation
import PioneerCore
import PioneerGoals
import PioneerKit
import PioneerReport
import Testing

@Suite("Report of the SPC engine's chart")
struct EngineChartTests {
    @Test func theDrawnPointsAndLimitsAreTheEnginesOwn() throws {
        // A level of about 21, a rebase at a fall to about 18, then a point far above the new limits.
        let values = ReportFixture.admissions.prefix(14) + [18.1, 17.6, 18.4, 17.9, 17.2, 18.0, 17.7, 18.3, 17.5, 17.8, 22.5]
        let result = XmR.analyse(Array(values), options: SPCOptions(better: .lower, target: 19.8, rebaseAt: [14]))
        let chart = try #require(result.chart)
        #expect(chart.points.contains { $0.pointType != .commonCause }, "the example should show a special cause")
        let progress = ReportFixture.progress(values: Array(values), chart: chart)
        let html = SiteReport(site: ReportFixture.site, goals: [progress]).html()
        let svg = try #require(try MarkupNode.svgs(in: html, class: "spc-chart").first)
        let circles = svg.all("circle", class: "point")
        #expect(circles.map { $0.classes.subtracting(["point"]).first ?? "" } == chart.points.map(\.pointType.rawValue))
        #expect(circles.compactMap { $0.attributes["data-value"].flatMap(Double.init) } == chart.points.map(\.value))
        #expect(svg.all("path", class: "upper").count == 2, "two phases, two sets of limits")
        #expect(svg.all("g", class: "rebase").map { $0.attributes["data-period"] } == [Period.month(2023, 4).advanced(by: 14).label])
        let desc = try #require(svg.first("desc")?.text)
        #expect(desc.contains(" since the rebase at 2024-06."), "\(desc)")
        #expect(desc.contains("Limits recalculated (rebased) at 2024-06."), "\(desc)")
    }
}
