// The programme office's dashboard (`GET /`): one reporting period's status grid (every
// expected site: on time, late, incomplete, awaited or missing; the version that counts and
// when it arrived), links to the neighbouring periods, then the national report's sections
// (PioneerReport's NationalReport: completeness, funnel plots, SPC charts of the pooled series).
// Plain HTML and inline SVG: it reads the same without JavaScript, and prints.
import Foundation
import PioneerAggregate
import PioneerCore
import PioneerIntake
import PioneerKit
import PioneerReport

struct DashboardPage {
    var programme: Programme
    var period: Period
    var status: PeriodStatus
    var national: NationalAggregate
    /// The pooled series up to the period, for the national report's SPC charts.
    var history: NationalHistory?
    /// The periods offered in the period picker, newest first.
    var periods: [Period]

    /// The latest `count` periods due of each kind the programme collects, newest first.
    static func recentPeriods(programme: Programme, today: CalendarDate, count: Int = 6) -> [Period] {
        programme.periods.flatMap { type in
            let latest = Period(containing: today, type: type).previous
            return (0..<count).map { latest.advanced(by: -$0) }
        }.sorted { ($0.end, $0.type.rawValue) > ($1.end, $1.type.rawValue) }
    }

    func html() -> String {
        let e = HTMLText.escape
        let title = "\(programme.name): returns for \(period.label)"
        return """
        <!DOCTYPE html>
        <html lang="en-GB">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(e(title))</title>
        <style>
        \(NationalReport.stylesheet)
        \(Self.stylesheet)
        </style>
        </head>
        <body class="dashboard">
        <header class="dashboard">
        <h1>\(e(title))</h1>
        <p class="facts">Programme <strong>\(e(programme.id))</strong> · on time to <strong>\(e(status.softDeadline))</strong> · late to <strong>\(e(status.hardDeadline))</strong> · as of <strong>\(e(status.asOf))</strong></p>
        \(periodPicker())
        </header>
        \(statusGrid())
        \(NationalReport(national: national, history: history).main())
        <footer><p>Served by <code>pioneer serve</code>. The same figures as <code>GET /v1/status</code> and <code>GET /v1/aggregate</code> for this period.</p></footer>
        </body>
        </html>

        """
    }

    /// Links to the other periods: plain links, so the picker works without scripts.
    func periodPicker() -> String {
        let links = periods.map { other in
            other == period
                ? "<li><strong aria-current=\"page\">\(HTMLText.escape(other.label))</strong></li>"
                : "<li><a href=\"/?period=\(Self.queryEscape(other.label))\">\(HTMLText.escape(other.label))</a></li>"
        }
        return "<nav class=\"periods\" aria-label=\"Reporting periods\"><ul>\(links.joined())</ul></nav>"
    }

    /// Every expected site, the programme's order: its status, the version that counts, when it arrived.
    func statusGrid() -> String {
        let e = HTMLText.escape
        var counts: [String: Int] = [:]
        for site in status.sites { counts[site.status, default: 0] += 1 }
        let order = ["on time", "late", "incomplete", "awaited", "missing"]
        let summary = order.compactMap { name in counts[name].map { "<li class=\"\(Self.statusClass(name))\"><strong>\($0)</strong> \(e(name))</li>" } }
        var rows = ""
        for site in status.sites {
            rows += """
            <tr><th scope="row">\(e(site.site))</th>\
            <td><span class="status \(Self.statusClass(site.status))">\(e(site.status))</span></td>\
            <td class="number">\(site.version.map(String.init) ?? "–")</td>\
            <td>\(e(site.receivedAt ?? "–"))</td>\
            <td class="number">\(site.versions)</td></tr>

            """
        }
        return """
        <section class="status-grid" id="status">
        <h2>Returns for \(e(status.period))</h2>
        <ul class="status-counts">\(summary.joined())</ul>
        <table>
        <thead><tr><th scope="col">Site</th><th scope="col">Status</th><th scope="col">Version that counts</th><th scope="col">Received (UTC)</th><th scope="col">Versions stored</th></tr></thead>
        <tbody>
        \(rows)</tbody>
        </table>
        </section>
        """
    }

    static func statusClass(_ status: String) -> String {
        status.replacingOccurrences(of: " ", with: "-")
    }

    static func queryEscape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    static let stylesheet = """
    body.dashboard { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1.5rem; color: #212b32; }
    header.dashboard h1 { margin: 0 0 .4rem; font-size: 1.6rem; }
    .facts { margin: .2rem 0 .8rem; color: #4c6272; }
    nav.periods ul { list-style: none; display: flex; flex-wrap: wrap; gap: .4rem; padding: 0; margin: 0 0 1rem; }
    nav.periods li a, nav.periods li strong { display: inline-block; padding: .2rem .6rem; border: 1px solid #aeb7bd; border-radius: 3px; text-decoration: none; color: #005eb8; }
    nav.periods li strong { background: #005eb8; color: #fff; border-color: #005eb8; }
    table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; }
    th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #d8dde0; }
    thead th { border-bottom: 2px solid #4c6272; }
    td.number { text-align: right; font-variant-numeric: tabular-nums; }
    ul.status-counts { list-style: none; display: flex; gap: 1rem; padding: 0; }
    .status { display: inline-block; padding: .1rem .5rem; border-radius: 3px; font-weight: 600; }
    .on-time { color: #00703c; } .status.on-time { background: #d5f0e0; }
    .late { color: #8a4f00; } .status.late { background: #ffeccc; }
    .incomplete { color: #6b3a96; } .status.incomplete { background: #eadcf5; }
    .awaited { color: #4c6272; } .status.awaited { background: #e8edee; }
    .missing { color: #b10e1e; } .status.missing { background: #f8d7da; }
    footer { margin-top: 2rem; color: #4c6272; font-size: .9rem; }
    """
}
