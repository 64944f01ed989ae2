// One indicator's part of the national report: the pooled value and how it was formed,
// the funnel plot (or why there is none) with its overdispersion stated, the sites outside
// named, the site table with intervals, and the SPC chart of the pooled series.
import Foundation
import PioneerAggregate
import PioneerExtraction
import PioneerGoals
import PioneerKit

struct IndicatorSection {
    let indicator: IndicatorAggregate
    let series: PooledSeries?
    let history: NationalHistory?
    let period: String
    let id: String

    func html() -> String {
        let e = HTMLText.escape
        let name = indicator.name.isEmpty ? indicator.id : indicator.name
        var out = "<article class=\"indicator\" id=\"\(id)\" data-indicator=\"\(e(indicator.id))\">\n"
        out += "<h3>\(e(name)) <code>\(e(indicator.id))</code></h3>\n"
        out += "<p class=\"indicator-facts\">\(e(indicator.valueType))\(indicator.unit.isEmpty ? "" : ", " + e(indicator.unit)) · better when \(e(indicator.better))</p>\n"
        out += pooled()
        out += funnelFigure()
        out += siteTable()
        if let series {
            out += Self.seriesFigure(series, id: "\(id)-spc")
        } else {
            let reason = history == nil ? "the history was not read (`pioneer aggregate --format html` reads it; `--format json --history` gives it as data)" : "no pooled value of this indicator in the periods read"
            out += "<p class=\"no-chart\">No SPC chart of the national value: \(e(reason)).</p>\n"
        }
        return out + "</article>\n"
    }

    private func pooled() -> String {
        let e = HTMLText.escape
        var facts: [(String, String)] = []
        if let pooled = indicator.pooled, let value = pooled.value {
            facts.append(("National value", NationalNumbers.value(indicator, value)))
            switch pooled.method {
            case .ratioOfSums:
                let parts = [pooled.numerator, pooled.denominator].compactMap { $0.map(NationalNumbers.part) }
                let scale = indicator.valueType == "rate" ? " × \(indicator.factor.map(String.init) ?? "1")" : ""
                facts.append(("Method", "ratio of sums: Σ numerators ÷ Σ denominators\(scale)\(parts.count == 2 ? " (\(parts[0]) ÷ \(parts[1]))" : "")"))
            case .total:
                facts.append(("Method", "total: the sites' values added up"))
            }
            facts.append(("Sites pooled", "\(pooled.sites.count) of \(indicator.sites.count)"))
        } else {
            facts.append(("National value", indicator.notPooled ?? "not pooled"))
        }
        if let spread = indicator.pooled?.spread {
            let v = { (x: Double) in NationalNumbers.value(indicator, x) }
            facts.append(("Spread of the sites' values", "\(v(spread.minimum)) to \(v(spread.maximum)); middle half \(v(spread.lowerQuartile)) to \(v(spread.upperQuartile)), median \(v(spread.median))"))
        }
        if indicator.definitions.count > 1 {
            facts.append(("Definitions", indicator.definitions.map { "\($0.version): \($0.sites.joined(separator: ", "))" }.joined(separator: "; ")))
        }
        var out = "<table class=\"facts\"><tbody>\n"
        for (label, value) in facts {
            out += "<tr><th scope=\"row\">\(e(label))</th><td>\(e(value))</td></tr>\n"
        }
        out += "</tbody></table>\n"
        for left in indicator.pooled?.leftOut ?? [] {
            out += "<p class=\"left-out\">Left out of the national value: \(e(left.site)), \(e(left.reason)).</p>\n"
        }
        return out
    }

    private func funnelFigure() -> String {
        let e = HTMLText.escape
        guard let funnel = indicator.funnel else {
            return "<p class=\"no-chart funnel-unavailable\">\(e((indicator.funnelUnavailable ?? "no funnel plot").capitalisedFirst)).</p>\n"
        }
        let scaledTau2 = funnel.tau2 * funnel.scale * funnel.scale
        let dispersion: String
        if funnel.isAdjusted {
            let how = funnel.options.overdispersion == .multiplicative
                ? "multiplied by φ"
                : "widened by a between-site variance τ² (additive random effects)"
            dispersion = "The sites vary more than chance alone would make them (φ = \(NationalNumbers.statistic(funnel.phi)), τ² = \(NationalNumbers.statistic(scaledTau2))): the limits are adjusted, \(how)."
        } else if funnel.options.overdispersion == .none {
            dispersion = "φ = \(NationalNumbers.statistic(funnel.phi)), τ² = \(NationalNumbers.statistic(scaledTau2)); not adjusted (overdispersion adjustment turned off)."
        } else {
            dispersion = "φ = \(NationalNumbers.statistic(funnel.phi)), τ² = \(NationalNumbers.statistic(scaledTau2)); not adjusted: the sites vary no more than chance would make them."
        }
        var out = "<figure class=\"chart funnel\">\n" + FunnelDrawing(indicator: indicator, funnel: funnel, id: "\(id)-funnel").svg() + "\n"
        out += "<figcaption class=\"chart-summary\"><p>\(funnel.distribution == .binomial ? "Binomial" : "Poisson") limits around the national value \(e(NationalNumbers.value(indicator, funnel.pooledValue))). \(e(dispersion))</p>\n"
        if funnel.outside.isEmpty {
            out += "<p class=\"outside-sites\">Every site is inside the 95% limits.</p>"
        } else {
            out += "<p class=\"outside-sites\">Outside the limits (named, not ranked): "
            out += funnel.outside.map { "<strong>\(e($0.site))</strong> (\(e($0.position.phrase)))" }.joined(separator: ", ") + ".</p>"
        }
        for left in funnel.leftOut {
            out += "<p class=\"left-out\">Not on the plot: \(e(left.site)), \(e(left.reason)).</p>"
        }
        return out + "</figcaption></figure>\n"
    }

    private func siteTable() -> String {
        let e = HTMLText.escape
        var out = "<table class=\"sites\"><caption>Each site's figure for \(e(period)), in the programme's order</caption><thead><tr><th scope=\"col\">Site</th><th scope=\"col\">Value</th><th scope=\"col\">Interval</th><th scope=\"col\">Numerator</th><th scope=\"col\">Denominator</th><th scope=\"col\">On the funnel plot</th></tr></thead><tbody>\n"
        for site in indicator.sites {
            let interval = site.lower.flatMap { lower in site.upper.map { "\(NationalNumbers.value(indicator, lower)) to \(NationalNumbers.value(indicator, $0))" } } ?? "—"
            let value = site.value.map { NationalNumbers.value(indicator, $0) } ?? "not available (\(site.notAvailable ?? "no value"))"
            let position = site.position?.phrase ?? "—"
            out += "<tr data-site=\"\(e(site.site))\"\(site.position?.isOutside == true ? " class=\"outside\"" : "")><th scope=\"row\">\(e(site.site))</th><td class=\"number\">\(e(value))</td><td>\(e(interval))</td>"
            out += "<td class=\"number\">\(e(site.numerator.map(NationalNumbers.part) ?? ""))</td><td class=\"number\">\(e(site.denominator.map(NationalNumbers.part) ?? ""))</td><td>\(e(position))</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    /// The SPC chart of a pooled series, its verdict beside the Making Data Count icon, and its figures.
    static func seriesFigure(_ series: PooledSeries, id: String) -> String {
        let e = HTMLText.escape
        guard let svg = PooledSeriesDrawing(series: series, id: id).svg() else {
            return "<p class=\"no-chart\">No SPC chart of the national value: no period read has a pooled value.</p>\n"
        }
        let better = Direction(rawValue: series.better) ?? .neutral
        var out = "<figure class=\"chart national-series\">\n<div class=\"series-head\">"
        if let variation = series.variation {
            out += "<div class=\"icons\">" + MDCIcon.variation(variation, better: better, id: "\(id)-icon") + "</div>"
            out += "<p class=\"verdict\">National value over time: <strong>\(e(variation.words))</strong> in the latest period.</p>"
        } else {
            out += "<p class=\"verdict\">National value over time: \(e((series.spcUnavailable ?? "no SPC limits").capitalisedFirst)).</p>"
        }
        out += "</div>\n" + svg + "\n"
        if !series.definitionChanges.isEmpty {
            out += "<figcaption class=\"chart-summary\">The definition changed in \(e(series.definitionChanges.joined(separator: ", "))): the limits start again there.</figcaption>\n"
        }
        let leftOut = series.points.filter { $0.leftOutOfSPC != nil && $0.value != nil }
        if !leftOut.isEmpty {
            let listed = leftOut.map { "\($0.period) (\($0.leftOutOfSPC ?? ""))" }.joined(separator: ", ")
            out += "<figcaption class=\"chart-summary left-out\">Drawn hollow and left out of the limits, since a change in which sites are pooled is no change in care: \(e(listed)).</figcaption>\n"
        }
        out += "<details class=\"chart-data\"><summary>The pooled values</summary><table class=\"series\"><thead><tr><th scope=\"col\">Period</th><th scope=\"col\">National value</th><th scope=\"col\">Numerator</th><th scope=\"col\">Denominator</th><th scope=\"col\">Sites pooled</th><th scope=\"col\">From</th><th scope=\"col\">SPC</th></tr></thead><tbody>\n"
        for point in series.points {
            let value = point.value.map { NationalNumbers.value(series, $0) } ?? "— (\(point.notPooled ?? "not pooled"))"
            out += "<tr><th scope=\"row\">\(e(point.period))</th><td class=\"number\">\(e(value))</td><td class=\"number\">\(e(point.numerator.map(NationalNumbers.part) ?? ""))</td><td class=\"number\">\(e(point.denominator.map(NationalNumbers.part) ?? ""))</td>"
            out += "<td>\(point.sitesPooled) of \(point.sitesReporting)</td><td>\(point.source == .returns ? "the period's returns" : "months or quarters inside longer returns")</td><td>\(e(point.spc?.pointType.words ?? point.leftOutOfSPC.map { "left out: \($0)" } ?? "—"))</td></tr>\n"
        }
        return out + "</tbody></table></details>\n</figure>\n"
    }
}
