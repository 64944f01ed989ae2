// The counting returns of a period as the national aggregate takes them, made from the rows
// kept beside each accepted return (ReturnRows), never from its stored bytes: each a light
// SiteReturn holding only what the Aggregator reads (its facts, its indicators with the
// measures asked for, its goals), so a period of a national programme fits in a few MB.
import Foundation
public import PioneerAggregate
public import PioneerKit
import PioneerReturns

/// The returns that count for a period, light, with the submission each came from.
public struct CountingReturns: Sendable {
    /// The submissions, in site order.
    public var submissions: [CountingSubmission]
    /// Their returns as the Aggregator takes them, in the same order.
    public var received: [ReceivedReturn]
    /// How many versions each site has stored for the period, accepted or not, read in the
    /// same snapshot (only when asked for).
    public var versions: [String: Int] = [:]
}

/// The submission that counts for a site.
public struct CountingSubmission: Sendable, Hashable {
    public var id: String
    public var site: String
    public var version: Int
    public var receivedAt: String
}

extension IntakeStore {
    /// For each site, the latest accepted version for `period`, read from its rows: the
    /// period's own measures only, or every measure in the return (a quarter's months, for
    /// the history) when `allMeasures`.
    ///
    /// - Throws: ``IntakeStoreError`` with kind `corrupt` when a counting submission has no
    ///   rows or names a definition that is not stored: the database was changed outside pioneer.
    public func countingReturns(period: Period, allMeasures: Bool,
                                versionCounts: Bool = false) async throws(IntakeStoreError) -> CountingReturns {
        let label = period.label
        let operation = "read the returns for \(label)"
        // Every query in one snapshot (IntakeStoreBackend.countingRows): read one by one, a
        // version stored between them named one version while showing another's figures.
        let collector = IndicatorCollector()
        let rows = try await backend.countingRows(period: label, allPeriods: allMeasures, versionCounts: versionCounts,
                                                  definitions: { collector.define($0) }, { collector.add($0) })
        let sites = rows.sites
        guard !sites.isEmpty else { return CountingReturns(submissions: [], received: [], versions: rows.versionCounts) }
        if let missing = collector.undefined {
            let unreadable = collector.unreadable
            let why = unreadable > 0 ? "is not stored or cannot be read (\(unreadable) stored definitions cannot be)" : "is not stored"
            throw IntakeStoreError(.corrupt, path: path, operation: operation,
                                   "a counting return uses \(missing), whose definition \(why); the database was changed outside pioneer")
        }
        var goals: [String: [ReturnGoal]] = [:]
        for row in rows.goals {
            goals[row.site, default: []].append(ReturnGoal(
                id: row.goal, indicator: row.indicator, title: row.title, baseline: Self.noValue, target: Self.noValue,
                status: row.status, selfAssessment: ReturnSelfAssessment(rag: row.rag, confidence: row.confidence),
                agreement: row.agreement))
        }

        let returnPeriod = ReturnPeriod(label: label, type: period.type.rawValue, start: period.start.description, end: period.end.description)
        var submissions: [CountingSubmission] = [], received: [ReceivedReturn] = []
        for site in sites {
            let source = "submission \(site.id) (\(site.site) \(label) version \(site.version))"
            guard let schemaVersion = site.schemaVersion, let generatedAt = site.generatedAt, let complete = site.complete else {
                throw IntakeStoreError(.corrupt, path: path, operation: operation,
                                       "\(source) was accepted but has no rows to aggregate; the database was changed outside pioneer")
            }
            let content = SiteReturn(
                schemaVersion: schemaVersion, generator: Generator(version: ""),
                site: SiteIdentity(id: site.site, name: "", region: "", wave: ""), period: returnPeriod,
                generatedAt: generatedAt, complete: complete, missing: [], indicators: collector.indicators(of: site.site),
                goals: goals[site.site] ?? [], runs: [])
            // The integrity of the bytes (the JSON digest, the ADX content digest and its
            // definitions) was checked when they were accepted, and the rows were written in
            // the same transaction from what was checked: it stands as checked here.
            let format: ReceivedFormat = site.format == SubmissionFormat.adx.rawValue
                ? .adx(contentDigest: .valid, unresolved: []) : .json
            received.append(ReceivedReturn(source: source, content: content, format: format,
                                           receivedOn: IntakeTime.day(ofText: site.receivedAt), digestCheck: .valid))
            submissions.append(CountingSubmission(id: site.id, site: site.site, version: site.version, receivedAt: site.receivedAt))
        }
        return CountingReturns(submissions: submissions, received: received, versions: rows.versionCounts)
    }

    /// A goal's baseline and target, which the aggregate does not read.
    private static let noValue = ReturnPeriodValue(period: "", value: 0)

    fileprivate static func key(_ indicator: String, _ version: String) -> String {
        indicator + "\n" + version
    }
}

/// Each site's indicators, made as the measure rows stream in: every indicator shares its
/// definition's strings, and holds only the measures read.
private final class IndicatorCollector: @unchecked Sendable {
    // @unchecked: `definitions`, `unreadable`, `bySite`, `periods` and `missing` are only read
    // and written with `lock` held.
    private let lock = NSLock()
    private var definitions: [String: ReturnIndicator] = [:]
    /// How many stored definitions cannot be read as one.
    private var unreadableCount = 0
    private var bySite: [String: [Int: ReturnIndicator]] = [:]
    /// An (indicator, definition version) a row names that no stored definition has.
    private var missing: String?

    var undefined: String? { lock.withLock { missing } }
    var unreadable: Int { lock.withLock { unreadableCount } }
    /// A measure's period; the aggregate reads its label alone.
    private var periods: [String: ReturnPeriod] = [:]
    private static let provenance = ReturnProvenance(plugin: "", runID: 0, collectedAt: "", sources: [])

    /// Takes every stored definition, read whole before the measures (a programme's few
    /// hundred, every version): finding in SQL those the period's returns use joined 150 rows a
    /// site to them, for 0.14 s at national size. A definition that cannot be read is an error
    /// only when a return uses it.
    func define(_ texts: [String]) {
        var definitions: [String: ReturnIndicator] = [:]
        var unreadable = 0
        let decoder = JSONDecoder()
        for text in texts {
            guard var definition = try? decoder.decode(ReturnIndicator.self, from: Data(text.utf8)) else {
                unreadable += 1
                continue
            }
            definition.measures = []
            definitions[IntakeStore.key(definition.id, definition.definitionVersion)] = definition
        }
        lock.withLock {
            self.definitions = definitions
            unreadableCount = unreadable
        }
    }

    func add(_ row: MeasureRow) {
        lock.withLock {
            var indicator: ReturnIndicator
            if let known = bySite[row.site]?[row.indicatorPosition] {
                indicator = known
            } else if let definition = definitions[IntakeStore.key(row.indicator, row.definitionVersion)] {
                indicator = definition
            } else {
                missing = missing ?? "\(row.indicator) version \(row.definitionVersion)"
                return
            }
            if let label = row.period {
                // Rows keep a measure's label; its type and days follow from it, as the return
                // had them (the rules checked they agree before the return was stored).
                let period = periods[label] ?? (try? Period(parsing: label)).map {
                    ReturnPeriod(label: label, type: $0.type.rawValue, start: $0.start.description, end: $0.end.description)
                } ?? ReturnPeriod(label: label, type: "", start: "", end: "")
                periods[label] = period
                let interval = row.lower.flatMap { lower in
                    row.upper.map { ReturnInterval(lower: lower, upper: $0, level: 0, method: "") }
                }
                indicator.measures.append(ReturnMeasure(
                    period: period, value: row.value, numerator: row.numerator, denominator: row.denominator,
                    sampleSize: row.sampleSize, interval: interval,
                    notAvailable: row.notAvailable.map { ReturnNotAvailable(reason: $0, detail: row.notAvailableDetail ?? "") },
                    provenance: Self.provenance))
            }
            bySite[row.site, default: [:]][row.indicatorPosition] = indicator
        }
    }

    /// `site`'s indicators in its return's order.
    func indicators(of site: String) -> [ReturnIndicator] {
        lock.withLock {
            (bySite[site] ?? [:]).sorted { $0.key < $1.key }.map(\.value)
        }
    }
}
