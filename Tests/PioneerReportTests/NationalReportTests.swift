// The national report's HTML and SVG read back as trees: the funnel plot's limit curves
// narrow towards the centre line as the denominator grows, each site sits at its
// denominator and value, the sites outside are named (never ranked), a missing funnel or
// pooled value says why, the pooled series is drawn as an SPC chart, and a site's or
// programme's own words cannot break the page.
import Foundation
import PioneerAggregate
import PioneerGoals
import PioneerKit
import PioneerReport
import Testing

@Suite("National report")
struct NationalReportTests {
    /// A proportion across five sites; two far from the rest so they fall outside.
    static let figures = [
        SiteFigure(site: "a", value: nil, numerator: 30, denominator: 100),
        SiteFigure(site: "b", value: nil, numerator: 130, denominator: 400),
        SiteFigure(site: "c", value: nil, numerator: 600, denominator: 1000),
        SiteFigure(site: "d", value: nil, numerator: 560, denominator: 2000),
        SiteFigure(site: "e", value: nil, numerator: 1800, denominator: 5000),
    ]

    static func indicator(overdispersion: Overdispersion = .none, sites: [String]? = nil) throws -> IndicatorAggregate {
        let figures = sites.map { names in zip(names, Self.figures).map { SiteFigure(site: $0, value: nil, numerator: $1.numerator, denominator: $1.denominator) } } ?? Self.figures
        let funnel = try FunnelPlot(figures, distribution: .binomial, options: FunnelOptions(overdispersion: overdispersion))
        let values = figures.map { figure in
            SiteIndicatorValue(site: figure.site, value: (figure.numerator ?? 0) / (figure.denominator ?? 1), numerator: figure.numerator,
                               denominator: figure.denominator, lower: 0.1, upper: 0.9, notAvailable: nil, definitionVersion: "aaaaaaaaaaaa",
                               position: funnel.points.first { $0.site == figure.site }?.position)
        }
        return IndicatorAggregate(id: "care-plans", name: "Shared care plans", valueType: "proportion", unit: "% with a plan", factor: nil,
                                  better: "higher", decimals: 1, sites: values, definitions: [DefinitionGroup(version: "aaaaaaaaaaaa", sites: figures.map(\.site))],
                                  pooled: Pooling.pool(figures, valueType: .proportion), notPooled: nil, funnel: funnel, funnelUnavailable: nil)
    }

    static func national(programme: String = "Integrated Care Pioneers", indicators: [IndicatorAggregate], sites: [String] = ["a", "b", "c", "d", "e"],
                         rejected: [RejectedReturn] = []) -> NationalAggregate {
        let date = { (day: Int) in CalendarDate(year: 2026, month: 4, day: day) ?? .today() }
        let statuses: [SubmissionStatus] = [.onTime, .late, .incomplete, .awaited, .missing]
        let completeness = Completeness(softDeadline: date(15), hardDeadline: date(30), asOf: date(20), sites: sites.enumerated().map { offset, site in
            SiteCompleteness(site: site, status: statuses[offset % statuses.count], submitted: offset < 3 ? "2026-04-1\(offset)" : nil,
                             source: offset < 3 ? "returns/\(site).json" : nil)
        })
        return NationalAggregate(programme: programme, period: "2026-03", completeness: completeness, rejected: rejected, otherPeriods: [],
                                 accepted: sites, indicators: indicators,
                                 themes: [ThemeSummary(theme: "care plans", onTrack: 2, offTrack: 1)],
                                 confidenceGaps: [ConfidenceGap(site: "c", goal: "care-plans", title: "Three in four", theme: "care plans",
                                                                status: "off track", rag: "green", confidence: "high", agreement: "optimistic")],
                                 funnelOptions: FunnelOptions(overdispersion: .none))
    }

    /// The (x, y) pairs of a path's `d`.
    static func coordinates(_ path: MarkupNode?) -> [(x: Double, y: Double)] {
        let numbers = (path?.attributes["d"] ?? "").split(whereSeparator: { $0 == " " || $0 == "M" || $0 == "L" }).compactMap { Double($0) }
        return stride(from: 0, to: numbers.count - 1, by: 2).map { (numbers[$0], numbers[$0 + 1]) }
    }

    @Test func theLimitCurvesNarrowTowardsTheCentreAsTheDenominatorGrows() throws {
        let html = NationalReport(national: Self.national(indicators: [try Self.indicator()])).html()
        let svg = try #require(try MarkupNode.svgs(in: html, class: "funnel-plot").first)
        let centre = try #require(svg.first("line", class: "centre")?.number("y1"))
        let paths = svg.all("path", class: "limit")
        func curve(_ words: String...) -> [(x: Double, y: Double)] {
            Self.coordinates(paths.first { path in words.allSatisfy(path.classes.contains) })
        }
        let upper95 = curve("limit-95", "upper"), lower95 = curve("limit-95", "lower")
        let upper998 = curve("limit-998", "upper"), lower998 = curve("limit-998", "lower")
        for line in [upper95, lower95, upper998, lower998] {
            #expect(line.count == 121)
            // x grows with the denominator (the first steps are closer than the 0.1 px the SVG keeps).
            #expect(zip(line, line.dropFirst()).allSatisfy { $0.x <= $1.x })
            #expect((line.first?.x ?? 0) < (line.last?.x ?? 0))
        }
        // Screen y grows downwards: an upper limit comes down to the centre, a lower one up to it.
        #expect(zip(upper95, upper95.dropFirst()).allSatisfy { $0.y <= $1.y })
        #expect(zip(lower95, lower95.dropFirst()).allSatisfy { $0.y >= $1.y })
        #expect(zip(upper998, upper998.dropFirst()).allSatisfy { $0.y <= $1.y })
        #expect(zip(lower998, lower998.dropFirst()).allSatisfy { $0.y >= $1.y })
        for index in upper95.indices {
            #expect(upper998[index].y <= upper95[index].y && upper95[index].y <= centre)
            #expect(lower998[index].y >= lower95[index].y && lower95[index].y >= centre)
        }
        // At the largest denominator the 95% limits are within a few pixels of the centre.
        let last = try #require(upper95.last), first = try #require(upper95.first)
        #expect(centre - last.y < centre - first.y)
    }

    @Test func eachSiteSitsAtItsDenominatorAndValue() throws {
        let indicator = try Self.indicator()
        let html = NationalReport(national: Self.national(indicators: [indicator])).html()
        let svg = try #require(try MarkupNode.svgs(in: html, class: "funnel-plot").first)
        let left = try #require(svg.number("data-plot-left")), right = try #require(svg.number("data-plot-right"))
        let top = try #require(svg.number("data-plot-top")), bottom = try #require(svg.number("data-plot-bottom"))
        let xHigh = try #require(svg.number("data-x-high"))
        let yLow = try #require(svg.number("data-y-low")), yHigh = try #require(svg.number("data-y-high"))
        let circles = svg.all("circle", class: "site")
        #expect(circles.map { $0.attributes["data-site"] } == ["a", "b", "c", "d", "e"])
        for (circle, figure) in zip(circles, Self.figures) {
            let denominator = try #require(figure.denominator), value = try #require(figure.numerator) / denominator
            let x = left + denominator / xHigh * (right - left)
            let y = bottom - (value - yLow) / (yHigh - yLow) * (bottom - top)
            #expect(abs((circle.number("cx") ?? 0) - x) <= 0.051, "\(figure.site) x")
            #expect(abs((circle.number("cy") ?? 0) - y) <= 0.051, "\(figure.site) y")
        }
        let centre = try #require(svg.first("line", class: "centre"))
        let pooled = try #require(indicator.pooled?.value)
        #expect(abs((centre.number("y1") ?? 0) - (bottom - (pooled - yLow) / (yHigh - yLow) * (bottom - top))) <= 0.051)
        #expect(svg.attributes["role"] == "img")
        #expect(svg.first("title")?.text == "Funnel plot: Shared care plans")
    }

    @Test func theSitesOutsideAreNamedOnThePlotAndInTheCaptionNeverRanked() throws {
        let indicator = try Self.indicator()
        let funnel = try #require(indicator.funnel)
        let outside = funnel.outside.map(\.site)
        #expect(outside == ["c", "d"], "the fixture puts c above and d below")
        let html = NationalReport(national: Self.national(indicators: [indicator])).html()
        let svg = try #require(try MarkupNode.svgs(in: html, class: "funnel-plot").first)
        #expect(svg.all("text", class: "outside-label").map(\.text) == outside)
        #expect(svg.all("circle", class: "outside").map { $0.attributes["data-site"] ?? "" } == outside)
        #expect(svg.all("circle", class: "inside").count == 3)
        #expect(html.contains("Outside the limits (named, not ranked): <strong>c</strong> (above the 99.8% limit), <strong>d</strong> (below the 99.8% limit)."))
        #expect(html.contains("not adjusted (overdispersion adjustment turned off)"))
    }

    @Test func anAdjustedFunnelStatesPhiAndTauSquared() throws {
        let indicator = try Self.indicator(overdispersion: .additive)
        let funnel = try #require(indicator.funnel)
        #expect(funnel.isAdjusted)
        let html = NationalReport(national: Self.national(indicators: [indicator])).html()
        #expect(html.contains("The sites vary more than chance alone would make them (φ = "))
        #expect(html.contains("widened by a between-site variance τ² (additive random effects)"))
    }

    @Test func aMissingFunnelOrPooledValueSaysWhy() throws {
        var indicator = try Self.indicator()
        indicator.funnel = nil
        indicator.funnelUnavailable = "no funnel plot: the sites define it differently"
        indicator.pooled = nil
        indicator.notPooled = "not pooled: the sites define it differently (a uses x; b uses y)"
        let html = NationalReport(national: Self.national(indicators: [indicator])).html()
        #expect(try MarkupNode.svgs(in: html, class: "funnel-plot").isEmpty)
        #expect(html.contains("<p class=\"no-chart funnel-unavailable\">No funnel plot: the sites define it differently.</p>"))
        #expect(html.contains("not pooled: the sites define it differently (a uses x; b uses y)"))
        #expect(html.contains("No SPC chart of the national value: the history was not read"))
    }

    @Test func thePooledSeriesIsDrawnAsAnSPCChartWithItsVerdict() throws {
        let values = [0.30, 0.31, 0.29, 0.32, 0.30, 0.31, 0.33, 0.34, 0.35, 0.36, 0.37, 0.38, 0.39, 0.41]
        let chart = try #require(XmR.analyse(values, options: SPCOptions(better: .higher)).chart)
        let points = zip(values.indices, chart.points).map { offset, spc in
            PooledPoint(period: Period.month(2025, 2).advanced(by: offset).label, source: .returns, value: spc.value, numerator: nil, denominator: nil,
                        sitesPooled: 5, sitesReporting: 5, definitionVersion: "aaaaaaaaaaaa", notPooled: nil,
                        spc: PooledPointSPC(phase: spc.phase, mean: spc.mean, lowerLimit: spc.lowerLimit, upperLimit: spc.upperLimit,
                                            pointType: spc.pointType, specialCause: spc.specialCause))
        }
        let series = PooledSeries(indicator: "care-plans", name: "Shared care plans", valueType: "proportion", unit: "%", factor: nil, better: "higher",
                                  decimals: 1, periodType: "month", points: points, variation: chart.variation, spcUnavailable: nil, definitionChanges: [])
        let history = NationalHistory(period: "2026-03", periods: [], series: [series])
        let html = NationalReport(national: Self.national(indicators: [try Self.indicator()]), history: history).html()
        let svg = try #require(try MarkupNode.svgs(in: html, class: "spc-chart").first)
        #expect(svg.classes.contains("pooled-series"))
        let circles = svg.all("circle", class: "point")
        #expect(circles.count == 14)
        #expect(circles.map { $0.attributes["data-period"] ?? "" } == points.map(\.period))
        #expect(circles.last?.classes.contains(chart.variation.rawValue) == true)
        #expect(svg.all("path", class: "limit").count == 2 && svg.all("path", class: "centre").count == 1)
        #expect(html.contains("National value over time: <strong>\(chart.variation.words)</strong>"))
        #expect(html.contains("class=\"mdc-icon"), "the Making Data Count variation icon beside the chart")
    }

    @Test func aSitesOrProgrammesOwnWordsAreEscapedEverywhere() throws {
        let hostile = "x\"><script>alert(1)</script>&"
        let indicator = try Self.indicator(sites: ["a", hostile, "c", "d", "e"])
        let national = Self.national(programme: "Pioneers <b>& friends</b>", indicators: [indicator], sites: ["a", hostile, "c", "d", "e"],
                                     rejected: [RejectedReturn(source: "returns/<evil>.json", site: hostile, period: "2026-03", reason: "its digest <does not> match")])
        let html = NationalReport(national: national).html()
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>&"))
        #expect(html.contains("Pioneers &lt;b&gt;&amp; friends&lt;/b&gt;"))
        #expect(html.contains("x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;"))
        #expect(html.contains("returns/&lt;evil&gt;.json"))
        // Still well-formed: the SVG parses, and the escaped name is the site's data-site back.
        let svg = try #require(try MarkupNode.svgs(in: html, class: "funnel-plot").first)
        #expect(svg.all("circle", class: "site").map { $0.attributes["data-site"] ?? "" }.contains(hostile))
    }

    /// The text table kept superseded returns apart as no fault; the page listed them with the
    /// rejected ones, "left out of the totals".
    @Test func supersededReturnsAreListedApartFromRejectedOnes() throws {
        let indicator = try Self.indicator(sites: ["a", "b", "c", "d", "e"])
        let national = Self.national(indicators: [indicator], rejected: [
            RejectedReturn(source: "returns/b.json", site: "b", period: "2026-03", reason: "its digest does not match its content"),
            RejectedReturn(source: "returns/a-first.json", site: "a", period: "2026-03", reason: "superseded by a later return", superseded: true),
        ])
        let html = NationalReport(national: national).html()
        let rejected = try #require(html.components(separatedBy: "<table class=\"rejected\">").dropFirst().first?.components(separatedBy: "</table>").first)
        #expect(rejected.contains("returns/b.json") && !rejected.contains("returns/a-first.json"))
        let superseded = try #require(html.components(separatedBy: "<table class=\"superseded\">").dropFirst().first?.components(separatedBy: "</table>").first)
        #expect(superseded.contains("returns/a-first.json") && superseded.contains("no fault"))
    }

    @Test func theCompletenessGridLabelsEachStatusInWordsNotColourAlone() throws {
        let html = NationalReport(national: Self.national(indicators: [])).html()
        for (site, status) in zip(["a", "b", "c", "d", "e"], ["on time", "late", "incomplete", "awaited", "missing"]) {
            #expect(html.contains("<tr data-site=\"\(site)\" data-status=\"\(status)\"><th scope=\"row\">\(site)</th>"))
            #expect(html.contains("<span class=\"chip status-\(status.replacingOccurrences(of: " ", with: "-"))\">\(status)</span>"))
        }
        #expect(html.contains("1 on time, 1 late, 1 incomplete, 1 awaited, 1 missing."))
        #expect(html.contains("No indicator has a measure for 2026-03"))
        // Self-contained: nothing fetched, nothing run.
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("<link") && !html.contains("url(http"))
    }

    @Test func sitesWhoseADXReturnsCarryNoGoalsAreNamedBesideTheThemes() throws {
        var national = Self.national(indicators: [])
        national.goalsNotCarried = ["b", "<d>"]
        let html = NationalReport(national: national).html()
        #expect(html.contains("ADX returns carry no goals: b, &lt;d&gt;. Their goals are not counted above."))
        #expect(!NationalReport(national: Self.national(indicators: [])).html().contains("carry no goals"))
    }
}
