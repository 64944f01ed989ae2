// The national report opened in headless Chromium: fifteen months of made-up returns from
// four sites, aggregated and pooled by the real Aggregator and HistoryBuilder, rendered, and
// checked in the browser's DOM: no console message, no script, a funnel plot and an SPC
// chart per indicator with their text alternatives, the tables; a screenshot kept under
// .build/artefacts (or $PIONEER_ARTEFACTS), and A4 pages when printed.
import Foundation
import PioneerAggregate
import PioneerCore
import PioneerKit
import PioneerReport
import PioneerReturns
import PioneerTesting
import Testing

/// In the serialized report suite, so one browser runs at a time.
extension ReportEndToEndTests {
    static let nationalProgramme = Programme(
        id: "pioneers", name: "Integrated Care Pioneers", sites: ["torbay", "tower-hamlets", "cambridge", "northumbria", "leeds"], periods: [.month],
        deadlines: ReturnDeadlines(soft: DueLag(count: 15, unit: .days), hard: DueLag(count: 30, unit: .days)),
        themes: [GoalTheme(name: "care plans", goals: ["care-plans"])], file: "programme.yaml")

    /// The aggregate of 2026-03 and its history: care plans rising over the last months, one site far above.
    static func syntheticNational() throws -> (NationalAggregate, NationalHistory) {
        let months = (0..<15).map { Period.month(2025, 1).advanced(by: $0) }
        let asOf = CalendarDate(year: 2026, month: 4, day: 20) ?? .today()
        var builder = HistoryBuilder(programme: nationalProgramme, period: .month(2026, 3), asOf: asOf)
        var march: [ReceivedReturn] = []
        let sites: [(String, Double, Double, Double)] = [("torbay", 100, 0.30, 20000), ("tower-hamlets", 300, 0.42, 60000),
                                                         ("cambridge", 1000, 0.24, 45000), ("northumbria", 700, 0.27, 38000)]
        for (offset, month) in months.enumerated() {
            let wiggle = [0.0, 0.01, -0.01, 0.005, -0.005][offset % 5]
            let lift = offset >= 8 ? 0.006 * Double(offset - 7) : 0
            var received: [ReceivedReturn] = []
            for (site, size, share, population) in sites {
                // Northumbria's March return is late; Leeds has not returned yet.
                let made = site == "northumbria" && month == months[14] ? "2026-04-19" : "2026-04-10"
                var content = try AggregateEndToEndTests.siteReturn(site, plans: (((share + wiggle + lift) * size).rounded(), size),
                                                                   admissions: (population * 0.0035 + Double(offset), population), made: made,
                                                                   rag: site == "cambridge" ? "green" : nil, status: site == "cambridge" ? "off track" : "on track",
                                                                   agreement: site == "cambridge" ? "optimistic" : "agrees")
                content = try AggregateEndToEndTests.moved(content, to: month)
                if month == months[14] {
                    content.generatedAt = "\(made)T09:00:00.000Z"
                    content = try ReturnCoding.signed(content)
                }
                received.append(ReceivedReturn(source: "returns/\(site)-\(month.label).json", content: content))
            }
            builder.add(received, for: month)
            if month == months[14] { march = received }
        }
        // A tampered return, listed with its reason.
        if var tampered = march.first {
            tampered.source = "returns/torbay-2026-03-edited.json"
            tampered.content.indicators[0].measures[0].numerator = 99
            march.append(tampered)
        }
        let national = Aggregator(programme: nationalProgramme, period: .month(2026, 3), asOf: asOf).aggregate(march)
        return (national, builder.history())
    }

    @Test func aNationalReportOpensWithFunnelPlotsSPCChartsAndTablesAndPrintsOnA4() async throws {
        let (national, history) = try Self.syntheticNational()
        #expect(national.rejected.count == 1, "the tampered return is rejected")
        #expect(history.series.allSatisfy { $0.variation != nil }, "fifteen months are enough for SPC limits")
        try await withTemporaryFolder(prefix: "pioneer-national-chromium") { folder in
            let page = folder.appendingPathComponent("national.html")
            try Data(NationalReport(national: national, history: history, generated: "a test run").html().utf8).write(to: page)
            // A longer page than the site report's: room for a machine busy with other builds.
            let visit = try await ReportChromium.visit(page, screenshot: "national-report.png", timeout: 150)
            #expect(visit.consoleMessages.isEmpty, "the browser's console reported:\n\(visit.consoleMessages.joined(separator: "\n"))")
            #expect(!visit.dom.contains("<script"), "the report needs no script")
            let funnels = visit.dom.components(separatedBy: "<svg class=\"funnel-plot\"").dropFirst().map { $0.components(separatedBy: "</svg>")[0] }
            #expect(funnels.count == 2, "the browser's DOM has \(funnels.count) funnel plots, expected 2")
            for funnel in funnels {
                #expect(funnel.components(separatedBy: "<circle class=\"site ").count - 1 == 4, "four sites on each funnel plot")
                #expect(funnel.components(separatedBy: "<path class=\"limit ").count - 1 == 4, "two pairs of limit curves")
                #expect(funnel.contains(" role=\"img\"") && funnel.contains("<title id="))
            }
            let series = visit.dom.components(separatedBy: "<svg class=\"spc-chart pooled-series\"").dropFirst().map { $0.components(separatedBy: "</svg>")[0] }
            #expect(series.count == 2, "an SPC chart of each pooled series")
            for chart in series {
                #expect(chart.components(separatedBy: "<circle class=\"point ").count - 1 == 15)
                #expect(chart.contains("class=\"limit upper\""))
            }
            for table in ["completeness-grid", "rejected", "overview", "sites", "themes", "gaps"] {
                #expect(visit.dom.contains("<table class=\"\(table)\""), "no \(table) table in the DOM")
            }
            #expect(visit.dom.contains("data-site=\"leeds\" data-status=\"awaited\""), "Leeds has until the hard deadline of 2026-04-30")
            #expect(visit.dom.contains("returns/torbay-2026-03-edited.json"))
            let size = ReportChromium.pngSize(visit.screenshotBytes)
            #expect(size?.width == 1240 && size?.height == 1754, "the screenshot \(visit.screenshot.path) is not a 1240×1754 PNG")
            #expect(visit.screenshotBytes.count > 40_000, "the screenshot is only \(visit.screenshotBytes.count) bytes: the page looks blank")
            let pages = ReportChromium.pdfPageSizes(visit.pdf)
            #expect(pages.count >= 2, "the printed report has \(pages.count) pages")
            for page in pages {
                #expect(abs(page.width - 595.3) < 2 && abs(page.height - 841.9) < 2, "a printed page is \(page.width) × \(page.height) points, not A4")
            }
        }
    }
}
