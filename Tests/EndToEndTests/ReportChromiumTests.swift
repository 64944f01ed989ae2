// A report of made-up goals opened in headless Chromium: no console message (so no script
// error and no refused resource), every chart drawn with its points and its text alternative,
// a screenshot kept under .build/artefacts (or $PIONEER_ARTEFACTS), and A4 pages when printed.
import Foundation
import PioneerCore
import PioneerGoals
import PioneerKit
import PioneerReport
import PioneerTesting
import Testing

/// In the serialized end-to-end suite, so one browser runs at a time: two at once, beside the
/// demo, starve the suite's timing tests on a small machine.
extension ReportEndToEndTests {
    /// Three goals: a full chart with special causes, a rebase and an event; a patient
    /// experience proportion; too few points for limits.
    static func syntheticReport() -> SiteReport {
        let site = SiteIdentity(id: "torbay", name: "Torbay & South Devon <test>", region: "South West", wave: "Pioneer wave 1 (2013)")
        let months = (0..<24).map { Period.month(2023, 4).advanced(by: $0) }
        func definition(_ id: String, _ kind: IndicatorKind, _ type: ValueType, _ better: Direction) -> IndicatorDefinition {
            IndicatorDefinition(id: id, name: "\(id) indicator", kind: kind, valueType: type, unit: type == .proportion ? "% agreeing" : "per 1,000",
                                periodType: .month, better: better)
        }
        func goal(_ id: String, _ baseline: Double, _ target: Double) -> Goal {
            Goal(id: id, indicatorID: "\(id) indicator", title: "Goal \(id)", baseline: PeriodValue(period: .month(2023, 3), value: baseline),
                 target: PeriodValue(period: .month(2026, 3), value: target), assessment: SelfAssessment(confidence: .high, rag: .green))
        }
        func progress(_ goal: Goal, _ definition: IndicatorDefinition, _ values: [Double], spc: SPCResult, status: GoalStatus, events: [SiteEvent] = []) -> GoalProgress {
            let series = zip(months, values).map { SeriesPoint(period: $0, observation: .value($1)) }
            return GoalProgress(assessment: GoalAssessment(goal: goal, status: status, latest: series.last,
                                                           agreement: status == .offTrack ? .optimistic : .agrees),
                                definition: definition, series: series, spc: spc, spcPeriods: Array(months.prefix(values.count)), events: events)
        }
        func chart(_ values: [Double], phaseFrom: Int, special: [Int: SPCPointType], limits: [(mean: Double, spread: Double)]) -> SPCResult {
            let points = values.enumerated().map { index, value in
                let phase = index >= phaseFrom ? 1 : 0
                let (mean, spread) = limits[phase]
                return SPCPoint(index: index, value: value, phase: phase, mean: mean, lowerLimit: mean - spread, upperLimit: mean + spread,
                                pointType: special[index] ?? .commonCause, specialCause: special[index] == nil ? nil : .outsideLimits)
            }
            return .chart(SPCChart(points: points, variation: points.last!.pointType, assurance: .inconsistent))
        }
        let admissions = [21.2, 20.6, 21.8, 22.4, 20.9, 21.5, 20.2, 21.9, 22.8, 21.1, 20.7, 21.4,
                          24.6, 20.1, 19.8, 17.2, 19.5, 19.9, 19.1, 19.6, 19.3, 18.9, 19.2, 16.8]
        let involved = [0.41, 0.43, 0.39, 0.44, 0.47, 0.42, 0.45, 0.48, 0.46, 0.5, 0.49, 0.51, 0.52, 0.5]
        return SiteReport(site: site, goals: [
            progress(goal("admissions", 22, 19.8), definition("admissions", .outcome, .rate, .lower), admissions,
                     spc: chart(admissions, phaseFrom: 13, special: [12: .specialCauseConcern, 15: .specialCauseImprovement, 23: .specialCauseImprovement],
                           limits: [(21, 3), (19, 2)]),
                     status: .onTrack, events: [SiteEvent(period: .month(2024, 4), label: "Frailty hubs open")]),
            progress(goal("involved", 0.4, 0.6), definition("involved", .experience, .proportion, .higher), involved,
                     spc: chart(involved, phaseFrom: 99, special: [:], limits: [(0.47, 0.1)]), status: .offTrack),
            progress(goal("care-plans", 0.3, 0.8), definition("care-plans", .process, .proportion, .higher), [0.31, 0.35, 0.42, 0.47],
                     spc: .notEnoughPoints(have: 4, need: 12), status: .atRisk),
        ], asOf: .month(2025, 3), generated: "a test run")
    }

    @Test func aMadeUpReportOpensWithoutErrorsWithEveryChartDrawnAndPrintsOnA4() async throws {
        try await withTemporaryFolder(prefix: "pioneer-report-chromium") { folder in
            let page = folder.appendingPathComponent("report.html")
            try Data(Self.syntheticReport().html().utf8).write(to: page)
            let visit = try await ReportChromium.visit(page, screenshot: "report-synthetic.png")
            ReportBrowserChecks.check(visit, charts: 3, points: 24 + 14 + 4)
        }
    }
}

/// What every report must look like in the browser; shared by the synthetic and the demo report.
enum ReportBrowserChecks {
    static func check(_ visit: ReportChromium.Visit, charts: Int, points: Int? = nil) {
        #expect(visit.consoleMessages.isEmpty, "the browser's console reported:\n\(visit.consoleMessages.joined(separator: "\n"))")
        #expect(!visit.dom.contains("<script"), "the report needs no script")
        let svgs = visit.dom.components(separatedBy: "<svg class=\"spc-chart\"").dropFirst().map { $0.components(separatedBy: "</svg>")[0] }
        #expect(svgs.count == charts, "the browser's DOM has \(svgs.count) charts, expected \(charts)")
        var circles = 0
        for (offset, svg) in svgs.enumerated() {
            let count = svg.components(separatedBy: "<circle class=\"point ").count - 1
            circles += count
            #expect(count > 0, "chart \(offset + 1) is empty: no points in the rendered DOM")
            #expect(svg.contains(" role=\"img\""), "chart \(offset + 1) has no role=\"img\"")
            let labels = svg.components(separatedBy: "aria-labelledby=\"").dropFirst().first?.prefix { $0 != "\"" }
                .split(separator: " ").map(String.init) ?? []
            #expect(labels.count == 2, "chart \(offset + 1) names no title and description (aria-labelledby)")
            for label in labels {
                let text = svg.components(separatedBy: "id=\"\(label)\">").dropFirst().first?.prefix { $0 != "<" } ?? ""
                #expect(text.count > 10, "chart \(offset + 1): its text alternative #\(label) is missing or empty")
            }
        }
        if let points { #expect(circles == points, "\(circles) points drawn, expected \(points)") }

        let size = ReportChromium.pngSize(visit.screenshotBytes)
        #expect(size?.width == 1240 && size?.height == 1754, "the screenshot \(visit.screenshot.path) is not a 1240×1754 PNG")
        // A blank page of this size compresses to about 10 KB; charts, icons and tables make it several times that.
        #expect(visit.screenshotBytes.count > 40_000, "the screenshot \(visit.screenshot.path) is only \(visit.screenshotBytes.count) bytes: the page looks blank")

        let pages = ReportChromium.pdfPageSizes(visit.pdf)
        #expect(!pages.isEmpty, "the printed PDF has no pages")
        for page in pages {
            // A4 is 595.3 × 841.9 points; Chromium rounds through whole CSS pixels.
            #expect(abs(page.width - 595.3) < 2 && abs(page.height - 841.9) < 2, "a printed page is \(page.width) × \(page.height) points, not A4")
        }
    }
}
