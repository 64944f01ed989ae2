// Making a site's return for a reporting period from its stored measures and goal progress.
public import Foundation
public import PioneerCore
public import PioneerGoals
public import PioneerKit
public import PioneerStore

/// Builds a site's ``SiteReturn`` for one reporting period.
///
/// Every indicator whose periods fit in the reporting period is in the return, with the
/// stored measures of those periods: a quarterly return carries a monthly indicator's three
/// months, a financial year's return its twelve and its quarters. An indicator reported
/// over longer periods (a yearly one in a monthly return) is left for the return of its own period.
///
/// A period that is due (``IndicatorDefinition/dueDate(of:)`` on or before `asOf`) and has
/// no measure, or only a "feed down" or "not yet due" one, is a missing required measure.
/// Suppressed and "no data" measures are answers and count as present. The return is
/// refused when any are missing, unless an incomplete return is allowed.
///
/// ```swift
/// let builder = ReturnBuilder(site: site, store: store, generatorVersion: "0.10.0")
/// let siteReturn = try builder.build(period: .quarter(2026, 1), progress: progress, asOf: today)
/// ```
public struct ReturnBuilder: Sendable {
    public var site: Site
    public var store: MeasureStore
    public var generatorVersion: String
    /// Removes credentials from provenance URLs.
    public var urls: CredentialFreeURL

    /// - Parameter environment: where the site's secrets are resolved, so that a URL carrying
    ///   one of their values in its query loses that parameter.
    public init(site: Site, store: MeasureStore, generatorVersion: String, environment: [String: String] = [:]) {
        self.site = site
        self.store = store
        self.generatorVersion = generatorVersion
        let secrets = site.feeds.flatMap(\.auth.secrets).compactMap { $0.resolve(in: environment) }
        self.urls = CredentialFreeURL(secretValues: Set(secrets))
    }

    /// The periods a return can be made for.
    public static let reportingPeriodTypes: Set<PeriodType> = [.month, .quarter, .financialQuarter, .financialYear]

    /// The periods of `type` that lie wholly inside `reporting`, in order.
    public static func periods(of type: PeriodType, in reporting: Period) -> [Period] {
        var period = Period(containing: reporting.start, type: type)
        if period.start < reporting.start { period = period.next }
        var periods: [Period] = []
        while period.end <= reporting.end {
            periods.append(period)
            period = period.next
        }
        return periods
    }

    /// The return for `period`.
    ///
    /// - Parameters:
    ///   - progress: the site's goals judged as at the end of `period` (`ProgressEvaluator`).
    ///   - asOf: the day the return is made, which decides what is due.
    ///   - generatedAt: the moment recorded in the return.
    ///   - allowIncomplete: make the return even with required measures missing, marked incomplete.
    public func build(period: Period, progress: [GoalProgress], asOf: CalendarDate, generatedAt: Date = Date(),
                      allowIncomplete: Bool = false) throws(ReturnBuildError) -> SiteReturn {
        guard Self.reportingPeriodTypes.contains(period.type) else { throw .unsupportedPeriod(period) }
        guard period.end < asOf else { throw .periodNotOver(period, asOf: asOf) }

        var indicators: [ReturnIndicator] = []
        var missing: [MissingMeasure] = []
        var runIDs = Set<Int64>()
        do {
            for spec in site.indicators {
                let definition = spec.definition
                let periods = Self.periods(of: definition.periodType, in: period)
                guard !periods.isEmpty else { continue }
                let stored = try store.measures(MeasureQuery(site: site.id, indicator: definition.id,
                                                             overlapping: period.start...period.end))
                var byPeriod: [Period: StoredMeasure] = [:]
                for measure in stored where measure.measure.period.type == definition.periodType {
                    byPeriod[measure.measure.period] = measure
                }
                var lastOutcome: [String: RunOutcome]?
                var measures: [ReturnMeasure] = []
                for subPeriod in periods {
                    let due = definition.dueDate(of: subPeriod) <= asOf
                    if let measure = byPeriod[subPeriod] {
                        measures.append(returnMeasure(measure))
                        runIDs.insert(measure.runID)
                        if due, let notAvailable = measure.measure.observation.notAvailable,
                           notAvailable.reason == .feedDown || notAvailable.reason == .notYetDue {
                            missing.append(MissingMeasure(indicator: definition.id, period: subPeriod.label,
                                                          reason: "stored as \(notAvailable)"))
                        }
                    } else if due {
                        if lastOutcome == nil { lastOutcome = try latestOutcomes(indicator: definition.id) }
                        missing.append(MissingMeasure(indicator: definition.id, period: subPeriod.label,
                                                      reason: missingReason(lastOutcome?[subPeriod.label])))
                    }
                }
                indicators.append(ReturnIndicator(
                    id: definition.id, name: definition.name, kind: definition.kind.rawValue,
                    valueType: definition.valueType.rawValue, unit: definition.unit, factor: definition.factor?.rawValue,
                    better: definition.better.rawValue, decimals: definition.decimals,
                    definitionVersion: definition.definitionVersion, measures: measures))
            }
            if !missing.isEmpty && !allowIncomplete {
                throw ReturnBuildError.incomplete(site: site.id, period: period, missing: missing)
            }
            var runs: [ReturnRun] = []
            for id in runIDs.sorted() {
                if let run = try store.run(id: id) { runs.append(returnRun(run)) }
            }
            let goals = site.goals.compactMap { goal in
                progress.first { $0.assessment.goal.id == goal.id }.map(Self.returnGoal)
            }
            let siteReturn = SiteReturn(
                generator: Generator(version: generatorVersion),
                site: SiteIdentity(id: site.id, name: site.name, region: site.region, wave: site.wave),
                period: Self.returnPeriod(period), generatedAt: Timestamp.text(generatedAt),
                complete: missing.isEmpty, missing: missing, indicators: indicators, goals: goals, runs: runs)
            return try ReturnCoding.signed(siteReturn)
        } catch let error as ReturnBuildError {
            throw error
        } catch let error as StoreError {
            throw .store(error)
        } catch let error as ReturnEncodingError {
            throw .encoding(error)
        } catch {
            throw .store(StoreError(.other, path: store.path, "\(error)"))
        }
    }

    /// The latest run outcome of each period label of one indicator.
    private func latestOutcomes(indicator: String) throws(StoreError) -> [String: RunOutcome] {
        var latest: [String: RunOutcome] = [:]
        for outcome in try store.outcomes(site: site.id, indicator: indicator) {
            latest[outcome.period] = outcome
        }
        return latest
    }

    private func missingReason(_ outcome: RunOutcome?) -> String {
        guard let outcome else { return "nothing collected" }
        switch outcome.kind {
        case .failed:
            return "the last collection (run \(outcome.runID)) failed" + (outcome.reason.map { ": \($0)" } ?? "")
        case .skipped:
            return "the last collection (run \(outcome.runID)) skipped it" + (outcome.reason.map { ": \($0)" } ?? "")
        case .collected, .unchanged, .notAvailable:
            return "nothing stored, though run \(outcome.runID) recorded it as \(outcome.kind.rawValue)"
        }
    }

    // MARK: Conversions

    static func returnPeriod(_ period: Period) -> ReturnPeriod {
        ReturnPeriod(label: period.label, type: period.type.rawValue, start: period.start.description, end: period.end.description)
    }

    private func returnMeasure(_ stored: StoredMeasure) -> ReturnMeasure {
        // As it may be shown outside the site: a suppressed value without its parts.
        let observation = stored.measure.observation.published
        let provenance = stored.measure.provenance
        return ReturnMeasure(
            period: Self.returnPeriod(stored.measure.period), value: observation.value,
            numerator: observation.numerator, denominator: observation.denominator, sampleSize: observation.sampleSize,
            interval: observation.interval.map(Self.returnInterval),
            notAvailable: observation.notAvailable.map { ReturnNotAvailable(reason: $0.reason.rawValue, detail: $0.detail) },
            provenance: ReturnProvenance(
                plugin: provenance.plugin, runID: stored.runID, collectedAt: Timestamp.text(provenance.collectedAt),
                sources: provenance.sources.map { source in
                    ReturnSource(feed: source.feed, url: urls.clean(source.url), fetchedAt: Timestamp.text(source.fetchedAt),
                                 contentHash: source.contentHash, status: source.status)
                }))
    }

    private func returnRun(_ run: CollectionRun) -> ReturnRun {
        ReturnRun(id: run.id, startedAt: Timestamp.text(run.startedAt), finishedAt: run.finishedAt.map(Timestamp.text),
                  status: run.status.rawValue, periods: run.periods)
    }

    static func returnInterval(_ interval: ConfidenceInterval) -> ReturnInterval {
        ReturnInterval(lower: interval.lower, upper: interval.upper, level: interval.level, method: interval.method)
    }

    static func returnGoal(_ progress: GoalProgress) -> ReturnGoal {
        let assessment = progress.assessment
        let goal = assessment.goal
        let latest = assessment.latest.flatMap { point in
            point.observation.value.map { ReturnPeriodValue(period: point.period.label, value: $0) }
        }
        let chart = progress.spc.chart
        return ReturnGoal(
            id: goal.id, indicator: goal.indicatorID, title: goal.title,
            baseline: ReturnPeriodValue(period: goal.baseline.period.label, value: goal.baseline.value),
            target: ReturnPeriodValue(period: goal.target.period.label, value: goal.target.value),
            trajectoryValue: assessment.expected, status: assessment.status?.rawValue,
            noDataReason: assessment.noDataReason, latest: latest,
            interval: assessment.interval.map(returnInterval),
            projection: assessment.projection.map {
                ReturnProjection(value: $0.value, meetsTarget: $0.meetsTarget, pointsUsed: $0.pointsUsed, slopePerPeriod: $0.slopePerPeriod)
            },
            variation: chart?.variation.rawValue, assurance: chart?.assurance?.rawValue,
            selfAssessment: ReturnSelfAssessment(
                rag: goal.assessment.rag?.rawValue, confidence: goal.assessment.confidence?.rawValue,
                narrative: goal.assessment.narrative, asOf: goal.assessment.asOf?.description),
            agreement: assessment.agreement.rawValue)
    }
}
