// The national aggregate, status and history made from the rows kept beside each accepted
// return: the same bytes, field for field, as the Aggregator and HistoryBuilder give over the
// same returns read from their files; no stored return bytes read; doubles kept bit for bit;
// and a database made before the rows existed filled in when it is opened.
import Foundation
import GRDB
import PioneerAggregate
import PioneerCore
@testable import PioneerIntake
import PioneerKit
import PioneerReturns
import PioneerTesting
import Testing

@Suite("Aggregate from rows", .timeLimit(.minutes(5)))
struct RowAggregateTests {
    /// Six sites reporting monthly, with goals placed in two themes.
    static let programme = Programme(
        id: "pioneers", name: "Integrated Care Pioneers", sites: ["a", "b", "c", "d", "e", "f"], periods: [.month],
        deadlines: ReturnDeadlines(soft: DueLag(count: 15, unit: .days), hard: DueLag(count: 30, unit: .days)),
        themes: [GoalTheme(name: "Care planning", goals: ["more-plans"]), GoalTheme(name: "Flow", goals: ["fewer-admissions"])],
        file: "programme.yaml")

    static let february = Period.month(2026, 2)
    static let march = Period.month(2026, 3)

    /// An indicator with its true definition version (as `pioneer return` writes it, and as
    /// ADX needs), holding `measures`.
    static func indicator(_ id: String, _ valueType: String, name: String? = nil, factor: Int? = nil,
                          better: String = "higher", measures: [ReturnMeasure]) -> ReturnIndicator {
        var indicator = ReturnIndicator(
            id: id, name: name ?? id.capitalized, kind: "process", valueType: valueType, unit: valueType == "rate" ? "per 1,000" : "n",
            factor: factor, better: better, decimals: 2, measures: measures)
        indicator.definitionVersion = indicator.computedDefinitionVersion
        return indicator
    }

    static func measure(_ period: Period, value: Double?, numerator: Double? = nil, denominator: Double? = nil,
                        sampleSize: Int? = nil, interval: (Double, Double)? = nil, notAvailable: ReturnNotAvailable? = nil) -> ReturnMeasure {
        ReturnMeasure(period: IntakeFixture.period(period), value: value, numerator: numerator, denominator: denominator,
                      sampleSize: sampleSize, interval: interval.map { ReturnInterval(lower: $0.0, upper: $0.1, level: 0.95, method: "wilson") },
                      notAvailable: notAvailable, provenance: IntakeFixture.provenance)
    }

    /// `site`'s return for `period`: a proportion, a rate, a count, a mean and an amount, each
    /// from `seed`, and two goals, one optimistic and one pessimistic.
    static func content(_ site: String, period: Period = march, seed: Double, made: String = "2026-04-01T09:00:00.000Z",
                        plansName: String? = nil, referrals: Double? = nil, amount: Double? = nil) throws -> SiteReturn {
        let plans = 10 + seed, people = 100 + 3 * seed
        let referralsMeasure = referrals.map { measure(period, value: $0) }
            ?? measure(period, value: nil, notAvailable: ReturnNotAvailable(reason: "suppressed", detail: "fewer than 5"))
        let indicators = [
            indicator("care-plans", "proportion", name: plansName,
                      measures: [measure(period, value: plans / people, numerator: plans, denominator: people,
                                         interval: (plans / people - 0.1, plans / people + 0.1))]),
            indicator("admissions", "rate", factor: 1000, better: "lower",
                      measures: [measure(period, value: (7 + seed) / (2_000 + seed) * 1000, numerator: 7 + seed, denominator: 2_000 + seed)]),
            indicator("referrals", "count", better: "neutral", measures: [referralsMeasure]),
            indicator("length-of-stay", "mean", better: "lower",
                      measures: [measure(period, value: (0.1 + 0.2) * seed, numerator: (0.1 + 0.2) * seed * 7, denominator: 7, sampleSize: 7)]),
            indicator("cost", "amount", better: "lower", measures: [measure(period, value: amount ?? seed * 1e-300)]),
        ]
        let goals = [
            ReturnGoal(id: "more-plans", indicator: "care-plans", title: "More shared care plans",
                       baseline: ReturnPeriodValue(period: "2025-03", value: 0.1), target: ReturnPeriodValue(period: "2027-03", value: 0.5),
                       status: "at risk", selfAssessment: ReturnSelfAssessment(rag: "green", confidence: "high"), agreement: "optimistic"),
            ReturnGoal(id: "fewer-admissions", indicator: "admissions", title: "Fewer admissions",
                       baseline: ReturnPeriodValue(period: "2025-03", value: 9), target: ReturnPeriodValue(period: "2027-03", value: 6),
                       status: "on track", selfAssessment: ReturnSelfAssessment(rag: "red", confidence: "low"), agreement: "pessimistic"),
            ReturnGoal(id: "unplaced", indicator: "referrals", title: "A goal no theme holds",
                       baseline: ReturnPeriodValue(period: "2025-03", value: 1), target: ReturnPeriodValue(period: "2027-03", value: 2),
                       agreement: "agrees"),
        ]
        return try ReturnCoding.signed(SiteReturn(
            generator: Generator(version: "0.1.0"), site: SiteIdentity(id: site, name: "Site \(site)", region: "South West", wave: "1"),
            period: IntakeFixture.period(period), generatedAt: made, complete: site != "f",
            missing: site != "f" ? [] : [MissingMeasure(indicator: "referrals", period: period.label, reason: "nothing collected")],
            indicators: indicators, goals: goals, runs: []))
    }

    /// One submission as sent: its bytes, format, and the day the server received it.
    struct Sent {
        var bytes: [UInt8]
        var format: SubmissionFormat
        var day: String
    }

    /// The programme's returns for February and March: several sites and versions, a late and a
    /// rejected submission, an ADX one, a definition that differs at one site, awkward doubles.
    static func submissions() throws -> [Sent] {
        func json(_ content: SiteReturn, _ day: String) throws -> Sent { Sent(bytes: try IntakeFixture.bytes(content), format: .json, day: day) }
        return [
            try json(try content("a", period: february, seed: 1, made: "2026-03-05T09:00:00.000Z", referrals: 3), "2026-03-05"),
            try json(try content("b", period: february, seed: 2, made: "2026-03-05T09:00:00.000Z", referrals: 4), "2026-03-06"),
            try json(try content("c", period: february, seed: 3, made: "2026-03-05T09:00:00.000Z"), "2026-03-07"),
            // March: -0.0, 0.1 + 0.2 and 1e-300 in the values, and a count past 2^53.
            try json(try content("a", seed: 1, referrals: -0.0, amount: 0.1 + 0.2), "2026-04-02"),
            try json(try content("b", seed: 2, referrals: 9_007_199_254_740_993), "2026-04-03"),
            // b again, later: version 2 counts.
            try json(try content("b", seed: 5, made: "2026-04-11T09:00:00.000Z", referrals: 12), "2026-04-11"),
            // c after the soft deadline: late; its care-plans defined differently (another name).
            try json(try content("c", seed: 3, plansName: "Care plans shared with the patient", referrals: 1e15 + 0.5), "2026-04-20"),
            try json(try content("d", seed: 4, referrals: 7), "2026-04-04"),
            // d again, breaking the rules (a proportion above 1): rejected, version 1 still counts.
            try json(try {
                var bad = try content("d", seed: 4, made: "2026-04-12T09:00:00.000Z", referrals: 7)
                bad.indicators[0].measures[0].numerator = 500
                bad.indicators[0].measures[0].value = 5
                return try ReturnCoding.signed(bad)
            }(), "2026-04-12"),
            Sent(bytes: Array(try ADXDocument.xml(try content("e", seed: 6, referrals: 2)).utf8), format: .adx, day: "2026-04-05"),
            // f: incomplete, the referrals not available.
            try json(try content("f", seed: 7), "2026-04-06"),
        ]
    }

    /// Submits every return on its day; the submission ids of those accepted, by site and period.
    static func submitAll(_ store: IntakeStore, clock: TestClock) async throws -> [String: [(id: String, version: Int, sent: Sent)]] {
        let service = IntakeService(store: store, programme: programme, clock: clock.function)
        var accepted: [String: [(id: String, version: Int, sent: Sent)]] = [:]
        for sent in try submissions() {
            clock.set(IntakeFixture.at(sent.day))
            let outcome = try await service.submit(sent.bytes, format: sent.format, caller: IntakeFixture.office)
            if outcome.kind == .created {
                let key = "\(outcome.summary.site ?? "")/\(outcome.summary.period ?? "")"
                accepted[key, default: []].append((try #require(outcome.summary.submission), try #require(outcome.summary.version), sent))
            } else {
                #expect(outcome.kind == .unprocessable && outcome.summary.site == "d", "\(outcome.summary.problems)")
            }
        }
        return accepted
    }

    /// Every return submitted to a service over `store`, whose clock then stands at ``asOf``.
    static func submitted(_ store: IntakeStore) async throws -> (IntakeService, [String: [(id: String, version: Int, sent: Sent)]]) {
        let clock = TestClock(IntakeFixture.at(asOf))
        let accepted = try await submitAll(store, clock: clock)
        clock.set(IntakeFixture.at(asOf))
        return (IntakeService(store: store, programme: programme, clock: clock.function), accepted)
    }

    /// What the Aggregator takes for `period` from the files: the latest accepted version of
    /// each site, read from the bytes sent, named and dated as the service names and dates them.
    static func filesReceived(_ accepted: [String: [(id: String, version: Int, sent: Sent)]], period: Period) throws -> [ReceivedReturn] {
        let jsonContents = try accepted.values.flatMap { $0 }.filter { $0.sent.format == .json }.map {
            try ReturnReader.read(data: Data($0.sent.bytes), file: "definitions")
        }
        let catalogue = DefinitionCatalogue(jsonContents)
        return try programme.sites.compactMap { site -> ReceivedReturn? in
            guard let latest = accepted["\(site)/\(period.label)"]?.last else { return nil }
            let source = "submission \(latest.id) (\(site) \(period.label) version \(latest.version))"
            let day = CalendarDate(iso: Substring(latest.sent.day))
            switch ReturnImport.read(latest.sent.bytes, format: latest.sent.format, catalogue: catalogue, source: source, receivedOn: day) {
            case .success(let item): return item
            case .failure(let failure): throw HarnessError(failure.message)
            }
        }
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static let asOf = "2026-04-25"

    @Test(arguments: IntakeStore.Kind.allCases)
    func theAggregateAndHistoryFromRowsAreTheAggregatorsOverTheFilesByteForByte(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let (service, accepted) = try await Self.submitted(store)
            let day = try #require(CalendarDate(iso: Substring(Self.asOf)))

            let national = try await service.aggregate(period: Self.march, options: FunnelOptions())
            let expected = Aggregator(programme: Self.programme, period: Self.march, asOf: day)
                .aggregate(try Self.filesReceived(accepted, period: Self.march))
            #expect(try Self.json(national) == Self.json(expected))

            // What the case is made of, so an equality of two empty aggregates cannot pass.
            #expect(national.accepted == ["a", "b", "c", "d", "e", "f"])
            #expect(national.completeness.sites.map(\.status.rawValue) == ["on time", "on time", "late", "on time", "on time", "incomplete"])
            #expect(national.goalsNotCarried == ["e"])
            #expect(national.confidenceGaps.map(\.agreement).sorted() == Array(repeating: "optimistic", count: 5) + Array(repeating: "pessimistic", count: 5))
            #expect(national.themes.map(\.theme) == ["Care planning", "Flow", "no theme"])
            let plans = try #require(national.indicators.first { $0.id == "care-plans" })
            #expect(plans.pooled == nil && plans.definitions.count == 2, "c defines care-plans differently")
            let admissions = try #require(national.indicators.first { $0.id == "admissions" })
            #expect(admissions.pooled?.numerator == [8.0, 12, 10, 11, 13, 14].reduce(0, +))
            let referrals = try #require(national.indicators.first { $0.id == "referrals" })
            let values = Dictionary(uniqueKeysWithValues: referrals.sites.map { ($0.site, $0) })
            #expect(values["a"]?.value?.bitPattern == (-0.0).bitPattern)
            #expect(values["b"]?.value == 12)
            #expect(values["c"]?.value == 1e15 + 0.5)
            #expect(values["f"]?.value == nil && values["f"]?.notAvailable == "suppressed: fewer than 5")
            let cost = try #require(national.indicators.first { $0.id == "cost" })
            #expect(cost.sites.first { $0.site == "a" }?.value == 0.1 + 0.2)
            #expect(cost.sites.first { $0.site == "d" }?.value == 4e-300)

            let status = try await service.status(period: Self.march)
            #expect(status.sites.map(\.status) == national.completeness.sites.map(\.status.rawValue))
            #expect(status.sites.map(\.version) == [1, 2, 1, 1, 1, 1])
            #expect(status.sites.map(\.versions) == [1, 2, 1, 2, 1, 1])

            let history = try await service.history(period: Self.march, options: FunnelOptions(), periods: 3)
            var builder = HistoryBuilder(programme: Self.programme, period: Self.march, asOf: day)
            builder.add(try Self.filesReceived(accepted, period: Self.february), for: Self.february)
            builder.add(try Self.filesReceived(accepted, period: Self.march), for: Self.march)
            #expect(try ReportJSON.encode(history) == ReportJSON.encode(builder.history()))
            #expect(history.periods.map(\.period) == ["2026-02", "2026-03"])
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func theAggregateReadsRowsNotTheStoredBytes(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, location in
            let (service, _) = try await Self.submitted(store)
            let before = try Self.json(try await service.aggregate(period: Self.march, options: FunnelOptions()))
            let history = try ReportJSON.encode(try await service.history(period: Self.march, options: FunnelOptions(), periods: 2))

            // The bytes stay the record of what was received; the aggregate must not need them.
            try await Self.execute("UPDATE submission SET body = \(kind == .sqlite ? "X'00'" : "'\\x00'::bytea")", kind: kind, location: location)
            let garbage = try #require(try await store.submissions(site: "a", period: "2026-03").first?.id)
            #expect(try await store.body(ofSubmission: garbage) == [0])

            #expect(try Self.json(try await service.aggregate(period: Self.march, options: FunnelOptions())) == before)
            #expect(try ReportJSON.encode(try await service.history(period: Self.march, options: FunnelOptions(), periods: 2)) == history)
            #expect(try await service.aggregate(period: Self.march, options: FunnelOptions()).accepted.count == 6)
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aDatabaseFromBeforeTheRowsIsFilledInWhenOpenedAndAggregatesTheSame(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, location in
            let (service, _) = try await Self.submitted(store)
            let before = try Self.json(try await service.aggregate(period: Self.march, options: FunnelOptions()))

            // The database as intake-v1 left it: the same submissions, no rows, no index by period, no record of v2, v3 or v4.
            let migrations = kind == .sqlite ? "grdb_migrations" : "pioneer_migrations"
            try await Self.execute("""
                DROP TABLE return_goal; DROP TABLE return_measure; DROP TABLE return_indicator; DROP TABLE return_fact;
                DROP INDEX submission_period;
                DELETE FROM \(migrations) WHERE identifier IN ('intake-v2-return-rows', 'intake-v3-speed', 'intake-v4-text')
                """, kind: kind, location: location)

            let reopened = try await IntakeStore.open(location, databaseTimeout: .seconds(120))
            #expect(try await reopened.schemaVersions() == ["intake-v1", "intake-v2-return-rows", "intake-v3-speed", "intake-v4-text"])
            let after = try Self.json(try await IntakeService(store: reopened, programme: Self.programme, clock: service.clock)
                .aggregate(period: Self.march, options: FunnelOptions()))
            await reopened.close()
            #expect(after == before)
            // Every accepted version got its rows (the rejected one none): a, b ×2, c, d, e, f in March, a, b, c in February.
            let facts = try await Self.execute("SELECT COUNT(*) FROM return_fact", kind: kind, location: location)
            #expect(facts == "10")
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func doublesComeBackFromTheRowsBitForBit(kind: IntakeStore.Kind) async throws {
        // The largest the value rules accept is ±1e100 (beyond, the sums and ratios overflow).
        let awkward: [Double] = [-0.0, 0.1 + 0.2, 1e-300, 5e-324, 9_007_199_254_740_993, 1e100, -9.999999999999999e99, 123_456_789.123_456_789]
        try await withIntakeStore(kind) { store, _ in
            let service = IntakeService(store: store, programme: Self.programme, clock: { IntakeFixture.at("2026-04-10") })
            for (index, value) in awkward.enumerated() {
                let site = Self.programme.sites[index % Self.programme.sites.count]
                let content = try Self.content(site, seed: 1, made: "2026-04-10T09:00:0\(index).000Z", amount: value)
                let outcome = try await service.submit(try IntakeFixture.bytes(content), format: .json, caller: IntakeFixture.office)
                #expect(outcome.kind == .created, "\(outcome.summary.problems)")
                let counting = try await store.countingReturns(period: Self.march, allMeasures: false)
                let cost = counting.received.first { $0.content.site.id == site }?.content.indicators.first { $0.id == "cost" }
                #expect(cost?.measures.first?.value?.bitPattern == value.bitPattern, "\(value) came back as \(String(describing: cost?.measures.first?.value))")
            }
        }
    }

    /// intake-v3 rebuilt SQLite's row tables without their foreign keys (PostgreSQL's are
    /// dropped in place, checked in PostgresStoreTests).
    @Test func sqlitesRowTablesHaveNoForeignKeys() async throws {
        try await withIntakeStore(.sqlite) { _, location in
            for table in ["return_fact", "return_indicator", "return_measure", "return_goal"] {
                let keys = try await Self.execute("SELECT COUNT(*) FROM pragma_foreign_key_list('\(table)')", kind: .sqlite, location: location)
                #expect(keys == "0", "\(table)")
            }
        }
    }

    /// Text with every character COPY's text format escapes (PostgreSQL's rows are written with
    /// COPY) and what SQL quoting trips on comes back from the rows as it was sent.
    @Test(arguments: IntakeStore.Kind.allCases)
    func awkwardTextComesBackFromTheRowsExactly(kind: IntakeStore.Kind) async throws {
        let awkward = "tab\there, line\nbreak, return\r, back\\slash, \\N, \\., 'quote' \"double\" é € 🚑 \u{01}"
        try await withIntakeStore(kind) { store, _ in
            let service = IntakeService(store: store, programme: Self.programme, clock: { IntakeFixture.at("2026-04-10") })
            var content = try Self.content("a", seed: 1)
            content.goals[0].title = awkward
            content.indicators[2].measures[0].notAvailable = ReturnNotAvailable(reason: "suppressed", detail: awkward)
            let outcome = try await service.submit(try IntakeFixture.bytes(try ReturnCoding.signed(content)), format: .json,
                                                   caller: IntakeFixture.office)
            #expect(outcome.kind == .created, "\(outcome.summary.problems)")
            let counting = try await store.countingReturns(period: Self.march, allMeasures: false)
            let read = try #require(counting.received.first { $0.content.site.id == "a" }?.content)
            #expect(read.goals.first { $0.id == "more-plans" }?.title == awkward)
            #expect(read.indicators.first { $0.id == "referrals" }?.measures.first?.notAvailable?.detail == awkward)
        }
    }

    /// Runs `sql` (statements separated by `;`) on the store's database beside the store; the
    /// first column of the last statement's first row, if any.
    @discardableResult
    static func execute(_ sql: String, kind: IntakeStore.Kind, location: String) async throws -> String? {
        switch kind {
        case .sqlite:
            let queue = try DatabaseQueue(path: location)
            defer { try? queue.close() }
            return try await queue.write { db in
                let statements = sql.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
                var last: String?
                for statement in statements {
                    if statement.hasPrefix("SELECT") {
                        last = try Int.fetchOne(db, sql: statement).map(String.init)
                    } else {
                        try db.execute(sql: statement)
                    }
                }
                return last
            }
        case .postgres:
            let database = String(location.split(separator: "/").last ?? "")
            let output = try await PostgresCluster.shared().psql(sql, database: database)
            return output.split(separator: "\n").last.map(String.init)
        }
    }
}

@Suite("Aggregate from rows: a database changed outside pioneer")
struct RowAggregateCorruptionTests {
    /// The aggregate reads every stored definition whole; one a counting return uses that no
    /// longer reads as a definition is named, never aggregated as if it were another.
    @Test func aDefinitionThatNoLongerReadsIsNamedAsCorrupt() async throws {
        try await withIntakeStore(.sqlite) { store, path in
            let service = IntakeService(store: store, programme: IntakeFixture.programme,
                                        clock: TestClock(IntakeFixture.at("2026-04-10")).function)
            let outcome = try await service.submit(try IntakeFixture.bytes("a"), format: .json, caller: IntakeFixture.siteCaller("a"))
            #expect(outcome.kind == .created)
            let before = try await store.countingReturns(period: IntakeFixture.march, allMeasures: false)
            #expect(before.received.first?.content.indicators.map(\.id) == ["care-plans", "referrals"])

            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                try db.execute(sql: "UPDATE indicator_definition SET definition = 'not a definition' WHERE indicator = 'referrals'")
            }
            try await queue.close()
            let error = await #expect(throws: IntakeStoreError.self) {
                try await store.countingReturns(period: IntakeFixture.march, allMeasures: false)
            }
            #expect(error?.kind == .corrupt)
            #expect(error?.description.contains("referrals version") == true, "\(error?.description ?? "")")
            #expect(error?.description.contains("1 stored definitions cannot be") == true, "\(error?.description ?? "")")
        }
    }
}
