// Bringing a period's returns together: each return checked (digest, schema version,
// site, period, values, deadline), then the accepted ones pooled per indicator, drawn on
// funnel plots, and their goals counted by theme.
public import PioneerCore
public import PioneerKit
import Foundation
import PioneerReturns

/// Aggregates the sites' returns for one period of a programme.
///
/// ```swift
/// let aggregator = Aggregator(programme: programme, period: .month(2026, 3), asOf: .today())
/// let national = aggregator.aggregate(received)
/// national.indicators.first?.pooled?.value
/// ```
public struct Aggregator: Sendable {
    public var programme: Programme
    public var period: Period
    /// The day the aggregate is made: returns not yet received are awaited until the hard deadline.
    public var asOf: CalendarDate
    public var funnelOptions: FunnelOptions
    /// Where an ADX return's indicator definitions are looked up, for the message when one is
    /// missing: the JSON returns given beside it (`pioneer aggregate`), or those an intake
    /// service has received.
    public var adxDefinitions: ADXDefinitionSource = .filesGiven

    public init(programme: Programme, period: Period, asOf: CalendarDate, funnelOptions: FunnelOptions = FunnelOptions()) {
        self.programme = programme
        self.period = period
        self.asOf = asOf
        self.funnelOptions = funnelOptions
    }

    public func aggregate(_ received: [ReceivedReturn]) -> NationalAggregate {
        aggregateKeepingAccepted(received).national
    }

    /// The aggregate, and the returns accepted into it (the history pools their sub-period measures).
    func aggregateKeepingAccepted(_ received: [ReceivedReturn]) -> (national: NationalAggregate, accepted: [SiteReturn]) {
        let screening = screen(received)
        let accepted = screening.accepted
        let national = NationalAggregate(
            programme: programme.name, period: period.label,
            completeness: completeness(accepted: accepted, late: screening.afterHardDeadline,
                                       rejected: screening.rejected.filter { !$0.superseded }),
            rejected: screening.rejected, otherPeriods: screening.otherPeriods,
            accepted: accepted.map(\.content.site.id),
            indicators: indicators(accepted.map(\.content)),
            themes: themes(accepted.map(\.content)),
            confidenceGaps: confidenceGaps(accepted.map(\.content)),
            funnelOptions: funnelOptions,
            goalsNotCarried: Self.goalsNotCarried(accepted))
        return (national, accepted.map(\.content))
    }

    // MARK: Checking each return

    private struct Screening {
        var accepted: [ReceivedReturn] = []
        var rejected: [RejectedReturn] = []
        var otherPeriods: [RejectedReturn] = []
        /// Sites whose only returns came after the hard deadline, with the date made.
        var afterHardDeadline: [String: (submitted: String, source: String)] = [:]
    }

    private func screen(_ received: [ReceivedReturn]) -> Screening {
        var screening = Screening()
        let hardDeadline = programme.deadlines.hardDeadline(of: period)
        var candidates: [ReceivedReturn] = []
        for item in received {
            let content = item.content
            func reject(_ reason: String) {
                screening.rejected.append(RejectedReturn(source: item.source, site: content.site.id, period: content.period.label, reason: reason))
            }
            if let problem = contentProblem(item) {
                if problem.otherPeriod {
                    screening.otherPeriods.append(RejectedReturn(source: item.source, site: content.site.id,
                                                                 period: content.period.label, reason: problem.reason))
                } else {
                    reject(problem.reason)
                }
                continue
            }
            let made = item.receivedOn ?? Self.date(content.generatedAt)
            guard let made else {
                reject("its generatedAt `\(content.generatedAt)` is not an ISO 8601 date and time")
                continue
            }
            guard made <= hardDeadline else {
                reject("\(item.receivedOn == nil ? "made" : "received") on \(made), after the hard deadline of \(hardDeadline); counted as missing")
                if screening.afterHardDeadline[content.site.id] == nil {
                    screening.afterHardDeadline[content.site.id] = (made.description, item.source)
                }
                continue
            }
            candidates.append(item)
        }
        // One return per site: the latest made; earlier ones are listed as superseded. Two
        // different returns made at the same moment (in the same form) leave the site's intent
        // unknown: neither counts, whatever order the files came in.
        var latest: [String: ReceivedReturn] = [:]
        var bySite: [String: [ReceivedReturn]] = [:]
        var siteOrder: [String] = []
        for item in candidates {
            let site = item.content.site.id
            if bySite[site] == nil { siteOrder.append(site) }
            bySite[site, default: []].append(item)
        }
        for site in siteOrder {
            let ordered = (bySite[site] ?? []).sorted { left, right in
                Self.isNewer(left, than: right) || (!Self.isNewer(right, than: left) && left.source < right.source)
            }
            guard let top = ordered.first else { continue }
            // An ADX return with the same figures as one of the site's JSON returns is that
            // return in another form (written by a second `pioneer return`, a moment later):
            // the JSON one counts, since it carries the goals too.
            if top.format != .json, let json = ordered.first(where: { $0.format == .json && Self.sameFigures(top.content, $0.content) }) {
                latest[site] = json
                for item in ordered where item != json {
                    let reason = item == top
                        ? "the same figures as \(json.source) in ADX form; the JSON return, which carries the goals too, is counted"
                        : "superseded by a later return from the same site (\(top.source), made \(top.content.generatedAt))"
                    screening.rejected.append(RejectedReturn(source: item.source, site: site, period: item.content.period.label,
                                                             reason: reason, superseded: true))
                }
                continue
            }
            let tied = ordered.filter { !Self.isNewer(top, than: $0) }
            let conflicting = tied.contains { $0.content != top.content }
            if !conflicting { latest[site] = top }
            for item in ordered.dropFirst(conflicting ? 0 : 1) {
                let reason: String
                if !tied.contains(item) {
                    reason = conflicting
                        ? "superseded by later returns from the same site (\(tied.map(\.source).joined(separator: ", ")), made \(top.content.generatedAt))"
                        : "superseded by a later return from the same site (\(top.source), made \(top.content.generatedAt))"
                } else if conflicting {
                    let others = tied.filter { $0 != item }.map(\.source).joined(separator: ", ")
                    reason = "differs from another return from the same site made at the same moment, \(top.content.generatedAt) (\(others)), so neither counts; make the return again"
                } else {
                    reason = "the same return as \(top.source), counted once"
                }
                screening.rejected.append(RejectedReturn(source: item.source, site: site, period: item.content.period.label,
                                                         reason: reason, superseded: !conflicting))
            }
        }
        screening.accepted = programme.sites.compactMap { latest[$0] }
        return screening
    }

    /// Whether every measure of `adx` is in `json` with the same value and parts.
    static func sameFigures(_ adx: SiteReturn, _ json: SiteReturn) -> Bool {
        guard adx.site.id == json.site.id, adx.period.label == json.period.label, !adx.indicators.isEmpty else { return false }
        let byID = Dictionary(json.indicators.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for indicator in adx.indicators {
            guard let other = byID[indicator.id] else { return false }
            for measure in indicator.measures {
                guard let match = other.measures.first(where: { $0.period.start == measure.period.start && $0.period.end == measure.period.end }),
                      match.value == measure.value, match.numerator == measure.numerator, match.denominator == measure.denominator else {
                    return false
                }
            }
        }
        return true
    }

    /// Why `item` cannot count in this period's aggregate, deadlines aside, or nil when it
    /// can: its schema version, integrity (the digest; for ADX, the content digest and the
    /// definitions), period, site, the programme's kinds of period, and
    /// the rules its values must keep. A service receiving one return at a time asks this,
    /// so it refuses exactly what the aggregate would leave out.
    public func problem(with item: ReceivedReturn) -> String? {
        contentProblem(item)?.reason
    }

    private func contentProblem(_ item: ReceivedReturn) -> (reason: String, otherPeriod: Bool)? {
        let content = item.content
        guard content.schemaVersion == SiteReturn.currentSchemaVersion else {
            return ("schema version \(content.schemaVersion) is not one this pioneer reads (it reads version \(SiteReturn.currentSchemaVersion)); make the return again with a matching pioneer", false)
        }
        if let problem = Self.integrityProblem(item, definitions: adxDefinitions) {
            return (problem, false)
        }
        guard content.period.label == period.label else {
            // A label its days disagree with is a fault, not a return for another period.
            if let problem = ValueRules.problem(with: content.period) {
                return ("values break the rules: the return's period \(problem)", false)
            }
            return ("for \(content.period.label), not \(period.label)", true)
        }
        guard programme.sites.contains(content.site.id) else {
            return ("site `\(content.site.id)` is not one the programme expects (\(programme.sites.joined(separator: ", ")))", false)
        }
        guard programme.expects(period) else {
            let kinds = programme.periods.map(\.displayName).joined(separator: " and ")
            return ("the programme collects returns by \(kinds), not by \(period.type.displayName)", false)
        }
        // `pioneer return` makes a return only once its period is over: one made before is
        // forged, or was made on a machine whose clock is wrong. Made on the last day is allowed:
        // just after midnight where a site is, east of Greenwich or in summer time, it is still
        // that day in UTC.
        guard let made = Self.date(content.generatedAt) else {
            return ("its generatedAt `\(content.generatedAt.escapingControlCharacters())` is not an ISO 8601 date and time "
                    + "(`2026-04-10T09:00:00Z`, every part in range: no 31 April, no hour 25)", false)
        }
        if made < period.end {
            return ("made on \(made), before its period ended on \(period.end): a return is made once its period is over "
                    + "(is the clock of the machine that made it wrong?)", false)
        }
        // Nor after the day it is judged on (received, or --as-of), a day's grace for clocks a
        // little fast: a return from the future would be on time in one view and missing in another.
        if made.dayNumber > asOf.dayNumber + 1 {
            return ("made on \(made), after \(asOf), the day it is judged on (the day it was received, or --as-of): "
                    + "is the clock of the machine that made it wrong?", false)
        }
        let problems = ValueRules.problems(in: content)
        if !problems.isEmpty {
            let shown = problems.prefix(3).joined(separator: "; ")
            let more = problems.count > 3 ? "; and \(problems.count - 3) more" : ""
            return ("values break the rules: \(shown)\(more)", false)
        }
        return nil
    }

    /// Why a return's digest does not vouch for it, or nil when it does; `checked` is the
    /// check already made against the bytes it was read from, if any.
    static func digestProblem(_ content: SiteReturn, checked: DigestCheck? = nil) -> String? {
        let check: DigestCheck
        do {
            check = try checked ?? ReturnCoding.verify(content)
        } catch {
            return "its digest cannot be checked: \(error)"
        }
        switch check {
        case .valid:
            return nil
        case .missing:
            return "it carries no SHA-256 digest, so changes since it was made cannot be detected"
        case .mismatch(let expected, let found):
            return "its digest does not match its content (recorded \(expected.prefix(12))…, computed \(found.prefix(12))…): it was changed or corrupted after it was made"
        }
    }

    /// The UTC date of an ISO 8601 timestamp: its first ten characters.
    static func date(_ timestamp: String) -> CalendarDate? {
        // A time with an offset (`2026-04-30T23:30:00-02:00`) may fall on another day in UTC.
        ReturnTimestamp(timestamp)?.utcDay
    }

    /// The moment `timestamp` names (``ReturnTimestamp``); nil when it names none.
    static func instant(_ timestamp: String) -> ReturnTimestamp? {
        ReturnTimestamp(timestamp)
    }

    // MARK: Completeness

    private func completeness(accepted: [ReceivedReturn], late: [String: (submitted: String, source: String)],
                              rejected: [RejectedReturn] = []) -> Completeness {
        let rejectedFrom = Dictionary(rejected.map { ($0.site, $0.source) }, uniquingKeysWith: { first, _ in first })
        let soft = programme.deadlines.softDeadline(of: period)
        let hard = programme.deadlines.hardDeadline(of: period)
        let bySite = Dictionary(accepted.map { ($0.content.site.id, $0) }, uniquingKeysWith: { first, _ in first })
        let expected = programme.expects(period) ? programme.sites : []
        let sites = expected.map { site -> SiteCompleteness in
            guard let item = bySite[site], let made = item.receivedOn ?? Self.date(item.content.generatedAt) else {
                if let after = late[site] {
                    return SiteCompleteness(site: site, status: .missing, submitted: after.submitted, source: after.source)
                }
                return SiteCompleteness(site: site, status: asOf > hard ? .missing : .awaited, rejected: rejectedFrom[site])
            }
            let status: SubmissionStatus = !item.content.complete ? .incomplete : made <= soft ? .onTime : .late
            return SiteCompleteness(site: site, status: status, submitted: made.description, source: item.source)
        }
        return Completeness(softDeadline: soft, hardDeadline: hard, asOf: asOf, sites: sites)
    }

    // MARK: Indicators

    /// Each indicator with a measure for this aggregator's period in `returns`, pooled and on a funnel plot.
    func indicators(_ returns: [SiteReturn]) -> [IndicatorAggregate] {
        var order: [String] = []
        var entries: [String: [(site: String, indicator: ReturnIndicator, measure: ReturnMeasure?)]] = [:]
        // Made once: the label is formatted afresh each time it is asked for, and is asked of every measure.
        let label = period.label, start = period.start.description, end = period.end.description
        for siteReturn in returns {
            for indicator in siteReturn.indicators {
                // By label, else by the same days: an NHS-year quarter's measure (FY2025-26 Q4)
                // counts for the calendar quarter it spans (2026Q1), as its ADX form
                // (2026-01-01/P3M) always did, so the figures do not depend on the format.
                let measure = indicator.measures.first { $0.period.label == label }
                    ?? indicator.measures.first { $0.period.start == start && $0.period.end == end }
                if entries[indicator.id] == nil { order.append(indicator.id) }
                entries[indicator.id, default: []].append((siteReturn.site.id, indicator, measure))
            }
        }
        return order.compactMap { id in
            guard let rows = entries[id], let first = rows.first else { return nil }
            // Indicators of another kind of period (a month's in a quarter's return) have no measure for this period.
            guard rows.contains(where: { $0.measure != nil }) else { return nil }
            return indicator(first.indicator, rows: rows)
        }
    }

    private func indicator(_ definition: ReturnIndicator,
                           rows: [(site: String, indicator: ReturnIndicator, measure: ReturnMeasure?)]) -> IndicatorAggregate {
        var definitions: [DefinitionGroup] = []
        for row in rows {
            if let index = definitions.firstIndex(where: { $0.version == row.indicator.definitionVersion }) {
                definitions[index].sites.append(row.site)
            } else {
                definitions.append(DefinitionGroup(version: row.indicator.definitionVersion, sites: [row.site]))
            }
        }
        let figures = rows.map { row in
            SiteFigure(site: row.site, value: row.measure?.value, numerator: row.measure?.numerator,
                       denominator: row.measure?.denominator, lower: row.measure?.interval?.lower, upper: row.measure?.interval?.upper)
        }
        let values = rows.map { row in
            SiteIndicatorValue(
                site: row.site, value: row.measure?.value, numerator: row.measure?.numerator, denominator: row.measure?.denominator,
                lower: row.measure?.interval?.lower, upper: row.measure?.interval?.upper,
                notAvailable: row.measure.map { measure in
                    measure.notAvailable.map { $0.detail.isEmpty ? $0.reason : "\($0.reason): \($0.detail)" }
                } ?? "no measure for \(period.label)",
                definitionVersion: row.indicator.definitionVersion)
        }
        var result = IndicatorAggregate(
            id: definition.id, name: definition.name, valueType: definition.valueType, unit: definition.unit,
            factor: definition.factor, better: definition.better, decimals: definition.decimals,
            sites: values, definitions: definitions, pooled: nil, notPooled: nil, funnel: nil, funnelUnavailable: nil)

        guard definitions.count == 1 else {
            let groups = definitions.map { "\($0.sites.joined(separator: ", ")) \($0.sites.count == 1 ? "uses" : "use") \($0.version)" }
            result.notPooled = "not pooled: the sites define it differently (\(groups.joined(separator: "; ")))"
            result.funnelUnavailable = "no funnel plot: the sites define it differently"
            return result
        }
        guard let valueType = ValueType(rawValue: definition.valueType) else {
            result.notPooled = "not pooled: `\(definition.valueType)` is not a value type this pioneer knows"
            return result
        }
        result.pooled = Pooling.pool(figures, valueType: valueType, factor: definition.factor)
        if result.pooled?.value == nil {
            result.notPooled = "not pooled: no site gives a usable figure for \(period.label)"
        }
        guard let distribution = FunnelDistribution(valueType) else {
            result.funnelUnavailable = "no funnel plot: \(valueType == .amount ? "an" : "a") \(valueType.rawValue) has no denominator to compare sites by"
            return result
        }
        do {
            let scale = valueType == .rate ? Double(definition.factor ?? 1) : 1
            let funnel = try FunnelPlot(figures, distribution: distribution, scale: scale, options: funnelOptions)
            // Each site's first place, looked up once rather than searched for each point: a
            // search per point is quadratic in the sites, and the national programme has hundreds.
            let placeOfSite = Dictionary(result.sites.indices.map { (result.sites[$0].site, $0) }, uniquingKeysWith: { first, _ in first })
            for point in funnel.points {
                if let index = placeOfSite[point.site] {
                    result.sites[index].position = point.position
                }
            }
            result.funnel = funnel
        } catch {
            result.funnelUnavailable = "no funnel plot: \(error.reason)"
        }
        return result
    }

    // MARK: Goals

    private func themes(_ returns: [SiteReturn]) -> [ThemeSummary] {
        var summaries = programme.themes.map { ThemeSummary(theme: $0.name) }
        var unthemed = ThemeSummary(theme: "no theme")
        for siteReturn in returns {
            for goal in siteReturn.goals {
                let label = "\(siteReturn.site.id)/\(goal.id)"
                if let theme = programme.theme(ofGoal: goal.id), let index = summaries.firstIndex(where: { $0.theme == theme.name }) {
                    summaries[index].count(goal.status, goal: label)
                } else {
                    unthemed.count(goal.status, goal: label)
                }
            }
        }
        return unthemed.goals.isEmpty ? summaries : summaries + [unthemed]
    }

    private func confidenceGaps(_ returns: [SiteReturn]) -> [ConfidenceGap] {
        returns.flatMap { siteReturn in
            siteReturn.goals.filter { $0.agreement == "optimistic" || $0.agreement == "pessimistic" }.map { goal in
                ConfidenceGap(
                    site: siteReturn.site.id, goal: goal.id, title: goal.title, theme: programme.theme(ofGoal: goal.id)?.name,
                    status: goal.status, rag: goal.selfAssessment.rag, confidence: goal.selfAssessment.confidence,
                    agreement: goal.agreement)
            }
        }
    }
}
