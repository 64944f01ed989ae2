// What `pioneer progress SITE --indicator ID` prints: one indicator's series, each period with
// its value, the SPC centre line and limits, and the label Making Data Count gives it.
import Foundation
import PioneerCollect
import PioneerCore
import PioneerExtraction
import PioneerGoals
import PioneerKit

struct IndicatorSeriesListing {
    var site: Site
    var spec: IndicatorSpec
    var goal: Goal?
    var series: [SeriesPoint]
    var chart: IndicatorChart
    /// The site's events for this indicator, in its kind of period.
    var events: [SiteEvent]

    /// One row per stored period, with the SPC point where the period has a value.
    struct Row {
        var point: SeriesPoint
        var spc: SPCPoint?
        var notes: [String]
    }

    var rows: [Row] {
        var byPeriod: [Period: SPCPoint] = [:]
        if let points = chart.result.chart?.points {
            for (period, point) in zip(chart.periods, points) { byPeriod[period] = point }
        }
        var previousPhase = 0
        return series.map { point in
            var notes: [String] = []
            let spcPoint = byPeriod[point.period]
            if let phase = spcPoint?.phase, phase != previousPhase {
                notes.append("new phase (rebased)")
                previousPhase = phase
            }
            if let reason = point.observation.notAvailable { notes.append("not available: \(reason)") }
            notes += events.filter { $0.period == point.period }.map { "event: \($0.label)" }
            return Row(point: point, spc: spcPoint, notes: notes)
        }
    }

    private var definition: IndicatorDefinition { spec.definition }

    private var summary: String {
        var lines = ["\(definition.name) (\(definition.id)), \(site.name): \(definition.kind.rawValue), better \(definition.better.rawValue), \(definition.unit)"]
        if let goal {
            lines.append("goal: \(goal.title) (target \(definition.format(goal.target.value)) by \(goal.target.period.label))")
        }
        switch chart.result {
        case .notEnoughPoints(let have, let need):
            lines.append("SPC: not enough points for limits (\(have) with values, \(need) needed)")
        case .chart(let chart):
            var text = "SPC: latest point \(chart.variation.words)"
            if let assurance = chart.assurance { text += "; the process \(assurance.words)" }
            lines.append(text)
        }
        return lines.joined(separator: "\n")
    }

    func table(colour: Bool) -> String {
        var table = TextTable(["period", "value", "mean", "lower limit", "upper limit", "SPC", "notes"], rightAligned: [1, 2, 3, 4])
        table.indent = "  "
        for row in rows {
            let value = row.point.observation.isAvailable ? row.point.observation.value.map(definition.format) ?? "—" : "—"
            var label = ""
            if let spc = row.spc {
                label = ProgressListing.shortWords(spc.pointType)
                if let rule = spc.specialCause { label += " (\(rule.rawValue.replacingOccurrences(of: "_", with: " ")))" }
                if colour, let code = Self.colourCode(spc.pointType) { label = "\u{1B}[\(code)m\(label)\u{1B}[0m" }
            }
            table.add([row.point.period.label, value,
                       row.spc.map { definition.format($0.mean) } ?? "", row.spc.map { definition.format($0.lowerLimit) } ?? "",
                       row.spc.map { definition.format($0.upperLimit) } ?? "", label, row.notes.joined(separator: "; ")])
        }
        return summary + "\n" + table.render() + "\n"
    }

    /// The Making Data Count colours, as near as a terminal has: blue improvement, orange
    /// (yellow) concern, purple (magenta) neutral.
    private static func colourCode(_ type: SPCPointType) -> String? {
        switch type {
        case .commonCause: nil
        case .specialCauseImprovement: "34"
        case .specialCauseConcern: "33"
        case .specialCauseNeutralHigh, .specialCauseNeutralLow: "35"
        }
    }

    struct JSONOutput: Encodable {
        var site: String
        var indicator: String
        var name: String
        var better: String
        var goal: String?
        var target: Double?
        var variation: String?
        var assurance: String?
        var notEnoughPoints: JSONShortage?
        var points: [JSONPoint]
    }

    struct JSONShortage: Encodable {
        var have: Int
        var need: Int
    }

    struct JSONPoint: Encodable {
        var period: String
        var value: Double?
        var notAvailable: String?
        var phase: Int?
        var mean: Double?
        var lowerLimit: Double?
        var upperLimit: Double?
        var pointType: String?
        var specialCause: String?
        var notes: [String]
    }

    func json() throws -> String {
        var shortage: JSONShortage?
        if case .notEnoughPoints(let have, let need) = chart.result { shortage = JSONShortage(have: have, need: need) }
        return try ReportJSON.encode(JSONOutput(
            site: site.id, indicator: definition.id, name: definition.name, better: definition.better.rawValue,
            goal: goal?.id, target: goal?.target.value, variation: chart.result.chart?.variation.rawValue,
            assurance: chart.result.chart?.assurance?.rawValue, notEnoughPoints: shortage,
            points: rows.map { row in
                JSONPoint(period: row.point.period.label,
                          value: row.point.observation.isAvailable ? row.point.observation.value : nil,
                          notAvailable: row.point.observation.notAvailable?.description,
                          phase: row.spc?.phase, mean: row.spc?.mean, lowerLimit: row.spc?.lowerLimit,
                          upperLimit: row.spc?.upperLimit, pointType: row.spc?.pointType.rawValue,
                          specialCause: row.spc?.specialCause?.rawValue, notes: row.notes)
            }))
    }

    func csv() -> String {
        var lines = [["site", "indicator", "period", "value", "phase", "mean", "lower_limit", "upper_limit", "point_type", "special_cause", "notes"]]
        for row in rows {
            lines.append([site.id, definition.id, row.point.period.label,
                          CSVText.number(row.point.observation.isAvailable ? row.point.observation.value : nil),
                          row.spc.map { String($0.phase) } ?? "", CSVText.number(row.spc?.mean),
                          CSVText.number(row.spc?.lowerLimit), CSVText.number(row.spc?.upperLimit),
                          row.spc?.pointType.rawValue ?? "", row.spc?.specialCause?.rawValue ?? "",
                          row.notes.joined(separator: "; ")])
        }
        return CSVText.lines(lines)
    }
}
