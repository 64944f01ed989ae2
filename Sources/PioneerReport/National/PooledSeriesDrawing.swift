// The pooled national series of one indicator as an XmR chart in SVG: points coloured by
// their Making Data Count label, the centre line and process limits of each phase (a new
// phase where the definition changed), and a cross on the axis for a period not pooled.
// Too few points for limits: the points alone and a note, never limits from too little.
import PioneerAggregate
import PioneerGoals
import PioneerKit

struct PooledSeriesDrawing {
    let series: PooledSeries
    let id: String

    static let width = 720.0
    static let height = 300.0
    static let plotLeft = 78.0
    static let plotRight = width - 24
    static let plotTop = 20.0
    static let plotBottom = height - 58

    /// A point of the series with its period read back.
    struct Plotted {
        var period: Period
        var point: PooledPoint
    }

    var plotted: [Plotted] {
        series.points.compactMap { point in (try? Period(parsing: point.period)).map { Plotted(period: $0, point: point) } }
    }

    /// The SVG, or nil when no period has a pooled value.
    func svg() -> String? {
        let e = HTMLText.escape
        let all = plotted
        let valued = all.filter { $0.point.value != nil }
        guard !valued.isEmpty, let first = all.map(\.period).min(), let last = all.map(\.period).max() else { return nil }
        let xScale = ChartScale(domain: Double(first.index)...Double(max(last.index, first.index + 1)),
                                range: (Self.plotLeft + 14)...(Self.plotRight - 14), inverted: false)
        var values: [Double] = []
        for item in valued {
            if let value = item.point.value { values.append(value) }
            if let spc = item.point.spc { values += [spc.mean, spc.lowerLimit, spc.upperLimit] }
        }
        let (domain, ticks) = ChartScale.niceDomain(covering: values)
        let yScale = ChartScale(domain: domain, range: Self.plotTop...Self.plotBottom, inverted: true)
        func x(_ period: Period) -> Double { xScale.position(Double(period.index)) }
        func y(_ value: Double) -> Double { yScale.position(value) }

        let name = series.name.isEmpty ? series.indicator : series.name
        var description = "National value of \(name) by \(series.periodType), \(first.label) to \(last.label): \(valued.count) pooled value\(valued.count == 1 ? "" : "s")"
        if let latest = valued.last, let value = latest.point.value {
            description += ", latest \(NationalNumbers.value(series, value)) in \(latest.period.label)"
        }
        description += series.variation.map { ". SPC: \($0.words)." } ?? ". " + (series.spcUnavailable ?? "no SPC limits").capitalisedFirst + "."

        var svg = """
        <svg class="spc-chart pooled-series" role="img" aria-labelledby="\(id)-title \(id)-desc" viewBox="0 0 \(Self.width.svg) \(Self.height.svg)" \
        width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg" \
        data-indicator="\(e(series.indicator))" data-points="\(valued.count)" data-limits="\(valued.first?.point.spc == nil ? "none" : "xmr")">
        <title id="\(id)-title">\(e("National \(name) over time (SPC chart)"))</title>
        <desc id="\(id)-desc">\(e(description))</desc>
        <rect class="plot-area" x="\(Self.plotLeft.svg)" y="\(Self.plotTop.svg)" width="\((Self.plotRight - Self.plotLeft).svg)" \
        height="\((Self.plotBottom - Self.plotTop).svg)" fill="#ffffff" stroke="#d0d0d0"/>

        """
        // The y axis, in the indicator's format, with enough decimals for the tick step.
        let labels = AxisLabels(ticks: ticks, valueType: series.valueType, decimals: series.decimals)
        svg += "<g class=\"y-axis\" font-size=\"11\" fill=\"#333333\">\n"
        for tick in ticks {
            svg += "<line x1=\"\(Self.plotLeft.svg)\" y1=\"\(y(tick).svg)\" x2=\"\(Self.plotRight.svg)\" y2=\"\(y(tick).svg)\" stroke=\"#ececec\"/>"
            svg += "<text class=\"tick\" x=\"\((Self.plotLeft - 6).svg)\" y=\"\((y(tick) + 4).svg)\" text-anchor=\"end\">\(e(labels.label(tick)))</text>\n"
        }
        var unit = series.unit.isEmpty ? name : series.unit
        if unit.count > 36 { unit = String(unit.prefix(35)) + "…" }
        svg += "<text class=\"axis-title\" transform=\"translate(14 \(((Self.plotTop + Self.plotBottom) / 2).svg)) rotate(-90)\" text-anchor=\"middle\">\(e(unit))</text>\n</g>\n"

        // The x axis: every period, labelled as often as the labels fit.
        let periods = first.through(last)
        let longest = periods.map(\.label.count).max() ?? 7
        let fits = max(2, Int((Self.plotRight - Self.plotLeft) / (Double(longest) * 6.6 + 14)))
        let every = max(1, (periods.count + fits - 1) / fits)
        svg += "<g class=\"x-axis\" font-size=\"11\" fill=\"#333333\">\n"
        for (offset, period) in periods.enumerated() {
            svg += "<line x1=\"\(x(period).svg)\" y1=\"\(Self.plotBottom.svg)\" x2=\"\(x(period).svg)\" y2=\"\((Self.plotBottom + (offset % every == 0 ? 5 : 3)).svg)\" stroke=\"#999999\"/>"
            if offset % every == 0 {
                svg += "<text class=\"tick\" x=\"\(x(period).svg)\" y=\"\((Self.plotBottom + 18).svg)\" text-anchor=\"middle\">\(e(period.label))</text>"
            }
            svg += "\n"
        }
        let typeName = PeriodType(rawValue: series.periodType)?.displayName ?? series.periodType
        svg += "<text class=\"axis-title\" x=\"\(((Self.plotLeft + Self.plotRight) / 2).svg)\" y=\"\((Self.height - 10).svg)\" text-anchor=\"middle\">\(e(typeName))</text>\n</g>\n"

        // Limits and centre line per phase, reaching half a period either side.
        var phases: [Int: [Plotted]] = [:]
        for item in valued { if let spc = item.point.spc { phases[spc.phase, default: []].append(item) } }
        if !phases.isEmpty {
            let half = (x(first.next) - x(first)) / 2
            svg += "<g class=\"limits\" fill=\"none\">\n"
            for (phase, members) in phases.sorted(by: { $0.key < $1.key }) {
                func line(_ value: KeyPath<PooledPointSPC, Double>, _ attributes: String) -> String {
                    var coordinates: [(Double, Double)] = []
                    for (offset, item) in members.enumerated() {
                        guard let spc = item.point.spc else { continue }
                        let px = x(item.period), py = y(spc[keyPath: value])
                        if offset == 0 { coordinates.append((px - half, py)) }
                        coordinates.append((px, py))
                        if offset == members.count - 1 { coordinates.append((px + half, py)) }
                    }
                    let d = coordinates.enumerated().map { "\($0.offset == 0 ? "M" : "L")\($0.element.0.svg) \($0.element.1.svg)" }.joined(separator: " ")
                    return "<path \(attributes) data-phase=\"\(phase)\" d=\"\(d)\"/>\n"
                }
                svg += line(\.upperLimit, "class=\"limit upper\" stroke=\"\(MDCPalette.limits)\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"")
                svg += line(\.lowerLimit, "class=\"limit lower\" stroke=\"\(MDCPalette.limits)\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"")
                svg += line(\.mean, "class=\"centre\" stroke=\"\(MDCPalette.meanLine)\" stroke-width=\"1.2\"")
            }
            svg += "</g>\n"
        }
        for change in series.definitionChanges {
            guard let period = try? Period(parsing: change) else { continue }
            let px = x(period) - (x(first.next) - x(first)) / 2
            svg += """
            <g class="rebase" data-period="\(e(change))"><title>\(e("The definition changed in \(change): limits start again"))</title>\
            <line x1="\(px.svg)" y1="\(Self.plotTop.svg)" x2="\(px.svg)" y2="\(Self.plotBottom.svg)" stroke="\(MDCPalette.annotation)" stroke-width="1.5"/>\
            <text x="\((px + 3).svg)" y="\((Self.plotBottom - 4).svg)" font-size="10" fill="\(MDCPalette.annotation)">definition changed</text></g>

            """
        }
        // Periods without a pooled value: a cross on the axis, with the reason.
        for item in all where item.point.value == nil {
            let px = x(item.period), py = Self.plotBottom - 6
            svg += """
            <g class="missing" data-period="\(e(item.period.label))"><title>\(e("\(item.period.label): no national value (\(item.point.notPooled ?? "not pooled"))"))</title>\
            <path d="M\((px - 3).svg) \((py - 3).svg) L\((px + 3).svg) \((py + 3).svg) M\((px - 3).svg) \((py + 3).svg) L\((px + 3).svg) \((py - 3).svg)" stroke="#777777" stroke-width="1.5"/></g>

            """
        }
        let line = valued.compactMap { item in item.point.value.map { "\(x(item.period).svg),\(y($0).svg)" } }.joined(separator: " ")
        svg += "<polyline class=\"value-line\" points=\"\(line)\" fill=\"none\" stroke=\"\(MDCPalette.valueLine)\" stroke-width=\"1.5\"/>\n<g class=\"points\">\n"
        for item in valued {
            guard let value = item.point.value else { continue }
            // A value left out of the SPC (pooled over other sites) is drawn hollow.
            let leftOut = item.point.leftOutOfSPC != nil
            let type = item.point.spc?.pointType.rawValue ?? (leftOut ? "left-out" : "unjudged")
            let fill = item.point.spc.map { MDCPalette.colour(of: $0.pointType) } ?? (leftOut ? "#ffffff" : MDCPalette.commonCause)
            let stroke = leftOut ? "#777777" : "#ffffff"
            var words = "\(item.period.label): \(NationalNumbers.value(series, value)), \(item.point.sitesPooled) of \(item.point.sitesReporting) sites"
            if item.point.source == .subPeriod { words += " (from the longer returns)" }
            if let spc = item.point.spc {
                words += ", \(spc.pointType.words)"
                if let rule = spc.specialCause { words += " (\(rule.words))" }
            } else if let reason = item.point.leftOutOfSPC {
                words += "; left out of the SPC: \(reason)"
            }
            svg += """
            <circle class="point \(type)" data-period="\(e(item.period.label))" data-value="\(value)" cx="\(x(item.period).svg)" cy="\(y(value).svg)" \
            r="4.5" fill="\(fill)" stroke="\(stroke)" stroke-width="\(leftOut ? "1.5" : "1")"><title>\(e(words))</title></circle>

            """
        }
        svg += "</g>\n"
        if !valued.contains(where: { $0.point.spc != nil }) {
            svg += """
            <text class="no-limits" x="\(((Self.plotLeft + Self.plotRight) / 2).svg)" y="\((Self.plotTop + 16).svg)" text-anchor="middle" \
            font-size="13" fill="#333333">\(e((series.spcUnavailable ?? "no SPC limits").capitalisedFirst))</text>

            """
        }
        return svg + "</svg>"
    }
}

extension String {
    /// The text with its first letter a capital, for a reason that starts a sentence.
    var capitalisedFirst: String {
        guard let first else { return self }
        return first.uppercased() + dropFirst()
    }
}
