// One indicator's funnel plot as an inline SVG: each site a point at its denominator and
// value, the national value as the centre line, the 95% and 99.8% limit curves from the
// plot's own `limits(at:)` (so they are the limits the sites were judged against, widened
// when the plot is adjusted for overdispersion), and the sites outside named beside their
// points. Never ranked: the points are not numbered or sorted by value.
import Foundation
import PioneerAggregate
import PioneerExtraction

struct FunnelDrawing {
    let indicator: IndicatorAggregate
    let funnel: FunnelPlot
    /// Unique within the page: the prefix of the plot's element ids.
    let id: String

    static let width = 720.0
    static let height = 340.0
    static let plotLeft = 78.0
    static let plotRight = width - 24
    /// Room above the plot for the key.
    static let plotTop = 36.0
    static let plotBottom = height - 50
    /// Points along each limit curve: enough that the steep end reads as a curve.
    static let curveSteps = 120

    static let limit95Colour = "#768692"
    static let limit998Colour = "#425563"
    static let centreColour = "#000000"
    static let insideColour = "#005eb8"
    static let alertColour = "#ffb81c"
    static let alarmColour = "#d5281b"

    /// The denominators the curves are drawn at: from a small share of the axis to its end,
    /// spaced geometrically, since the limits change fastest at small denominators.
    static func curveDenominators(upTo high: Double) -> [Double] {
        guard high > 0 else { return [] }
        let low = high / 400
        return (0...curveSteps).map { step in low * pow(high / low, Double(step) / Double(curveSteps)) }
    }

    /// The value domain: the points, the centre and the 99.8% limits at the smallest site,
    /// kept inside what the measure can take (a proportion 0–100%, a rate from 0).
    func valueDomain() -> (domain: ClosedRange<Double>, ticks: [Double]) {
        var values = funnel.points.map(\.value) + [funnel.pooledValue]
        if let smallest = funnel.points.map(\.denominator).min() {
            let limits = funnel.limits(at: smallest)
            values += [limits.lower998, limits.upper998]
        }
        var (domain, ticks) = ChartScale.niceDomain(covering: values)
        var low = domain.lowerBound, high = domain.upperBound
        if low < 0 { low = 0 }
        if funnel.distribution == .binomial, high > funnel.scale { high = funnel.scale }
        ticks = ticks.filter { $0 >= low - 1e-12 && $0 <= high + 1e-12 }
        domain = low...max(high, low + 1e-9)
        return (domain, ticks)
    }

    func svg() -> String {
        let e = HTMLText.escape
        let maxDenominator = funnel.points.map(\.denominator).max() ?? 1
        let (xDomain, xTicks) = ChartScale.niceDomain(covering: [0, maxDenominator * 1.05])
        let xScale = ChartScale(domain: 0...xDomain.upperBound, range: (Self.plotLeft + 8)...(Self.plotRight - 8), inverted: false)
        let (yDomain, yTicks) = valueDomain()
        let yScale = ChartScale(domain: yDomain, range: Self.plotTop...Self.plotBottom, inverted: true)
        let name = indicator.name.isEmpty ? indicator.id : indicator.name
        let outside = funnel.outside
        var description = "\(funnel.points.count) sites by \(funnel.distribution == .binomial ? "denominator" : "population"), around the national value \(NationalNumbers.value(indicator, funnel.pooledValue)), with 95% and 99.8% limits (\(funnel.distribution.rawValue))"
        description += funnel.isAdjusted ? ", widened for overdispersion. " : ". "
        description += outside.isEmpty ? "Every site is inside the 95% limits."
            : "Outside: " + outside.map { "\($0.site) (\($0.position.phrase))" }.joined(separator: ", ") + "."

        var svg = """
        <svg class="funnel-plot" role="img" aria-labelledby="\(id)-title \(id)-desc" viewBox="0 0 \(Self.width.svg) \(Self.height.svg)" \
        width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg" \
        data-indicator="\(e(indicator.id))" data-points="\(funnel.points.count)" data-centre="\(funnel.pooledValue)" \
        data-x-high="\(xDomain.upperBound)" data-y-low="\(yDomain.lowerBound)" data-y-high="\(yDomain.upperBound)" \
        data-plot-left="\((Self.plotLeft + 8).svg)" data-plot-right="\((Self.plotRight - 8).svg)" \
        data-plot-top="\(Self.plotTop.svg)" data-plot-bottom="\(Self.plotBottom.svg)">
        <title id="\(id)-title">\(e("Funnel plot: \(name)"))</title>
        <desc id="\(id)-desc">\(e(description))</desc>
        <defs><clipPath id="\(id)-clip"><rect x="\(Self.plotLeft.svg)" y="\(Self.plotTop.svg)" width="\((Self.plotRight - Self.plotLeft).svg)" height="\((Self.plotBottom - Self.plotTop).svg)"/></clipPath></defs>
        <rect class="plot-area" x="\(Self.plotLeft.svg)" y="\(Self.plotTop.svg)" width="\((Self.plotRight - Self.plotLeft).svg)" \
        height="\((Self.plotBottom - Self.plotTop).svg)" fill="#ffffff" stroke="#d0d0d0"/>

        """
        svg += key()
        svg += yAxis(ticks: yTicks, scale: yScale)
        svg += xAxis(ticks: xTicks.filter { $0 <= xDomain.upperBound }, scale: xScale)
        svg += limitCurves(xScale: xScale, yScale: yScale, upTo: xDomain.upperBound)
        let centreY = yScale.position(funnel.pooledValue)
        svg += """
        <line class="centre" data-value="\(funnel.pooledValue)" x1="\(Self.plotLeft.svg)" y1="\(centreY.svg)" x2="\(Self.plotRight.svg)" y2="\(centreY.svg)" \
        stroke="\(Self.centreColour)" stroke-width="1.5"><title>\(e("National value \(NationalNumbers.value(indicator, funnel.pooledValue))"))</title></line>

        """
        svg += points(xScale: xScale, yScale: yScale)
        return svg + "</svg>"
    }

    private func key() -> String {
        let y = 18.0
        var x = Self.plotLeft
        var out = "<g class=\"key\" font-size=\"11\" fill=\"#212b32\">"
        let entries: [(String, String, String)] = [
            ("national value", Self.centreColour, ""),
            ("95% limits", Self.limit95Colour, " stroke-dasharray=\"6 4\""),
            ("99.8% limits", Self.limit998Colour, ""),
        ]
        for (label, colour, dash) in entries {
            out += "<line x1=\"\(x.svg)\" y1=\"\(y.svg)\" x2=\"\((x + 24).svg)\" y2=\"\(y.svg)\" stroke=\"\(colour)\" stroke-width=\"1.5\"\(dash)/>"
            out += "<text x=\"\((x + 30).svg)\" y=\"\((y + 4).svg)\">\(label)</text>"
            x += 40 + Double(label.count) * 6.2
        }
        out += "<circle cx=\"\((x + 6).svg)\" cy=\"\(y.svg)\" r=\"4\" fill=\"\(Self.insideColour)\"/><text x=\"\((x + 14).svg)\" y=\"\((y + 4).svg)\">a site</text>"
        x += 70
        out += "<circle cx=\"\((x + 6).svg)\" cy=\"\(y.svg)\" r=\"5\" fill=\"\(Self.alarmColour)\" stroke=\"#212b32\" stroke-width=\"1.5\"/><text x=\"\((x + 14).svg)\" y=\"\((y + 4).svg)\">outside, named</text>"
        return out + "</g>\n"
    }

    private func yAxis(ticks: [Double], scale: ChartScale) -> String {
        let labels = AxisLabels(ticks: ticks, valueType: indicator.valueType, decimals: 0)
        var out = "<g class=\"y-axis\" font-size=\"11\" fill=\"#333333\">\n"
        for tick in ticks {
            let y = scale.position(tick)
            out += "<line x1=\"\(Self.plotLeft.svg)\" y1=\"\(y.svg)\" x2=\"\(Self.plotRight.svg)\" y2=\"\(y.svg)\" stroke=\"#ececec\"/>"
            out += "<text class=\"tick\" x=\"\((Self.plotLeft - 6).svg)\" y=\"\((y + 4).svg)\" text-anchor=\"end\">\(HTMLText.escape(labels.label(tick)))</text>\n"
        }
        var title = indicator.unit.isEmpty ? indicator.name : indicator.unit
        if title.count > 36 { title = String(title.prefix(35)) + "…" }
        out += "<text class=\"axis-title\" transform=\"translate(14 \(((Self.plotTop + Self.plotBottom) / 2).svg)) rotate(-90)\" text-anchor=\"middle\">\(HTMLText.escape(title))</text>\n"
        return out + "</g>\n"
    }

    private func xAxis(ticks: [Double], scale: ChartScale) -> String {
        var out = "<g class=\"x-axis\" font-size=\"11\" fill=\"#333333\">\n"
        for tick in ticks {
            let x = scale.position(tick)
            out += "<line x1=\"\(x.svg)\" y1=\"\(Self.plotBottom.svg)\" x2=\"\(x.svg)\" y2=\"\((Self.plotBottom + 5).svg)\" stroke=\"#999999\"/>"
            out += "<text class=\"tick\" x=\"\(x.svg)\" y=\"\((Self.plotBottom + 18).svg)\" text-anchor=\"middle\">\(formatNumber(tick, decimals: 0))</text>\n"
        }
        let title = funnel.distribution == .binomial ? "Denominator (people counted)" : "Denominator (population)"
        out += "<text class=\"axis-title\" x=\"\(((Self.plotLeft + Self.plotRight) / 2).svg)\" y=\"\((Self.height - 8).svg)\" text-anchor=\"middle\">\(title)</text>\n"
        return out + "</g>\n"
    }

    private func limitCurves(xScale: ChartScale, yScale: ChartScale, upTo high: Double) -> String {
        let denominators = Self.curveDenominators(upTo: high)
        let limits = denominators.map { funnel.limits(at: $0) }
        func path(_ value: KeyPath<FunnelLimits, Double>) -> String {
            zip(denominators, limits).enumerated().map { offset, pair in
                "\(offset == 0 ? "M" : "L")\(xScale.position(pair.0).svg) \(yScale.position(pair.1[keyPath: value]).svg)"
            }.joined(separator: " ")
        }
        let curves: [(String, String, KeyPath<FunnelLimits, Double>, String, String)] = [
            ("limit-95 upper", "upper 95% limit", \.upper95, Self.limit95Colour, " stroke-dasharray=\"6 4\""),
            ("limit-95 lower", "lower 95% limit", \.lower95, Self.limit95Colour, " stroke-dasharray=\"6 4\""),
            ("limit-998 upper", "upper 99.8% limit", \.upper998, Self.limit998Colour, ""),
            ("limit-998 lower", "lower 99.8% limit", \.lower998, Self.limit998Colour, ""),
        ]
        var out = "<g class=\"limits\" fill=\"none\" clip-path=\"url(#\(id)-clip)\">\n"
        for (classes, words, value, colour, dash) in curves {
            out += "<path class=\"limit \(classes)\" stroke=\"\(colour)\" stroke-width=\"1.5\"\(dash) d=\"\(path(value))\"><title>\(words)</title></path>\n"
        }
        return out + "</g>\n"
    }

    private func points(xScale: ChartScale, yScale: ChartScale) -> String {
        let e = HTMLText.escape
        var out = "<g class=\"sites\">\n"
        var labels = ""
        for point in funnel.points {
            let x = xScale.position(point.denominator), y = yScale.position(point.value)
            let outside = point.position.isOutside
            let alarm = point.position == .above998 || point.position == .below998
            let fill = outside ? (alarm ? Self.alarmColour : Self.alertColour) : Self.insideColour
            let words = "\(point.site): \(NationalNumbers.value(indicator, point.value)) of \(NationalNumbers.part(point.denominator)), \(point.position.phrase)"
            let position = point.position.rawValue.replacingOccurrences(of: " ", with: "-").replacingOccurrences(of: "%", with: "").replacingOccurrences(of: ".", with: "")
            out += """
            <circle class="site \(outside ? "outside" : "inside") \(position)" data-site="\(e(point.site))" data-denominator="\(point.denominator)" \
            data-value="\(point.value)" cx="\(x.svg)" cy="\(y.svg)" r="\(outside ? "5" : "4")" fill="\(fill)" \
            stroke="\(outside ? "#212b32" : "#ffffff")" stroke-width="\(outside ? "1.5" : "1")"><title>\(e(words))</title></circle>

            """
            if outside {
                let anchor = x > (Self.plotLeft + Self.plotRight) * 0.7 ? "end" : "start"
                let labelX = anchor == "start" ? x + 8 : x - 8
                labels += "<text class=\"outside-label\" data-site=\"\(e(point.site))\" x=\"\(labelX.svg)\" y=\"\((y + 4).svg)\" text-anchor=\"\(anchor)\" font-size=\"11\" fill=\"#212b32\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">\(e(point.site))</text>\n"
            }
        }
        return out + labels + "</g>\n"
    }
}
