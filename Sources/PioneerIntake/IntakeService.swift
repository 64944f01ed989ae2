// The national intake without HTTP: bytes in, checked against the programme, stored with
// their summary in one transaction before the answer; and the period's status and national
// aggregate made from what the store holds, by the same Aggregator as `pioneer aggregate`.
public import Foundation
public import PioneerAggregate
public import PioneerCore
public import PioneerKit
import PioneerReturns

/// The import: bytes in, checked against the programme, stored with their summary in ONE transaction.
///
/// ```swift
/// let service = IntakeService(store: store, programme: programme)
/// let outcome = try await service.submit(bytes, format: .json, caller: caller)
/// outcome.kind            // .created, .duplicate, .malformed, .forbidden or .unprocessable
/// outcome.summary.version // 1, 2, … for the site and period
/// ```
public struct IntakeService: Sendable {
    public let store: IntakeStore
    public let programme: Programme
    /// The server's clock: received dates and deadlines are judged on it, never on the return's own dates.
    let clock: @Sendable () -> Date
    /// Definitions this service has seen stored: definitions are never removed, so once
    /// stored a definition needs no look-up again (every site sends the same 150 or so).
    private let storedDefinitions = StoredDefinitions()

    public init(store: IntakeStore, programme: Programme, clock: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.programme = programme
        self.clock = clock
    }

    /// Checks and stores one submission, and says what became of it.
    ///
    /// Every submission is stored before this returns, whatever its verdict: malformed bytes,
    /// another site's return, a rejected one. A store error is thrown, never answered as a
    /// verdict, so nothing reads as received that was not written.
    ///
    /// `caller` is a site token's caller (a site may only submit its own returns: another
    /// site's is refused, `forbidden`) or an office caller (may submit for any site).
    public func submit(_ bytes: [UInt8], format: SubmissionFormat, caller: Caller) async throws(IntakeStoreError) -> SubmissionOutcome {
        let received = clock()
        let digest = SubmissionDigest.of(bytes)
        let catalogue = format == .adx ? try await store.definitionCatalogue() : DefinitionCatalogue()
        let verdict = ReturnImport(programme: programme).verdict(bytes, format: format, caller: caller, received: received,
                                                                 digest: digest, catalogue: catalogue)
        var pending = PendingSubmission(
            id: SubmissionID.make(), site: verdict.filedSite, period: verdict.filedPeriod, format: format,
            digest: digest, bytes: bytes, receivedAt: verdict.summary.receivedAt, summary: verdict.summary)
        if verdict.kind == .created, let content = verdict.content {
            pending.rows = ReturnRows(submission: pending.id, content: content)
        }
        var definitions: [ReturnIndicator] = []
        if verdict.kind == .created, format == .json, let content = verdict.content {
            definitions = storedDefinitions.unknown(among: content.indicators)
            if !definitions.isEmpty {
                pending.definitions = try await store.missingDefinitions(definitions)
            }
        }
        switch try await store.store(pending) {
        case .stored(let summary, let json):
            storedDefinitions.insert(definitions)
            return SubmissionOutcome(summary: summary, kind: verdict.kind, summaryJSON: json)
        case .duplicate(var summary):
            // The same bytes again: the earlier answer stands. A rejected one stays a
            // rejection, so a repeat never reads as a success the first answer was not.
            if summary.status != .rejected, let note = try await countingNote(for: summary) {
                summary.problems.append(note)
            }
            return SubmissionOutcome(summary: summary, kind: summary.status == .rejected ? .unprocessable : .duplicate)
        }
    }

    /// For a repeat of an earlier version that a later one has replaced, a line saying so: the
    /// repeat is answered "accepted" as the first time, yet it does not count.
    private func countingNote(for summary: ImportSummary) async throws(IntakeStoreError) -> String? {
        guard let site = summary.site, let label = summary.period, let version = summary.version,
              let period = try? Period(parsing: label) else { return nil }
        let counting = try await store.countingReturns(period: period, allMeasures: false)
        guard let current = counting.submissions.first(where: { $0.site == site }), current.version != version else { return nil }
        return "version \(version) does not count: version \(current.version), received \(current.receivedAt), is the one that counts; "
            + "to make this return count, make it again (`pioneer return`) and send that"
    }

    /// Expected versus received for `period`: every expected site, judged by the same
    /// completeness rules as the national aggregate, on the received dates.
    public func status(period: Period) async throws(IntakeStoreError) -> PeriodStatus {
        let now = clock()
        let counting = try await store.countingReturns(period: period, allMeasures: false, versionCounts: true)
        let versions = counting.versions
        let national = aggregator(period, now: now, options: FunnelOptions()).aggregate(counting.received)
        let bySite = Dictionary(counting.submissions.map { ($0.site, $0) }, uniquingKeysWith: { first, _ in first })
        let sites = national.completeness.sites.map { site in
            SiteStatus(site: site.site, status: site.status.rawValue, version: bySite[site.site]?.version,
                       receivedAt: bySite[site.site]?.receivedAt, versions: versions[site.site] ?? 0)
        }
        return PeriodStatus(
            period: period.label, softDeadline: national.completeness.softDeadline.description,
            hardDeadline: national.completeness.hardDeadline.description, asOf: IntakeTime.text(now), sites: sites)
    }

    /// The national aggregate for `period` from the store: the latest accepted version of each
    /// site's return, judged on the day it was received. The same code as `pioneer aggregate`.
    ///
    /// It reads the rows kept beside each return (the latest counting version chosen in SQL,
    /// the period's measures only), never the stored bytes. The pooled sums are made here, by
    /// the Aggregator, in the programme's site order, not by SUM in SQL: a floating-point sum
    /// depends on the order it adds, a database adds rows in whatever order its plan gives,
    /// and the figures must equal `pioneer aggregate` over the files to the last digit.
    public func aggregate(period: Period, options: FunnelOptions) async throws(IntakeStoreError) -> NationalAggregate {
        let counting = try await store.countingReturns(period: period, allMeasures: false)
        return aggregator(period, now: clock(), options: options).aggregate(counting.received)
    }

    private func aggregator(_ period: Period, now: Date, options: FunnelOptions) -> Aggregator {
        Aggregator(programme: programme, period: period, asOf: IntakeTime.day(now), funnelOptions: options)
    }
}

/// The (indicator, definition version) pairs known to be in the store.
private final class StoredDefinitions: @unchecked Sendable {
    // @unchecked: `known` is only read and written with `lock` held.
    private let lock = NSLock()
    private var known: Set<String> = []

    /// Those of `indicators` not known to be stored.
    func unknown(among indicators: [ReturnIndicator]) -> [ReturnIndicator] {
        lock.withLock { indicators.filter { !known.contains(Self.key($0)) } }
    }

    /// Records `indicators` as stored: the transaction that needed them has committed.
    func insert(_ indicators: [ReturnIndicator]) {
        guard !indicators.isEmpty else { return }
        lock.withLock {
            for indicator in indicators { known.insert(Self.key(indicator)) }
        }
    }

    private static func key(_ indicator: ReturnIndicator) -> String {
        indicator.id + "\n" + indicator.definitionVersion
    }
}
