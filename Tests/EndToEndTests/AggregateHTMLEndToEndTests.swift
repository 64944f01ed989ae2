// `pioneer aggregate --format html` and `--history` as the office runs them: three months of
// returns in the folder, the page written atomically with its funnel plots and the SPC chart
// of each pooled series, the JSON history agreeing with each month's own aggregate.
import Foundation
import PioneerKit
import PioneerReturns
import PioneerTesting
import Testing

extension AggregateEndToEndTests {
    /// `content` moved to `period`: its measures too, made ten days after the period ends, signed again.
    static func moved(_ content: SiteReturn, to period: Period) throws -> SiteReturn {
        var moved = content
        let label = ReturnPeriod(label: period.label, type: period.type.rawValue, start: period.start.description, end: period.end.description)
        moved.period = label
        moved.generatedAt = "\(period.end.adding(days: 10))T09:00:00.000Z"
        for index in moved.indicators.indices {
            for measure in moved.indicators[index].measures.indices {
                moved.indicators[index].measures[measure].period = label
            }
        }
        return try ReturnCoding.signed(moved)
    }

    /// The standard March returns, and January's and February's with smaller numerators.
    static func threeMonths() throws -> [String: Data] {
        var returns = try standardReturns()
        for (month, shift) in [(Period.month(2026, 1), 20.0), (Period.month(2026, 2), 10.0)] {
            for (site, plans, admissions) in [("torbay", (30.0, 100.0), (50.0, 20000.0)), ("tower-hamlets", (120, 300), (300, 60000)),
                                              ("cambridge", (200, 1000), (90, 45000))] {
                let march = try siteReturn(site, plans: (plans.0 - shift, plans.1), admissions: admissions)
                returns["\(site)-\(month.label).json"] = try ReturnCoding.pretty(try moved(march, to: month))
            }
        }
        return returns
    }

    @Test func htmlIsOneSelfContainedPageWithFunnelPlotsTheSeriesAndTheTables() async throws {
        try await withOffice(try Self.threeMonths()) { root in
            let run = try await Self.run(["--format", "html", "--output", "national.html", "--overdispersion", "none"], in: root)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.isEmpty, "the page goes to the file, not the terminal")
            let html = try String(contentsOf: root.appendingPathComponent("national.html"), encoding: .utf8)
            #expect(html.hasPrefix("<!DOCTYPE html>"))
            #expect(html.contains("<h1>Integrated Care Pioneers: national aggregate for 2026-03</h1>"))
            #expect(html.contains("as of <strong>2026-05-10</strong>"))
            #expect(html.components(separatedBy: "<svg class=\"funnel-plot\"").count - 1 == 2, "a funnel plot per indicator")
            #expect(html.components(separatedBy: "<svg class=\"spc-chart pooled-series\"").count - 1 == 2, "an SPC chart per pooled series")
            // The series: January 20 fewer care plans per site, February 10: 290, 320 and 350 of 1,400.
            #expect(html.contains("<tr><th scope=\"row\">2026-01</th><td class=\"number\">20.7%</td><td class=\"number\">290</td><td class=\"number\">1,400</td>"), "\(html)")
            #expect(html.contains("<tr><th scope=\"row\">2026-03</th><td class=\"number\">25.0%</td><td class=\"number\">350</td>"))
            #expect(html.contains("Not enough pooled values for SPC limits: 3 of the 12 needed"))
            #expect(html.contains("<tr data-site=\"northumbria\" data-status=\"missing\">"))
            #expect(html.contains("Outside the limits (named, not ranked): <strong>tower-hamlets</strong> (above the 99.8% limit), <strong>cambridge</strong> (below the 99.8% limit)."))
            #expect(html.contains("<table class=\"themes\">") && html.contains("<table class=\"gaps\">"))
            #expect(!html.contains("<script") && !html.contains("src="))
        }
    }

    @Test func historyAddsThePooledSeriesToTheJSONMatchingEachMonthsOwnAggregate() async throws {
        try await withOffice(try Self.threeMonths()) { root in
            let run = try await Self.run(["--format", "json", "--history"], in: root)
            #expect(run.status == 0, "\(run.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            #expect(object["period"] as? String == "2026-03")
            let history = try #require(object["history"] as? [String: Any])
            let series = try #require(history["series"] as? [[String: Any]])
            let plans = try #require(series.first { $0["indicator"] as? String == "care-plans" })
            let points = try #require(plans["points"] as? [[String: Any]])
            #expect(points.map { $0["period"] as? String } == ["2026-01", "2026-02", "2026-03"])
            for (offset, month) in ["2026-01", "2026-02", "2026-03"].enumerated() {
                let single = try await PioneerBinary.run(["aggregate", "returns", "--period", month, "--programme", "programme.yaml", "--as-of", "2026-05-10", "--format", "json"],
                                                         in: root.path, environment: ["PATH": "/usr/bin:/bin"])
                #expect(single.status == 0, "\(single.stderr)")
                let aggregate = try #require(try JSONSerialization.jsonObject(with: Data(single.stdout.utf8)) as? [String: Any])
                let indicators = try #require(aggregate["indicators"] as? [[String: Any]])
                let pooled = try #require(indicators.first { $0["id"] as? String == "care-plans" }?["pooled"] as? [String: Any])
                #expect(points[offset]["value"] as? Double == pooled["value"] as? Double, "\(month)")
                #expect(points[offset]["numerator"] as? Double == pooled["numerator"] as? Double, "\(month)")
            }
            // Without --history the JSON stays as it was: no history read.
            let plain = try await Self.run(["--format", "json"], in: root)
            #expect(!plain.stdout.contains("\"history\""))
        }
    }

    @Test func historyWithTheTableOrCSVIsAUsageError() async throws {
        try await withOffice(try Self.standardReturns()) { root in
            let run = try await Self.run(["--history"], in: root)
            #expect(run.status == 2)
            #expect(run.stderr.contains("--history adds the pooled series to --format json (html always has it); the table format has no place for it"), "\(run.stderr)")
        }
    }
}
