// One goal's XmR chart as an inline SVG: the points coloured by their SPC label, the process
// limits and centre line of each phase, the target and the trajectory, rebase and event markers,
// and axes in the indicator's own format. Too few points for limits: the points alone, with a
// note saying how many more are needed, never limits computed from too little.
import Foundation
import PioneerCore
import PioneerExtraction
import PioneerGoals
import PioneerKit

struct ChartDrawing {
    let progress: GoalProgress
    /// Unique within the page: the prefix of the chart's element ids.
    let id: String

    static let width = 720.0
    static let height = 320.0
    static let plotLeft = 78.0
    static let plotRight = width - 24
    /// Room above the plot for event labels.
    static let plotTop = 40.0
    static let plotBottom = height - 58

    /// A point on the chart: its period, value and, when limits exist, its SPC point.
    struct Plotted {
        var period: Period
        var value: Double
        var spc: SPCPoint?
    }

    var definition: IndicatorDefinition { progress.definition }
    var goal: Goal { progress.assessment.goal }

    /// The points drawn: the SPC chart's, or the available values when there are too few for limits.
    var plotted: [Plotted] {
        switch progress.spc {
        case .chart(let chart):
            return zip(chart.points, progress.spcPeriods).map { Plotted(period: $1, value: $0.value, spc: $0) }
        case .notEnoughPoints:
            return progress.series.compactMap { point in
                guard point.observation.isAvailable, let value = point.observation.value else { return nil }
                return Plotted(period: point.period, value: value, spc: nil)
            }
        }
    }

    /// Stored periods without a value, marked on the axis: missing is not zero.
    var missing: [SeriesPoint] {
        progress.series.filter { !$0.observation.isAvailable }
    }

    /// The goal's baseline, milestones and target, when they are periods of the indicator's type.
    var trajectory: [PeriodValue] {
        var points = [goal.baseline]
        if case .milestones(let milestones) = goal.trajectory {
            points += milestones.filter { $0.period > goal.baseline.period && $0.period < goal.target.period }
                .sorted { $0.period < $1.period }
        }
        points.append(goal.target)
        return points.filter { $0.period.type == definition.periodType }
    }

    /// The SVG, or nil when there is nothing at all to plot.
    func svg() -> String? {
        let plotted = plotted
        guard !plotted.isEmpty else { return nil }
        let periods = plotted.map(\.period) + missing.map(\.period) + trajectory.map(\.period)
        let sameType = periods.filter { $0.type == definition.periodType }
        guard let first = sameType.min(), let last = sameType.max() else { return nil }
        let xScale = ChartScale(domain: Double(first.index)...Double(max(last.index, first.index + 1)),
                                range: (Self.plotLeft + 14)...(Self.plotRight - 14), inverted: false)
        var values = plotted.map(\.value) + trajectory.map(\.value)
        for point in plotted {
            if let spc = point.spc { values += [spc.mean, spc.lowerLimit, spc.upperLimit] }
        }
        let (domain, ticks) = ChartScale.niceDomain(covering: values)
        let yScale = ChartScale(domain: domain, range: Self.plotTop...Self.plotBottom, inverted: true)
        let frame = Frame(xScale: xScale, yScale: yScale, first: first, last: last)

        let summary = ChartSummary(progress: progress)
        var svg = """
        <svg class="spc-chart" role="img" aria-labelledby="\(id)-title \(id)-desc" viewBox="0 0 \(Self.width.svg) \(Self.height.svg)" \
        width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg" \
        data-points="\(plotted.count)" data-limits="\(plotted.first?.spc == nil ? "none" : "xmr")">
        <title id="\(id)-title">\(HTMLText.escape(summary.title))</title>
        <desc id="\(id)-desc">\(HTMLText.escape(summary.description))</desc>
        <rect class="plot-area" x="\(Self.plotLeft.svg)" y="\(Self.plotTop.svg)" width="\((Self.plotRight - Self.plotLeft).svg)" \
        height="\((Self.plotBottom - Self.plotTop).svg)" fill="#ffffff" stroke="#d0d0d0"/>

        """
        svg += yAxis(ticks: ticks, frame: frame)
        svg += xAxis(frame: frame)
        svg += phaseLines(plotted: plotted, frame: frame)
        svg += rebaseMarkers(plotted: plotted, frame: frame)
        svg += eventMarkers(frame: frame)
        svg += targetLine(frame: frame)
        svg += trajectoryLine(frame: frame)
        svg += missingMarks(frame: frame)
        svg += valueLine(plotted: plotted, frame: frame)
        svg += pointMarks(plotted: plotted, frame: frame)
        if case .notEnoughPoints(let have, let need) = progress.spc {
            svg += """
            <text class="no-limits" x="\(((Self.plotLeft + Self.plotRight) / 2).svg)" y="\((Self.plotTop + 16).svg)" text-anchor="middle" \
            font-size="13" fill="#333333">Not enough points for SPC limits (have \(have), need \(need))</text>

            """
        }
        svg += "</svg>"
        return svg
    }

    /// The scales and the period range of one chart.
    struct Frame {
        var xScale: ChartScale
        var yScale: ChartScale
        var first: Period
        var last: Period

        func x(_ period: Period) -> Double { xScale.position(Double(period.index)) }
        func y(_ value: Double) -> Double { yScale.position(value) }
        /// One period's width in pixels.
        var step: Double { x(first.next) - x(first) }
        func contains(_ period: Period) -> Bool { period.type == first.type && period >= first && period <= last }
    }

    // MARK: Axes

    private func yAxis(ticks: [Double], frame: Frame) -> String {
        let labels = AxisLabels(ticks: ticks, valueType: definition.valueType.rawValue, decimals: definition.decimals)
        var out = "<g class=\"y-axis\" font-size=\"11\" fill=\"#333333\">\n"
        for tick in ticks {
            let y = frame.y(tick)
            out += "<line x1=\"\(Self.plotLeft.svg)\" y1=\"\(y.svg)\" x2=\"\(Self.plotRight.svg)\" y2=\"\(y.svg)\" stroke=\"#ececec\"/>"
            out += "<text class=\"tick\" x=\"\((Self.plotLeft - 6).svg)\" y=\"\((y + 4).svg)\" text-anchor=\"end\">\(HTMLText.escape(labels.label(tick)))</text>\n"
        }
        let middle = (Self.plotTop + Self.plotBottom) / 2
        // Rotated along the plot's height, which holds about 36 characters; the facts table gives the unit whole.
        var title = unitTitle
        if title.count > 36 { title = String(title.prefix(35)) + "…" }
        out += "<text class=\"axis-title\" transform=\"translate(14 \(middle.svg)) rotate(-90)\" text-anchor=\"middle\"><title>\(HTMLText.escape(unitTitle))</title>\(HTMLText.escape(title))</text>\n"
        return out + "</g>\n"
    }

    var unitTitle: String {
        definition.unit.isEmpty ? definition.name : definition.unit
    }

    private func xAxis(frame: Frame) -> String {
        let periods = frame.first.through(frame.last)
        let longest = periods.map(\.label.count).max() ?? 7
        let fits = max(2, Int((Self.plotRight - Self.plotLeft) / (Double(longest) * 6.6 + 14)))
        let every = max(1, (periods.count + fits - 1) / fits)
        var out = "<g class=\"x-axis\" font-size=\"11\" fill=\"#333333\">\n"
        for (offset, period) in periods.enumerated() {
            let x = frame.x(period)
            out += "<line x1=\"\(x.svg)\" y1=\"\(Self.plotBottom.svg)\" x2=\"\(x.svg)\" y2=\"\((Self.plotBottom + (offset % every == 0 ? 5 : 3)).svg)\" stroke=\"#999999\"/>"
            if offset % every == 0 {
                out += "<text class=\"tick\" x=\"\(x.svg)\" y=\"\((Self.plotBottom + 18).svg)\" text-anchor=\"middle\">\(HTMLText.escape(period.label))</text>"
            }
            out += "\n"
        }
        out += "<text class=\"axis-title\" x=\"\(((Self.plotLeft + Self.plotRight) / 2).svg)\" y=\"\((Self.height - 10).svg)\" text-anchor=\"middle\">\(HTMLText.escape(definition.periodType.displayName))</text>\n"
        return out + "</g>\n"
    }

    // MARK: Limits, phases and annotations

    /// Centre line and process limits, one set per phase, following the points (flat unless fixed limits change).
    private func phaseLines(plotted: [Plotted], frame: Frame) -> String {
        var phases: [Int: [Plotted]] = [:]
        for point in plotted where frame.contains(point.period) {
            if let spc = point.spc { phases[spc.phase, default: []].append(point) }
        }
        guard !phases.isEmpty else { return "" }
        var out = "<g class=\"limits\" fill=\"none\">\n"
        for (phase, members) in phases.sorted(by: { $0.key < $1.key }) {
            let points = members.sorted { $0.period < $1.period }
            // A phase of one point has a mean but no limits (as NHSRplotthedots gives NaN).
            guard points.allSatisfy({ $0.spc?.hasLimits ?? false }) else {
                out += line(points, frame: frame, value: \.mean, attributes: "class=\"centre\" data-phase=\"\(phase)\" stroke=\"\(MDCPalette.meanLine)\" stroke-width=\"1.2\"")
                continue
            }
            out += line(points, frame: frame, value: \.upperLimit, attributes: "class=\"limit upper\" data-phase=\"\(phase)\" stroke=\"\(MDCPalette.limits)\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"")
            out += line(points, frame: frame, value: \.lowerLimit, attributes: "class=\"limit lower\" data-phase=\"\(phase)\" stroke=\"\(MDCPalette.limits)\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"")
            out += line(points, frame: frame, value: \.mean, attributes: "class=\"centre\" data-phase=\"\(phase)\" stroke=\"\(MDCPalette.meanLine)\" stroke-width=\"1.2\"")
        }
        return out + "</g>\n"
    }

    /// A path through each point's limit or mean, reaching half a period either side of the phase.
    private func line(_ points: [Plotted], frame: Frame, value: KeyPath<SPCPoint, Double>, attributes: String) -> String {
        let half = frame.step / 2
        var coordinates: [(Double, Double)] = []
        for (offset, point) in points.enumerated() {
            guard let spc = point.spc else { continue }
            let x = frame.x(point.period), y = frame.y(spc[keyPath: value])
            if offset == 0 { coordinates.append((x - half, y)) }
            coordinates.append((x, y))
            if offset == points.count - 1 { coordinates.append((x + half, y)) }
        }
        let d = coordinates.enumerated().map { "\($0.offset == 0 ? "M" : "L")\($0.element.0.svg) \($0.element.1.svg)" }.joined(separator: " ")
        return "<path \(attributes) d=\"\(d)\"/>\n"
    }

    /// A vertical line where a new phase starts, halfway between its first point and the point before.
    private func rebaseMarkers(plotted: [Plotted], frame: Frame) -> String {
        var out = ""
        for (before, after) in zip(plotted, plotted.dropFirst()) {
            guard let a = before.spc, let b = after.spc, b.phase != a.phase else { continue }
            let x = (frame.x(before.period) + frame.x(after.period)) / 2
            out += """
            <g class="rebase" data-period="\(HTMLText.escape(after.period.label))"><title>Limits recalculated from \(HTMLText.escape(after.period.label)) (rebased)</title>\
            <line x1="\(x.svg)" y1="\(Self.plotTop.svg)" x2="\(x.svg)" y2="\(Self.plotBottom.svg)" stroke="\(MDCPalette.annotation)" stroke-width="1.5"/>\
            <text x="\((x + 3).svg)" y="\((Self.plotBottom - 4).svg)" font-size="10" fill="\(MDCPalette.annotation)">rebased</text></g>

            """
        }
        return out
    }

    /// The site's events inside the chart's range, labelled above the plot in staggered rows.
    private func eventMarkers(frame: Frame) -> String {
        var out = ""
        let events = progress.events.filter { frame.contains($0.period) }.sorted { $0.period < $1.period }
        for (row, event) in events.enumerated() {
            let x = frame.x(event.period)
            let labelY = 12 + Double(row % 3) * 11
            let anchor = x > (Self.plotLeft + Self.plotRight) / 2 ? "end" : "start"
            let label = HTMLText.escape("\(event.period.label): \(event.label)")
            out += """
            <g class="event" data-period="\(HTMLText.escape(event.period.label))"><title>\(label)</title>\
            <line x1="\(x.svg)" y1="\((labelY + 2).svg)" x2="\(x.svg)" y2="\(Self.plotBottom.svg)" stroke="\(MDCPalette.annotation)" stroke-width="1" stroke-dasharray="2 3"/>\
            <text x="\((x + (anchor == "start" ? 3 : -3)).svg)" y="\(labelY.svg)" text-anchor="\(anchor)" font-size="10" fill="\(MDCPalette.annotation)">\(label)</text></g>

            """
        }
        return out
    }

    private func targetLine(frame: Frame) -> String {
        let y = frame.y(goal.target.value)
        let label = HTMLText.escape("target \(definition.format(goal.target.value)) by \(goal.target.period.label)")
        return """
        <g class="target"><line x1="\(Self.plotLeft.svg)" y1="\(y.svg)" x2="\(Self.plotRight.svg)" y2="\(y.svg)" stroke="\(MDCPalette.target)" stroke-width="1.5" stroke-dasharray="8 3"/>\
        <text x="\((Self.plotRight - 4).svg)" y="\((y - 4).svg)" text-anchor="end" font-size="10" fill="\(MDCPalette.target)" \
        stroke="#ffffff" stroke-width="3" paint-order="stroke">\(label)</text></g>

        """
    }

    private func trajectoryLine(frame: Frame) -> String {
        let points = trajectory.filter { frame.contains($0.period) }
        guard points.count >= 2 else { return "" }
        let coordinates = points.map { "\(frame.x($0.period).svg),\(frame.y($0.value).svg)" }.joined(separator: " ")
        var out = "<g class=\"trajectory\"><title>Trajectory: \(HTMLText.escape(points.map { "\($0.period.label) \(definition.format($0.value))" }.joined(separator: ", ")))</title>"
        out += "<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"\(MDCPalette.trajectory)\" stroke-width=\"1.5\" stroke-dasharray=\"3 3\"/>"
        for point in points {
            let x = frame.x(point.period), y = frame.y(point.value)
            out += "<rect class=\"milestone\" x=\"\((x - 3).svg)\" y=\"\((y - 3).svg)\" width=\"6\" height=\"6\" fill=\"\(MDCPalette.trajectory)\" transform=\"rotate(45 \(x.svg) \(y.svg))\"/>"
        }
        return out + "</g>\n"
    }

    /// A small cross on the axis for each stored period without a value.
    private func missingMarks(frame: Frame) -> String {
        var out = ""
        for point in missing where frame.contains(point.period) {
            let x = frame.x(point.period), y = Self.plotBottom - 6
            let why = point.observation.notAvailable?.description ?? "no value"
            out += """
            <g class="missing" data-period="\(HTMLText.escape(point.period.label))"><title>\(HTMLText.escape("\(point.period.label): not available (\(why))"))</title>\
            <path d="M\((x - 3).svg) \((y - 3).svg) L\((x + 3).svg) \((y + 3).svg) M\((x - 3).svg) \((y + 3).svg) L\((x + 3).svg) \((y - 3).svg)" stroke="#777777" stroke-width="1.5"/></g>

            """
        }
        return out
    }

    private func valueLine(plotted: [Plotted], frame: Frame) -> String {
        let coordinates = plotted.filter { frame.contains($0.period) }
            .map { "\(frame.x($0.period).svg),\(frame.y($0.value).svg)" }.joined(separator: " ")
        return "<polyline class=\"value-line\" points=\"\(coordinates)\" fill=\"none\" stroke=\"\(MDCPalette.valueLine)\" stroke-width=\"1.5\"/>\n"
    }

    private func pointMarks(plotted: [Plotted], frame: Frame) -> String {
        var out = "<g class=\"points\">\n"
        for point in plotted where frame.contains(point.period) {
            let x = frame.x(point.period), y = frame.y(point.value)
            let type = point.spc?.pointType.rawValue ?? "unjudged"
            let fill = point.spc.map { MDCPalette.colour(of: $0.pointType) } ?? MDCPalette.commonCause
            var words = "\(point.period.label): \(definition.format(point.value))"
            if let spc = point.spc {
                words += ", \(spc.pointType.words)"
                if let rule = spc.specialCause { words += " (\(rule.words))" }
            }
            out += """
            <circle class="point \(type)" data-period="\(HTMLText.escape(point.period.label))" data-value="\(point.value)" \
            cx="\(x.svg)" cy="\(y.svg)" r="4.5" fill="\(fill)" stroke="#ffffff" stroke-width="1"><title>\(HTMLText.escape(words))</title></circle>

            """
        }
        return out + "</g>\n"
    }
}

extension Double {
    /// A coordinate with one decimal: SVG needs no more, and short numbers keep the file small.
    var svg: String {
        guard isFinite, abs(self) < 1e9 else { return "0" }
        let rounded = (self * 10).rounded() / 10
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(rounded)
    }
}
