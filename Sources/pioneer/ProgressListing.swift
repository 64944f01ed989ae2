// What `pioneer progress` prints: the goals of each site grouped by kind, as a table with
// colour and sparklines, as JSON for scripts, or as CSV for a spreadsheet.
import Foundation
import PioneerCollect
import PioneerCore
import PioneerExtraction
import PioneerGoals
import PioneerKit

struct ProgressListing {
    struct SiteProgress {
        var site: Site
        var asOf: Period?
        var goals: [GoalProgress]
    }

    var sites: [SiteProgress]

    // MARK: Table

    /// The columns a narrow terminal loses first, least needed first; the goal, its latest
    /// value, target, status and variation always stay.
    static let droppable = [9, 8, 7, 3, 2]
    /// Goal names are clipped to fit, but to no fewer characters than this.
    static let narrowestGoal = 16
    /// Columns are hidden before goal names are clipped below this many characters.
    static let preferredGoal = 30

    /// - Parameter width: the terminal's width in columns; nil for no limit (piped output, `--wide`).
    func table(colour: Bool, width: Int? = nil) -> String {
        var out = ""
        var hidden: Set<Int> = []
        for entry in sites {
            let site = entry.site
            let asOf = entry.asOf.map { ", as at \($0.label)" } ?? ""
            out += "\(site.name) (\(site.id)): \(entry.goals.count) goal\(entry.goals.count == 1 ? "" : "s")\(asOf)\n"
            guard !entry.goals.isEmpty else {
                out += "  no goals in \(site.file)\n\n"
                continue
            }
            var notes: [String] = []
            let header = Self.header
            // Grouped by kind in the kinds' own order, so experience sits beside process and
            // outcome; one set of column widths, so the groups line up.
            let groups = IndicatorKind.allCases.map { kind in
                (kind, entry.goals.filter { $0.definition.kind == kind })
            }.filter { !$0.1.isEmpty }
            // A row is named by its indicator; two goals on one indicator add their ids.
            var goalsPerIndicator: [String: Int] = [:]
            for progress in entry.goals { goalsPerIndicator[progress.definition.id, default: 0] += 1 }
            func label(_ progress: GoalProgress) -> String {
                let name = progress.definition.name
                return (goalsPerIndicator[progress.definition.id] ?? 0) > 1 ? "\(name) (\(progress.assessment.goal.id))" : name
            }
            var rows = groups.map { $0.1.map { Self.row($0, label: label($0), colour: colour) } }
            var widths = Self.widths([header] + rows.flatMap { $0 })
            let kept = Self.columnsThatFit(widths, in: width)
            hidden.formUnion(Set(header.indices).subtracting(kept))
            if let width {
                // Clip the goal names to what the kept columns leave.
                let others = kept.dropFirst().reduce(0) { $0 + widths[$1] + 2 }
                let room = max(Self.narrowestGoal, width - 4 - others)
                if widths[0] > room {
                    rows = rows.map { $0.map { row in [Self.clip(row[0], to: room)] + row.dropFirst() } }
                    widths[0] = room
                }
            }
            let keptWidths = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($0.offset, widths[$0.element]) })
            for ((kind, goals), groupRows) in zip(groups, rows) {
                out += "  \(kind.rawValue)\n"
                var table = TextTable(kept.map { header[$0] },
                                      rightAligned: Set(kept.indices.filter { [1, 3].contains(kept[$0]) }))
                table.indent = "    "
                table.minimumWidths = keptWidths
                for row in groupRows { table.add(kept.map { row[$0] }) }
                for progress in goals {
                    if let note = Self.note(progress, label: label(progress)) { notes.append(note) }
                }
                out += table.render() + "\n"
            }
            for note in notes { out += "  \(note)\n" }
            out += "\n"
        }
        if let width, !hidden.isEmpty {
            let names = Self.droppable.filter(hidden.contains).map { Self.header[$0] }
            out += "(hidden to fit \(width) columns: \(names.joined(separator: ", ")); --wide shows them)\n"
        }
        return out
    }

    static let header = ["goal", "latest", "period", "trajectory", "target", "status",
                         "variation", "assurance", "site says", "last 24"]

    /// Each column's width: its widest cell.
    private static func widths(_ rows: [[String]]) -> [Int] {
        var widths = [Int](repeating: 0, count: header.count)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], TextTable.width(cell)) }
        }
        return widths
    }

    /// The columns to show, in order: all of them when they fit `width` (or there is no
    /// width), else without the ``droppable`` ones, least needed first, until they fit with
    /// the goal names clipped to ``preferredGoal`` characters (narrower still, down to
    /// ``narrowestGoal``, only once nothing more can go).
    static func columnsThatFit(_ widths: [Int], in width: Int?) -> [Int] {
        var kept = Array(widths.indices)
        guard let width else { return kept }
        // The table's indent, and two spaces between columns.
        func needed(_ columns: [Int]) -> Int {
            4 + columns.reduce(0) { $0 + ($1 == 0 ? min(widths[0], preferredGoal) : widths[$1]) } + 2 * (columns.count - 1)
        }
        for column in droppable where needed(kept) > width {
            kept.removeAll { $0 == column }
        }
        return kept
    }

    private static func row(_ progress: GoalProgress, label: String, colour: Bool) -> [String] {
        let assessment = progress.assessment
        let definition = progress.definition
        let goal = assessment.goal
        let latest = assessment.latest
        return [
            // A name with a line break in it would break the table's rows.
            Self.clip(label.escapingControlCharacters(), to: 44),
            latest?.observation.value.map(definition.format) ?? "—",
            latest?.period.label ?? "—",
            assessment.expected.map(definition.format) ?? "—",
            "\(definition.format(goal.target.value)) by \(goal.target.period.label)",
            Self.paint(Self.statusWords(assessment.status), Self.statusColour(assessment.status), colour),
            Self.variationWords(progress.spc),
            Self.assuranceWords(progress.spc),
            Self.selfAssessment(assessment, colour: colour),
            Self.sparkline(progress.series.suffix(24)),
        ]
    }

    /// A line under the table for what a row cannot say: why there is no data, a projection
    /// that misses the target.
    /// `label` names the goal as its row does (the ids the notes gave were nowhere in the table).
    private static func note(_ progress: GoalProgress, label: String) -> String? {
        let assessment = progress.assessment
        if assessment.status == .noData, let reason = assessment.noDataReason {
            return "\(label): no data: \(reason)"
        }
        if let note = assessment.statusNote {
            return "\(label): \(assessment.status?.rawValue ?? "no status"): \(note)"
        }
        if let projection = assessment.projection, !projection.meetsTarget, assessment.status != .achieved {
            let value = progress.definition.format(projection.value)
            let target = assessment.goal.target.period.label
            // A line held at the edge of what the value can be (0%, 100%, 0) reaches it early.
            let projected = projection.bounded ? "reach \(value) before \(target)" : "project \(value) by \(target)"
            return "\(label): the last \(projection.pointsUsed) points \(projected), missing the target"
        }
        return nil
    }

    static func statusWords(_ status: GoalStatus?) -> String {
        status?.rawValue ?? "neutral"
    }

    private static func statusColour(_ status: GoalStatus?) -> String {
        switch status {
        case .achieved, .onTrack: "32"      // green
        case .atRisk: "33"                  // yellow
        case .offTrack: "31"                // red
        case .noData, nil: "2"              // dim
        }
    }

    /// The latest point's SPC label in a few words, or why there is no chart.
    static func variationWords(_ spc: SPCResult) -> String {
        switch spc {
        case .notEnoughPoints(let have, let need): "too few points (\(have) of \(need))"
        case .chart(let chart): shortWords(chart.variation)
        }
    }

    static func shortWords(_ type: SPCPointType) -> String {
        switch type {
        case .commonCause: "common cause"
        case .specialCauseImprovement: "improvement"
        case .specialCauseConcern: "concern"
        case .specialCauseNeutralHigh: "higher"
        case .specialCauseNeutralLow: "lower"
        }
    }

    static func assuranceWords(_ spc: SPCResult) -> String {
        guard let chart = spc.chart else { return "—" }
        switch chart.assurance {
        case .consistentPass: return "consistently passes"
        case .consistentFail: return "consistently fails"
        case .inconsistent: return "hit and miss"
        // A latest phase of one point (after a rebase) has no limits to set the target against.
        case nil: return chart.points.last?.hasLimits == false ? "no limits yet" : "no target"
        }
    }

    private static func selfAssessment(_ assessment: GoalAssessment, colour: Bool) -> String {
        let own = assessment.goal.assessment
        var words = [own.rag?.rawValue, own.confidence.map { "\($0.rawValue) confidence" }].compactMap { $0 }.joined(separator: ", ")
        if words.isEmpty { words = "—" }
        switch assessment.agreement {
        case .optimistic: return words + " " + paint("(optimistic)", "31", colour)
        case .pessimistic: return words + " " + paint("(pessimistic)", "33", colour)
        case .agrees, .notAssessed: return words
        }
    }

    private static func paint(_ text: String, _ code: String, _ colour: Bool) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    private static func clip(_ text: String, to width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }

    /// Eight heights of block over the available values; a gap for a period with no value.
    static func sparkline(_ points: ArraySlice<SeriesPoint>) -> String {
        let bars = Array("▁▂▃▄▅▆▇█")
        let values = points.compactMap { $0.observation.isAvailable ? $0.observation.value : nil }
        guard let low = values.min(), let high = values.max() else { return "" }
        return String(points.map { point -> Character in
            guard point.observation.isAvailable, let value = point.observation.value else { return " " }
            guard high > low else { return bars[3] }
            let level = Int(((value - low) / (high - low) * Double(bars.count - 1)).rounded())
            return bars[max(0, min(bars.count - 1, level))]
        })
    }

    // MARK: JSON

    struct JSONOutput: Encodable {
        var sites: [JSONSite]
    }

    struct JSONSite: Encodable {
        var id: String
        var name: String
        var asOf: String?
        var goals: [JSONGoal]
    }

    struct JSONValuePeriod: Encodable {
        var period: String
        var value: Double
    }

    struct JSONLatest: Encodable {
        var period: String
        var value: Double?
        var numerator: Double?
        var denominator: Double?
        var sampleSize: Int?
        var interval: JSONInterval?
    }

    struct JSONInterval: Encodable {
        var lower: Double
        var upper: Double
        var level: Double
        var method: String
    }

    struct JSONProjection: Encodable {
        var value: Double
        var meetsTarget: Bool
        var pointsUsed: Int
        var slopePerPeriod: Double
        /// The line left what the value can be (below 0, above 100%) and is held at the edge.
        var bounded: Bool
    }

    struct JSONSelfAssessment: Encodable {
        var rag: String?
        var confidence: String?
        var narrative: String?
        var asOf: String?
    }

    struct JSONGoal: Encodable {
        var id: String
        var title: String
        var indicator: String
        var indicatorName: String
        var kind: String
        var better: String
        var latest: JSONLatest?
        var baseline: JSONValuePeriod
        var target: JSONValuePeriod
        var trajectoryValue: Double?
        var gap: Double?
        var status: String?
        var noDataReason: String?
        var statusNote: String?
        var projection: JSONProjection?
        var noProjectionReason: String?
        var variation: String?
        var assurance: String?
        var spcPoints: Int
        var spcMinimumPoints: Int?
        var selfAssessment: JSONSelfAssessment
        var agreement: String
        var recent: [Double?]
    }

    func json() throws -> String {
        try ReportJSON.encode(JSONOutput(sites: sites.map { entry in
            JSONSite(id: entry.site.id, name: entry.site.name, asOf: entry.asOf?.label,
                     goals: entry.goals.map(Self.jsonGoal))
        }))
    }

    private static func jsonGoal(_ progress: GoalProgress) -> JSONGoal {
        let assessment = progress.assessment
        let goal = assessment.goal
        let definition = progress.definition
        let latest = assessment.latest.map { point in
            JSONLatest(period: point.period.label, value: point.observation.value, numerator: point.observation.numerator,
                       denominator: point.observation.denominator, sampleSize: point.observation.sampleSize,
                       interval: assessment.interval.map { JSONInterval(lower: $0.lower, upper: $0.upper, level: $0.level, method: $0.method) })
        }
        var variation: String?
        var spcPoints = 0
        var minimum: Int?
        switch progress.spc {
        case .chart(let chart):
            variation = chart.variation.rawValue
            spcPoints = chart.points.count
        case .notEnoughPoints(let have, let need):
            spcPoints = have
            minimum = need
        }
        let own = goal.assessment
        return JSONGoal(
            id: goal.id, title: goal.title, indicator: definition.id, indicatorName: definition.name,
            kind: definition.kind.rawValue, better: definition.better.rawValue, latest: latest,
            baseline: JSONValuePeriod(period: goal.baseline.period.label, value: goal.baseline.value),
            target: JSONValuePeriod(period: goal.target.period.label, value: goal.target.value),
            trajectoryValue: assessment.expected, gap: assessment.gap, status: assessment.status?.rawValue,
            noDataReason: assessment.noDataReason, statusNote: assessment.statusNote,
            projection: assessment.projection.map {
                JSONProjection(value: $0.value, meetsTarget: $0.meetsTarget, pointsUsed: $0.pointsUsed, slopePerPeriod: $0.slopePerPeriod,
                               bounded: $0.bounded)
            },
            noProjectionReason: assessment.noProjectionReason,
            variation: variation, assurance: progress.spc.chart?.assurance?.rawValue,
            spcPoints: spcPoints, spcMinimumPoints: minimum,
            selfAssessment: JSONSelfAssessment(rag: own.rag?.rawValue, confidence: own.confidence?.rawValue,
                                               narrative: own.narrative, asOf: own.asOf?.description),
            agreement: assessment.agreement.rawValue,
            recent: progress.series.suffix(24).map { $0.observation.isAvailable ? $0.observation.value : nil })
    }

    // MARK: CSV

    func csv() -> String {
        var rows = [["site", "goal", "indicator", "kind", "latest_period", "latest_value", "interval_lower", "interval_upper",
                     "trajectory_value", "target_period", "target_value", "status", "no_data_reason",
                     "projected_value", "projection_meets_target", "variation", "assurance", "rag", "confidence", "agreement"]]
        for entry in sites {
            for progress in entry.goals {
                let assessment = progress.assessment
                let goal = assessment.goal
                rows.append([
                    entry.site.id, goal.id, progress.definition.id, progress.definition.kind.rawValue,
                    assessment.latest?.period.label ?? "", Self.number(assessment.latest?.observation.value),
                    Self.number(assessment.interval?.lower), Self.number(assessment.interval?.upper),
                    Self.number(assessment.expected), goal.target.period.label, Self.number(goal.target.value),
                    assessment.status?.rawValue ?? "", assessment.noDataReason ?? "",
                    Self.number(assessment.projection?.value), assessment.projection.map { $0.meetsTarget ? "true" : "false" } ?? "",
                    progress.spc.chart?.variation.rawValue ?? "", progress.spc.chart?.assurance?.rawValue ?? "",
                    goal.assessment.rag?.rawValue ?? "", goal.assessment.confidence?.rawValue ?? "", assessment.agreement.rawValue,
                ])
            }
        }
        return CSVText.lines(rows)
    }

    static func number(_ value: Double?) -> String { CSVText.number(value) }
}
