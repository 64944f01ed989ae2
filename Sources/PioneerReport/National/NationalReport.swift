// `pioneer aggregate --format html`'s page: the national aggregate of one period as one
// self-contained HTML file (no scripts, no network): completeness, the returns left out,
// each indicator pooled with its funnel plot, site table and the SPC chart of its pooled
// series, then goals by theme and the confidence gap. `pioneer serve`'s dashboard shows
// the same sections (``NationalReport/main()``).
import Foundation
public import PioneerAggregate
import PioneerGoals
import PioneerKit

/// The HTML report of a national aggregate and its history.
///
/// ```swift
/// let page = NationalReport(national: national, history: history).html()
/// ```
public struct NationalReport: Sendable {
    public var national: NationalAggregate
    /// The pooled series up to the period; nil draws no SPC charts and says so.
    public var history: NationalHistory?
    /// When the report was made, as the footer prints it; nil leaves it out (repeatable output for tests).
    public var generated: String?

    public init(national: NationalAggregate, history: NationalHistory? = nil, generated: String? = nil) {
        self.national = national
        self.history = history
        self.generated = generated
    }

    /// The stylesheet the page inlines; a page that shows ``main()`` inside its own layout inlines it too.
    public static var stylesheet: String { ReportStyle.css + "\n" + NationalStyle.css }

    /// The whole page.
    public func html() -> String {
        let e = HTMLText.escape
        let title = "\(national.programme): national aggregate for \(national.period)"
        return """
        <!DOCTYPE html>
        <html lang="en-GB">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(e(title))</title>
        <style>
        \(Self.stylesheet)
        </style>
        </head>
        <body class="national">
        <header class="national">
        <h1>\(e(title))</h1>
        <p class="site-facts">Programme <strong>\(e(national.programme))</strong> · period <strong>\(e(national.period))</strong> · as of <strong>\(e(national.completeness.asOf.description))</strong></p>
        <p>Every expected site's return for the period: who returned on time, each return left out of the totals and why, each indicator pooled across the sites (Σ numerators ÷ Σ denominators, never the mean of the sites' rates) and compared on a funnel plot, the national value over time on a statistical process control (XmR) chart, and the goals by theme.</p>
        </header>
        \(main())
        <footer><p>Made by <code>pioneer aggregate --format html</code>\(generated.map { " on \(e($0))" } ?? ""). Funnel limits as in Spiegelhalter (2005); SPC point colours and icons follow NHS England's Making Data Count convention.</p></footer>
        </body>
        </html>

        """
    }

    /// The report's sections inside a `<main>` element.
    public func main() -> String {
        var out = "<main>\n"
        out += contents()
        out += completeness()
        out += rejected()
        out += indicatorOverview()
        out += "<section class=\"indicators\" id=\"indicators\"><h2>Indicators across the sites</h2>\n"
        if national.indicators.isEmpty {
            out += "<p class=\"empty-kind\">No indicator has a measure for \(HTMLText.escape(national.period)) in the accepted returns.</p>\n"
        }
        for (offset, indicator) in national.indicators.enumerated() {
            out += IndicatorSection(indicator: indicator, series: history?.series(of: indicator.id), history: history,
                                    period: national.period, id: "indicator-\(offset + 1)").html()
        }
        out += "</section>\n"
        out += otherSeries()
        out += goals()
        return out + "</main>\n"
    }

    private func contents() -> String {
        let e = HTMLText.escape
        var out = "<nav class=\"contents\" aria-label=\"Contents\"><h2>Contents</h2><ul>"
        out += "<li><a href=\"#completeness\">Completeness</a></li><li><a href=\"#rejected\">Returns left out</a></li>"
        out += "<li><a href=\"#overview\">Indicators at a glance</a><ul>"
        for (offset, indicator) in national.indicators.enumerated() {
            out += "<li><a href=\"#indicator-\(offset + 1)\">\(e(indicator.name.isEmpty ? indicator.id : indicator.name))</a></li>"
        }
        out += "</ul></li><li><a href=\"#goals\">Goals by theme and the confidence gap</a></li></ul></nav>\n"
        return out
    }

    // MARK: Completeness

    static func statusClass(_ status: SubmissionStatus) -> String {
        "status-" + status.rawValue.replacingOccurrences(of: " ", with: "-")
    }

    private func completeness() -> String {
        let e = HTMLText.escape
        let completeness = national.completeness
        var out = """
        <section class="completeness" id="completeness"><h2>Completeness</h2>
        <p>On time to \(e(completeness.softDeadline.description)), late to \(e(completeness.hardDeadline.description)) (the hard deadline); judged as of \(e(completeness.asOf.description)).</p>

        """
        guard !completeness.sites.isEmpty else {
            return out + "<p class=\"empty-kind\">The programme expects no returns for \(e(national.period)).</p></section>\n"
        }
        let counts = SubmissionStatus.allCases.map { "\(completeness.count($0)) \($0.rawValue)" }.joined(separator: ", ")
        out += "<p class=\"counts\">\(e(counts)).</p>\n"
        out += "<table class=\"completeness-grid\"><caption>Each expected site's return, by status</caption><thead><tr><th scope=\"col\">Site</th>"
        for status in SubmissionStatus.allCases {
            out += "<th scope=\"col\" class=\"status-col\">\(e(status.rawValue.capitalisedFirst))</th>"
        }
        out += "<th scope=\"col\">Made</th><th scope=\"col\">File</th></tr></thead><tbody>\n"
        for site in completeness.sites {
            out += "<tr data-site=\"\(e(site.site))\" data-status=\"\(e(site.status.rawValue))\"><th scope=\"row\">\(e(site.site))</th>"
            for status in SubmissionStatus.allCases {
                if status == site.status {
                    out += "<td class=\"status-cell\"><span class=\"chip \(Self.statusClass(status))\">\(e(status.rawValue))</span></td>"
                } else {
                    out += "<td class=\"status-cell\"><span class=\"visually-hidden\">no</span></td>"
                }
            }
            let file = site.source.map { "<code>\(e($0))</code>" }
                ?? site.rejected.map { "<code>\(e($0))</code> (rejected: see the returns left out)" } ?? ""
            out += "<td>\(e(site.submitted ?? "—"))</td><td>\(file)</td></tr>\n"
        }
        return out + "</tbody></table></section>\n"
    }

    private func rejected() -> String {
        let e = HTMLText.escape
        var out = "<section class=\"rejected\" id=\"rejected\"><h2>Returns left out of the totals</h2>\n"
        let rejected = national.rejected.filter { !$0.superseded }, superseded = national.rejected.filter(\.superseded)
        func table(_ items: [RejectedReturn], class kind: String, caption: String) -> String {
            var out = "<table class=\"\(kind)\"><caption>\(e(caption))</caption><thead><tr><th scope=\"col\">File</th><th scope=\"col\">Site</th><th scope=\"col\">Period</th><th scope=\"col\">Reason</th></tr></thead><tbody>\n"
            for item in items {
                out += "<tr><td><code>\(e(item.source))</code></td><td>\(e(item.site.isEmpty ? "not readable" : item.site))</td><td>\(e(item.period.isEmpty ? "not readable" : item.period))</td><td>\(e(item.reason))</td></tr>\n"
            }
            return out + "</tbody></table>\n"
        }
        if rejected.isEmpty {
            out += "<p>No return read for \(e(national.period)) was rejected.</p>\n"
        } else {
            out += table(rejected, class: "rejected", caption: "Each return rejected, with the reason; never dropped in silence")
        }
        if !superseded.isEmpty {
            out += table(superseded, class: "superseded",
                         caption: "Superseded returns: no fault, the site's later return (or the same one) is counted")
        }
        if !national.otherPeriods.isEmpty {
            let periods = Set(national.otherPeriods.map(\.period)).sorted().joined(separator: ", ")
            let count = national.otherPeriods.count
            out += "<p class=\"other-periods\">\(count) return\(count == 1 ? "" : "s") for other periods (\(e(periods))) set aside from this period's totals\(history == nil ? "" : "; those for earlier periods feed the national series over time").</p>\n"
        }
        return out + "</section>\n"
    }

    // MARK: Indicators

    private func indicatorOverview() -> String {
        let e = HTMLText.escape
        var out = "<section class=\"overview\" id=\"overview\"><h2>Indicators at a glance</h2>\n"
        guard !national.indicators.isEmpty else { return out + "<p class=\"empty-kind\">None.</p></section>\n" }
        let options = national.funnelOptions
        out += "<p>Funnel limits at 95% and 99.8%; overdispersion adjustment: \(e(options.overdispersion.rawValue)), z-scores winsorised at \(Int(options.winsorising * 100))% before φ is estimated.</p>\n"
        out += "<table class=\"overview\"><thead><tr><th scope=\"col\">Indicator</th><th scope=\"col\">Type</th><th scope=\"col\">Sites pooled</th><th scope=\"col\">National</th><th scope=\"col\">Numerator</th><th scope=\"col\">Denominator</th><th scope=\"col\">Spread (min · Q1 · median · Q3 · max)</th><th scope=\"col\">Method</th><th scope=\"col\">Outside the funnel</th></tr></thead><tbody>\n"
        for (offset, indicator) in national.indicators.enumerated() {
            let pooled = indicator.pooled
            let spread = pooled?.spread.map { s in
                [s.minimum, s.lowerQuartile, s.median, s.upperQuartile, s.maximum].map { NationalNumbers.value(indicator, $0) }.joined(separator: " · ")
            } ?? "—"
            let outside = indicator.funnel.map { funnel in funnel.outside.isEmpty ? "none" : funnel.outside.map(\.site).joined(separator: ", ") } ?? "no funnel plot"
            out += "<tr data-indicator=\"\(e(indicator.id))\"><th scope=\"row\"><a href=\"#indicator-\(offset + 1)\">\(e(indicator.name.isEmpty ? indicator.id : indicator.name))</a> <code>\(e(indicator.id))</code></th>"
            out += "<td>\(e(indicator.valueType))</td><td>\(pooled?.sites.count ?? 0) of \(indicator.sites.count)</td>"
            out += "<td class=\"number\">\(e(pooled?.value.map { NationalNumbers.value(indicator, $0) } ?? "—"))</td>"
            out += "<td class=\"number\">\(e(pooled?.numerator.map(NationalNumbers.part) ?? ""))</td><td class=\"number\">\(e(pooled?.denominator.map(NationalNumbers.part) ?? ""))</td>"
            out += "<td>\(e(spread))</td><td>\(e(indicator.notPooled ?? pooled?.method.rawValue ?? ""))</td><td>\(e(outside))</td></tr>\n"
        }
        return out + "</tbody></table></section>\n"
    }

    /// Series of indicators with no measure in this period (a monthly indicator in quarterly returns' months is shown with its own indicator).
    private func otherSeries() -> String {
        guard let history else { return "" }
        let shown = Set(national.indicators.map(\.id))
        let others = history.series.filter { !shown.contains($0.indicator) }
        guard !others.isEmpty else { return "" }
        var out = "<section class=\"other-series\" id=\"other-series\"><h2>Indicators measured by shorter periods</h2>\n<p>These indicators have no measure for \(HTMLText.escape(national.period)) itself; their national values come from the shorter periods inside the returns.</p>\n"
        for (offset, series) in others.enumerated() {
            out += "<article class=\"indicator\" id=\"series-\(offset + 1)\"><h3>\(HTMLText.escape(series.name.isEmpty ? series.indicator : series.name)) <code>\(HTMLText.escape(series.indicator))</code></h3>\n"
            out += IndicatorSection.seriesFigure(series, id: "series-\(offset + 1)-spc")
            out += "</article>\n"
        }
        return out + "</section>\n"
    }

    // MARK: Goals

    private func goals() -> String {
        let e = HTMLText.escape
        var out = "<section class=\"goals\" id=\"goals\"><h2>Goals by theme</h2>\n"
        if national.themes.isEmpty {
            out += "<p class=\"empty-kind\">The programme names no goal themes and no accepted return has goals.</p>\n"
        } else {
            out += "<table class=\"themes\"><caption>How many of the sites' goals in each theme are at each computed status</caption><thead><tr><th scope=\"col\">Theme</th><th scope=\"col\">Achieved</th><th scope=\"col\">On track</th><th scope=\"col\">At risk</th><th scope=\"col\">Off track</th><th scope=\"col\">No data</th><th scope=\"col\">No status</th></tr></thead><tbody>\n"
            for theme in national.themes {
                out += "<tr><th scope=\"row\">\(e(theme.theme))</th><td class=\"number\">\(theme.achieved)</td><td class=\"number\">\(theme.onTrack)</td><td class=\"number\">\(theme.atRisk)</td><td class=\"number\">\(theme.offTrack)</td><td class=\"number\">\(theme.noData)</td><td class=\"number\">\(theme.noStatus)</td></tr>\n"
            }
            out += "</tbody></table>\n"
        }
        if !national.goalsNotCarried.isEmpty {
            let sites = national.goalsNotCarried.map(e).joined(separator: ", ")
            out += "<p class=\"goals-not-carried\">ADX returns carry no goals: \(sites). Their goals are not counted above.</p>\n"
        }
        out += "<h2 id=\"confidence-gap\">The confidence gap</h2>\n"
        if national.confidenceGaps.isEmpty {
            out += "<p>Every self-assessment agrees with its computed status, or none was made.</p>\n"
        } else {
            out += "<p>Goals where a site's own rating disagrees with the status its evidence gives: optimistic when the site rates itself better than the evidence, pessimistic when worse.</p>\n"
            out += "<table class=\"gaps\"><thead><tr><th scope=\"col\">Site</th><th scope=\"col\">Goal</th><th scope=\"col\">Theme</th><th scope=\"col\">Computed status</th><th scope=\"col\">Self-assessment</th><th scope=\"col\">Agreement</th></tr></thead><tbody>\n"
            for gap in national.confidenceGaps {
                let own = [gap.rag, gap.confidence.map { "\($0) confidence" }].compactMap { $0 }.joined(separator: ", ")
                out += "<tr class=\"gap \(e(gap.agreement))\"><td>\(e(gap.site))</td><td>\(e(gap.title)) <code>\(e(gap.goal))</code></td><td>\(e(gap.theme ?? "—"))</td><td>\(e(gap.status ?? "none"))</td><td>\(e(own.isEmpty ? "—" : own))</td><td>\(e(gap.agreement))</td></tr>\n"
            }
            out += "</tbody></table>\n"
        }
        return out + "</section>\n"
    }
}
