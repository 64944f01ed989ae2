// Returns, programmes, stores and clocks for the intake's tests: signed returns as `pioneer
// return` writes them, a five-site monthly programme, and a clock a test sets.
import Foundation
import PioneerCore
import PioneerIntake
import PioneerKit
import PioneerReturns
import PioneerTesting

enum IntakeFixture {
    /// Five sites reporting monthly: on time to the 15th of the next month, late to the 30th.
    static let programme = Programme(
        id: "pioneers", name: "Integrated Care Pioneers", sites: ["a", "b", "c", "d", "e"], periods: [.month],
        deadlines: ReturnDeadlines(soft: DueLag(count: 15, unit: .days), hard: DueLag(count: 30, unit: .days)),
        themes: [], file: "programme.yaml")

    static let march = Period.month(2026, 3)

    /// A moment on a day, UTC.
    static func at(_ day: String, _ time: String = "09:00:00") -> Date {
        ISO8601DateFormatter().date(from: "\(day)T\(time)Z") ?? Date(timeIntervalSince1970: 0)
    }

    static func period(_ period: Period) -> ReturnPeriod {
        ReturnPeriod(label: period.label, type: period.type.rawValue, start: period.start.description, end: period.end.description)
    }

    static let provenance = ReturnProvenance(plugin: "json", runID: 1, collectedAt: "2026-04-02T08:00:00.000Z", sources: [])

    static func proportion(_ id: String = "care-plans", numerator: Double, denominator: Double, value: Double? = nil,
                           period: Period = march) -> ReturnIndicator {
        ReturnIndicator(
            id: id, name: "Shared care plans", kind: "process", valueType: "proportion", unit: "%", factor: nil,
            better: "higher", decimals: 1,
            measures: [ReturnMeasure(period: Self.period(period), value: value ?? numerator / denominator,
                                     numerator: numerator, denominator: denominator, provenance: provenance)])
    }

    static func count(_ value: Double?, id: String = "referrals", period: Period = march,
                      notAvailable: ReturnNotAvailable? = nil) -> ReturnIndicator {
        ReturnIndicator(
            id: id, name: "Referrals", kind: "process", valueType: "count", unit: "referrals", factor: nil,
            better: "neutral", decimals: 0,
            measures: [ReturnMeasure(period: Self.period(period), value: value, notAvailable: notAvailable, provenance: provenance)])
    }

    /// `site`'s signed return for `period`; `made` sets its generatedAt, so two returns made
    /// at different moments are different bytes.
    static func content(_ site: String, period: Period = march, made: String = "2026-04-10T09:00:00.000Z",
                        complete: Bool = true, indicators: [ReturnIndicator]? = nil) throws -> SiteReturn {
        let content = SiteReturn(
            generator: Generator(version: "0.1.0"),
            site: SiteIdentity(id: site, name: "Site \(site)", region: "South West", wave: "1"),
            period: Self.period(period), generatedAt: made, complete: complete,
            missing: complete ? [] : [MissingMeasure(indicator: "care-plans", period: period.label, reason: "nothing collected")],
            indicators: indicators ?? [proportion(numerator: 30, denominator: 100), count(12)], goals: [], runs: [])
        return try ReturnCoding.signed(content)
    }

    /// The bytes of a return as `pioneer return` writes them.
    static func bytes(_ content: SiteReturn) throws -> [UInt8] {
        [UInt8](try ReturnCoding.pretty(content))
    }

    static func bytes(_ site: String, period: Period = march, made: String = "2026-04-10T09:00:00.000Z",
                      indicators: [ReturnIndicator]? = nil) throws -> [UInt8] {
        try bytes(content(site, period: period, made: made, indicators: indicators))
    }

    static func siteCaller(_ site: String) -> Caller { Caller(tokenID: "t-\(site)", role: .site, site: site) }
    static let office = Caller(tokenID: "t-office", role: .office, site: nil)
}

/// A clock a test moves: the server's "now". Guarded by a lock, as the service reads it from many tasks.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var date: Date

    init(_ date: Date) { self.date = date }

    var now: Date { lock.withLock { date } }

    func set(_ date: Date) { lock.withLock { self.date = date } }

    var function: @Sendable () -> Date { { self.now } }
}

/// Runs `body` with a fresh store and its location (`--db`): a SQLite file in a temporary
/// folder, whose integrity is checked after, or a new database on the tests' PostgreSQL cluster.
func withIntakeStore<T>(_ kind: IntakeStore.Kind = .sqlite,
                        _ body: (_ store: IntakeStore, _ location: String) async throws -> T) async throws -> T {
    switch kind {
    case .sqlite:
        return try await withTemporaryFolder(prefix: "pioneer-intake") { folder in
            let path = folder.appendingPathComponent("intake.sqlite").path
            let store = try IntakeStore(path: path)
            let result = try await body(store, path)
            let integrity = try await store.integrityCheck()
            guard integrity == ["ok"] else { throw IntegrityFailure(problems: integrity) }
            return result
        }
    case .postgres:
        let url = try await PostgresCluster.shared().createDatabase()
        // The whole suite runs at once on two cores, and the concurrency tests queue two
        // hundred writers on one site and period: a wait of 10 s is not a fault here.
        let store = try await IntakeStore.open(url, databaseTimeout: .seconds(120))
        do {
            let result = try await body(store, url)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}

struct IntegrityFailure: Error, CustomStringConvertible {
    var problems: [String]
    var description: String { "integrity_check found: \(problems.joined(separator: "; "))" }
}
