// The SPC chart's SVG, read back as a tree: one circle per point in the Making Data Count
// colour of its label, limits and centre line per phase, rebase and event markers, the target
// and trajectory, axes in the indicator's format, and a text alternative for every chart.
import Foundation
import PioneerCore
import PioneerGoals
import PioneerKit
import PioneerReport
import Testing

@Suite("SPC chart drawing")
struct ChartDrawingTests {
    /// The report of one goal, and its chart parsed.
    static func chart(of progress: GoalProgress) throws -> (html: String, svg: MarkupNode) {
        let html = SiteReport(site: ReportFixture.site, goals: [progress]).html()
        let charts = try MarkupNode.svgs(in: html, class: "spc-chart")
        #expect(charts.count == 1, "expected one chart, found \(charts.count)")
        return (html, try #require(charts.first))
    }

    static let labelled: [Int: (SPCPointType, SpecialCauseRule)] = [
        12: (.specialCauseConcern, .run), 13: (.specialCauseConcern, .outsideLimits),
        16: (.specialCauseImprovement, .outsideLimits), 22: (.specialCauseImprovement, .trend),
        23: (.specialCauseImprovement, .trend),
    ]

    @Test func everyPointIsACircleColouredByItsLabelInTheMakingDataCountPalette() throws {
        let values = ReportFixture.admissions
        let progress = ReportFixture.progress(values: values, chart: ReportFixture.chart(values, types: Self.labelled))
        let (_, svg) = try Self.chart(of: progress)
        let circles = svg.all("circle", class: "point")
        #expect(circles.count == values.count)
        #expect(svg.attributes["data-points"] == "24")
        let expectedFill: [SPCPointType: String] = [
            .commonCause: "#a6a6a6", .specialCauseImprovement: "#00b0f0", .specialCauseConcern: "#e46c0a",
        ]
        for (offset, circle) in circles.enumerated() {
            let type = Self.labelled[offset]?.0 ?? .commonCause
            #expect(circle.classes.contains(type.rawValue), "point \(offset) has classes \(circle.classes)")
            #expect(circle.attributes["fill"] == expectedFill[type], "point \(offset) is \(circle.attributes["fill"] ?? "unfilled")")
            #expect(circle.attributes["data-period"] == Period.month(2023, 4).advanced(by: offset).label)
        }
        // Left to right in period order, and higher values higher up the page.
        let xs = circles.compactMap { $0.number("cx") }
        #expect(xs == xs.sorted() && Set(xs).count == xs.count)
        let ys = circles.compactMap { $0.number("cy") }
        #expect(ys[13] < ys[12] && ys[16] > ys[15], "24.6 above 23.9, 17.2 below 19.8")
        // Each point names its value and label for a reader who hovers or tabs to it.
        #expect(circles[13].first("title")?.text == "2024-05: 24.6, special cause: concern (a point beyond a process limit)")
        #expect(circles[0].first("title")?.text == "2023-04: 21.2, common cause variation")
    }

    @Test func neutralSpecialCausesArePurpleWhateverTheirSide() throws {
        let values = ReportFixture.admissions
        let chart = ReportFixture.chart(values, types: [13: (.specialCauseNeutralHigh, .outsideLimits), 16: (.specialCauseNeutralLow, .outsideLimits)],
                                        assurance: nil)
        let definition = ReportFixture.definition(id: "outpatients", name: "Outpatient attendances", kind: .process,
                                                  valueType: .count, unit: "attendances", better: .neutral)
        let progress = ReportFixture.progress(values: values, chart: chart, definition: definition, status: nil, agreement: .notAssessed)
        let (html, svg) = try Self.chart(of: progress)
        let circles = svg.all("circle", class: "point")
        #expect(circles[13].attributes["fill"] == "#490092" && circles[13].classes.contains("special_cause_neutral_high"))
        #expect(circles[16].attributes["fill"] == "#490092" && circles[16].classes.contains("special_cause_neutral_low"))
        #expect(html.contains("data-status=\"none\""))
        #expect(html.contains("<p class=\"status status-none\">no status: neither direction is better</p>"))
        #expect(!html.contains("confidence-gap flag"))
    }

    @Test func eachPhaseHasItsOwnLimitsAndCentreLineWithARebaseMarkerBetween() throws {
        let values = ReportFixture.admissions
        let chart = ReportFixture.chart(values, phaseStarts: [15], limits: [(21.5, 18.6, 24.4), (19.2, 17.0, 21.4)])
        let (_, svg) = try Self.chart(of: ReportFixture.progress(values: values, chart: chart))
        for line in ["upper", "lower"] {
            let paths = svg.all("path", class: line)
            #expect(paths.map { $0.attributes["data-phase"] } == ["0", "1"], "\(line) limits: \(paths.count)")
        }
        let centres = svg.all("path", class: "centre")
        #expect(centres.count == 2)
        let circles = svg.all("circle", class: "point")
        for phase in 0...1 {
            let upper = pathPoints(try #require(svg.all("path", class: "upper")[phase].attributes["d"]))
            let centre = pathPoints(try #require(centres[phase].attributes["d"]))
            let lower = pathPoints(try #require(svg.all("path", class: "lower")[phase].attributes["d"]))
            // Flat within a phase, and in order down the page: upper limit, mean, lower limit.
            #expect(Set(upper.map(\.y)).count == 1 && Set(centre.map(\.y)).count == 1 && Set(lower.map(\.y)).count == 1)
            #expect(upper[0].y < centre[0].y && centre[0].y < lower[0].y)
            // Each phase's lines span its own points only.
            let phaseXs = (phase == 0 ? circles[0..<15] : circles[15...]).compactMap { $0.number("cx") }
            #expect(upper.map(\.x).min()! < phaseXs.min()! && upper.map(\.x).max()! > phaseXs.max()!)
            #expect(upper.map(\.x).min()! > (phase == 0 ? 0 : circles[14].number("cx")!))
        }
        let firstUpper = pathPoints(svg.all("path", class: "upper")[0].attributes["d"]!)[0].y
        let secondUpper = pathPoints(svg.all("path", class: "upper")[1].attributes["d"]!)[0].y
        #expect(secondUpper > firstUpper, "the second phase's upper limit (21.4) sits lower than the first's (24.4)")
        let rebases = svg.all("g", class: "rebase")
        #expect(rebases.map { $0.attributes["data-period"] } == ["2024-07"])
        let marker = try #require(rebases.first?.first("line")?.number("x1"))
        #expect(marker > circles[14].number("cx")! && marker < circles[15].number("cx")!)
    }

    @Test func eventsAreMarkedAtTheirPeriodWithTheSitesLabel() throws {
        let values = ReportFixture.admissions
        let events = [SiteEvent(period: .month(2024, 10), label: "Frailty hubs open"),
                      SiteEvent(period: .month(2023, 9), label: "New <care> \"co-ordinators\" & GP hubs")]
        let progress = ReportFixture.progress(values: values, chart: ReportFixture.chart(values), events: events)
        let (html, svg) = try Self.chart(of: progress)
        let marks = svg.all("g", class: "event")
        #expect(marks.map { $0.attributes["data-period"] } == ["2023-09", "2024-10"])
        #expect(marks[1].first("text")?.text == "2024-10: Frailty hubs open")
        #expect(marks[0].first("text")?.text == "2023-09: New <care> \"co-ordinators\" & GP hubs")
        #expect(!html.contains("<care>"))
        let circles = svg.all("circle", class: "point")
        #expect(marks[1].first("line")?.number("x1") == circles[18].number("cx"), "the event line sits on its period's point")
        #expect(svg.first("desc")?.text.contains("Events marked: 2023-09 New <care> \"co-ordinators\" & GP hubs; 2024-10 Frailty hubs open.") == true)
    }

    @Test func theTargetAndTrajectoryAreDrawnThroughBaselineMilestonesAndTarget() throws {
        let values = ReportFixture.admissions
        let goal = ReportFixture.goal(trajectory: .milestones([PeriodValue(period: .month(2025, 3), value: 21)]))
        let progress = ReportFixture.progress(values: values, chart: ReportFixture.chart(values), goal: goal)
        let (_, svg) = try Self.chart(of: progress)
        let target = try #require(svg.first("g", class: "target"))
        #expect(target.first("text")?.text == "target 19.8 by 2027-03")
        let line = try #require(target.first("line"))
        #expect(line.number("y1") == line.number("y2"))
        let trajectory = try #require(svg.first("g", class: "trajectory"))
        let vertices = (trajectory.first("polyline")?.attributes["points"] ?? "").split(separator: " ")
        #expect(vertices.count == 3, "baseline, one milestone, target: \(vertices)")
        #expect(trajectory.all("rect", class: "milestone").count == 3)
        #expect(trajectory.first("title")?.text == "Trajectory: 2023-03 22.0, 2025-03 21.0, 2027-03 19.8")
        // The target's y is the trajectory's last vertex's y: one scale for both.
        let lastY = Double(vertices.last!.split(separator: ",")[1])
        #expect(lastY == line.number("y1"))
    }

    @Test func axesUseTheIndicatorsFormatAndPeriods() throws {
        let values = [0.41, 0.43, 0.39, 0.44, 0.47, 0.42, 0.45, 0.48, 0.46, 0.5, 0.49, 0.51, 0.52, 0.5]
        let definition = ReportFixture.definition(id: "involved", name: "I was involved in decisions about my care", kind: .experience,
                                                  valueType: .proportion, unit: "% agreeing", better: .higher)
        let goal = ReportFixture.goal(indicator: "involved", title: "More people say they were involved", baseline: 0.4, target: 0.6)
        let chart = ReportFixture.chart(values, limits: [(0.46, 0.36, 0.56)], assurance: .consistentFail)
        let (_, svg) = try Self.chart(of: ReportFixture.progress(values: values, chart: chart, definition: definition, goal: goal))
        let yTicks = try #require(svg.first("g", class: "y-axis")).all("text", class: "tick").map(\.text)
        #expect(yTicks.count >= 3)
        #expect(yTicks.allSatisfy { $0.hasSuffix("%") }, "\(yTicks)")
        #expect(Set(yTicks).count == yTicks.count, "no two ticks read alike: \(yTicks)")
        #expect(svg.first("g", class: "y-axis")?.first("text", class: "axis-title")?.text == "% agreeing")
        let xTicks = try #require(svg.first("g", class: "x-axis")).all("text", class: "tick").map(\.text)
        #expect(xTicks.first == "2023-03", "the axis starts at the baseline: \(xTicks)")
        #expect(xTicks.allSatisfy { $0.count == 7 && $0.dropFirst(4).first == "-" }, "\(xTicks)")
        #expect(svg.first("g", class: "x-axis")?.first("text", class: "axis-title")?.text == "month")
        #expect(svg.first("g", class: "target")?.first("text")?.text == "target 60.0% by 2027-03")
    }

    @Test func aLongUnitIsShortenedOnTheAxisAndGivenWholeInItsTitleAndTheFacts() throws {
        let values = ReportFixture.admissions
        let unit = "people on the frailty register with a shared care plan"
        let progress = ReportFixture.progress(values: values, chart: ReportFixture.chart(values), definition: ReportFixture.definition(unit: unit))
        let (html, svg) = try Self.chart(of: progress)
        let title = try #require(svg.first("g", class: "y-axis")?.first("text", class: "axis-title"))
        #expect(title.text == "people on the frailty register with…")
        #expect(title.first("title")?.text == unit)
        #expect(html.contains("<tr><th scope=\"row\">Unit</th><td>\(unit)</td></tr>"))
    }

    @Test func tooFewPointsShowsThePointsWithoutLimitsAndSaysWhy() throws {
        let values = [21.2, 20.6, 21.8, 22.4, 20.9]
        let progress = ReportFixture.progress(values: values, chart: nil, minimumPoints: 12)
        let (html, svg) = try Self.chart(of: progress)
        #expect(svg.attributes["data-limits"] == "none")
        let circles = svg.all("circle", class: "point")
        #expect(circles.count == 5)
        #expect(circles.allSatisfy { $0.classes.contains("unjudged") && $0.attributes["fill"] == "#a6a6a6" })
        #expect(svg.all("path", class: "limit").isEmpty && svg.all("path", class: "centre").isEmpty)
        #expect(svg.all("g", class: "rebase").isEmpty)
        #expect(svg.first("text", class: "no-limits")?.text == "Not enough points for SPC limits (have 5, need 12)")
        #expect(svg.first("desc")?.text.hasPrefix("Not enough points for SPC limits (have 5, need 12), so no limits are drawn. 5 values plotted from 2023-04 to 2023-08; the latest, 2023-08, is 20.9.") == true)
        let section = try #require(html.components(separatedBy: "<section class=\"goal\"").last)
        #expect(section.contains("<p class=\"icon-note\">No SPC icons: too few points.</p>"))
        #expect(!section.contains("class=\"mdc-icon"), "no icons without a chart")
    }

    static let extremeSeries: [[Double]] = [
        [1e300, 3e300, 2e300, 1.5e300, 2.5e300],
        [-1.7e308, 1.7e308, 0, 1e308, -1e308],
        [1e16, 1e16 + 2, 1e16 + 4, 1e16 + 2, 1e16],
        [1e-300, 3e-300, 2e-300, 0, 1e-300],
    ]

    @Test(arguments: extremeSeries)
    func valuesAtTheEdgesOfWhatANumberHoldsGetAFiniteChartWithLabelsThatFit(values: [Double]) throws {
        let progress = ReportFixture.progress(values: values, chart: nil, minimumPoints: 12)
        let (_, svg) = try Self.chart(of: progress)
        let circles = svg.all("circle", class: "point")
        #expect(circles.count == values.count)
        // Every coordinate a number, inside the plot (78 to 696 across, 40 to 262 down).
        for circle in circles {
            let x = try #require(circle.number("cx")), y = try #require(circle.number("cy"))
            #expect(x.isFinite && y.isFinite && (78...696).contains(x) && (40...262).contains(y), "\(circle.attributes)")
        }
        let ticks = try #require(svg.first("g", class: "y-axis")).all("text", class: "tick")
        #expect((2...12).contains(ticks.count), "\(ticks.map(\.text))")
        // Each label short enough for the 72 points left of the plot, and all different.
        #expect(ticks.allSatisfy { $0.text.count <= 11 && !$0.text.contains("inf") && !$0.text.contains("nan") }, "\(ticks.map(\.text))")
        #expect(Set(ticks.map(\.text)).count == ticks.count, "\(ticks.map(\.text))")
    }

    @Test func periodsWithoutAValueAreMarkedNotPlottedAsZero() throws {
        let values = Array(ReportFixture.admissions.prefix(12))
        let chart = ReportFixture.chart(values)
        let progress = ReportFixture.progress(values: values, chart: chart,
                                              missing: [4: NotAvailable(.suppressed, "n = 7, below the minimum of 10")])
        let (html, svg) = try Self.chart(of: progress)
        #expect(svg.all("circle", class: "point").count == 12)
        let missing = svg.all("g", class: "missing")
        #expect(missing.map { $0.attributes["data-period"] } == ["2023-08"])
        #expect(missing.first?.first("title")?.text == "2023-08: not available (suppressed small number: n = 7, below the minimum of 10)")
        #expect(!svg.all("circle", class: "point").contains { $0.attributes["data-period"] == "2023-08" })
        #expect(html.contains("<tr class=\"missing\"><td>2023-08</td><td colspan=\"5\">not available: suppressed small number: n = 7, below the minimum of 10</td></tr>"))
    }

    @Test func everyChartHasATextAlternativeItsAriaLabelsPointAt() throws {
        let values = ReportFixture.admissions
        let goals = [
            ReportFixture.progress(values: values, chart: ReportFixture.chart(values, types: Self.labelled)),
            ReportFixture.progress(values: Array(values.prefix(4)), chart: nil, goal: ReportFixture.goal(id: "second", title: "Second goal")),
        ]
        let html = SiteReport(site: ReportFixture.site, goals: goals).html()
        let charts = try MarkupNode.svgs(in: html, class: "spc-chart")
        #expect(charts.count == 2)
        for chart in charts {
            #expect(chart.attributes["role"] == "img")
            let labels = (chart.attributes["aria-labelledby"] ?? "").split(separator: " ").map(String.init)
            #expect(labels.count == 2)
            let title = try #require(chart.children.first { $0.name == "title" })
            let desc = try #require(chart.children.first { $0.name == "desc" })
            #expect(labels == [title.attributes["id"], desc.attributes["id"]].compactMap { $0 })
            #expect(title.text.hasPrefix("SPC chart of Emergency admissions, aged 65+: "))
            #expect(desc.text.count > 80, "\(desc.text)")
        }
        let full = try #require(charts.first?.first("desc")?.text)
        #expect(full.contains("24 values, one a month, from 2023-04 to 2025-03."))
        #expect(full.contains("Mean 21.0, process limits 18.0 to 24.0."))
        #expect(full.contains("Latest, 2025-03: 19.2, special cause: improvement (a trend of points rising or falling)."))
        #expect(full.contains("Special causes: 3 improvement, 2 concern."))
        #expect(full.contains("Against the target the process may meet or miss the target."))
        // The same words are printed under the chart, for readers who do not use a screen reader.
        #expect(html.contains("<figcaption class=\"chart-summary\">\(HTMLText.escape(full))</figcaption>"))
    }
}
