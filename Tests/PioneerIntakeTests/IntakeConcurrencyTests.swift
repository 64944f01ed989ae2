// Versions without gaps and one version per distinct bytes when many submit at once: on one
// store, and on two stores over one database (as two server processes would be), on SQLite
// and on PostgreSQL.
import Foundation
import PioneerAggregate
import PioneerIntake
import PioneerReturns
import PioneerTesting
import Testing

@Suite("Intake under concurrent submissions")
struct IntakeConcurrencyTests {
    /// 200 different returns for one site and period, submitted at once.
    static let submissions = 200

    static func distinctBytes(_ count: Int, site: String = "a") throws -> [[UInt8]] {
        try (0..<count).map { index in
            let made = String(format: "2026-04-10T09:%02d:%02d.%03dZ", index / 60 % 60, index % 60, index % 1000)
            return try IntakeFixture.bytes(site, made: made)
        }
    }

    static func service(_ store: IntakeStore) -> IntakeService {
        IntakeService(store: store, programme: IntakeFixture.programme, clock: { IntakeFixture.at("2026-04-10") })
    }

    /// Two versions of site a's return alternate (odd versions count 12 referrals, even ones
    /// 99) while the counting returns are read again and again: every read must show the
    /// figures of the version it names, and a status the number of versions of the same
    /// moment. Read statement by statement, a version stored between the statements named one
    /// version and showed another's figures.
    @Test(arguments: IntakeStore.Kind.allCases)
    func aReadWhileVersionsAlternateShowsTheFiguresOfTheVersionItNames(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let service = Self.service(store)
            let versions = 40
            let bodies = try (1...versions).map { version in
                try IntakeFixture.bytes("a", made: String(format: "2026-04-10T09:00:%02d.000Z", version),
                                        indicators: [IntakeFixture.count(version % 2 == 1 ? 12 : 99)])
            }
            let done = DoneFlag()
            let writing = Task {
                defer { done.set() }
                for bytes in bodies {
                    _ = try await service.submit(bytes, format: .json, caller: IntakeFixture.siteCaller("a"))
                }
            }
            var reads = 0, mismatches: [String] = []
            while true {
                let finished = done.isSet
                let counting = try await store.countingReturns(period: IntakeFixture.march, allMeasures: false, versionCounts: true)
                if let submission = counting.submissions.first(where: { $0.site == "a" }),
                   let content = counting.received.first(where: { $0.content.site.id == "a" })?.content {
                    reads += 1
                    let shown = content.indicators.first?.measures.first?.value
                    let expected: Double = submission.version % 2 == 1 ? 12 : 99
                    if shown != expected {
                        mismatches.append("version \(submission.version) with the figure \(shown.map(String.init(describing:)) ?? "none")")
                    }
                    if (counting.versions["a"] ?? 0) != submission.version {
                        mismatches.append("version \(submission.version) counting with \(counting.versions["a"] ?? 0) versions stored")
                    }
                }
                if finished || reads > 2_000 { break }
            }
            try await writing.value
            #expect(reads > 0)
            #expect(mismatches.isEmpty, "\(mismatches.count) of \(reads) reads mixed versions: \(mismatches.prefix(5))")
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func twoHundredConcurrentSubmissionsGetVersionsOneToTwoHundredWithoutGaps(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let service = Self.service(store)
            let bodies = try Self.distinctBytes(Self.submissions)
            let versions = try await withThrowingTaskGroup(of: Int?.self) { group in
                for bytes in bodies {
                    group.addTask { try await service.submit(bytes, format: .json, caller: IntakeFixture.siteCaller("a")).summary.version }
                }
                return try await group.reduce(into: [Int?]()) { $0.append($1) }
            }
            #expect(versions.compactMap { $0 }.sorted() == Array(1...Self.submissions))
            let stored = try await store.submissions(site: "a", period: "2026-03")
            #expect(stored.compactMap(\.version).sorted() == Array(1...Self.submissions))
            #expect(stored.filter(\.counts).count == 1)
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func theSameBytesSentConcurrentlyAreStoredOnce(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let service = Self.service(store)
            let bytes = try IntakeFixture.bytes("b")
            let outcomes = try await withThrowingTaskGroup(of: SubmissionOutcome.self) { group in
                for _ in 0..<50 {
                    group.addTask { try await service.submit(bytes, format: .json, caller: IntakeFixture.siteCaller("b")) }
                }
                return try await group.reduce(into: [SubmissionOutcome]()) { $0.append($1) }
            }
            #expect(outcomes.count { $0.kind == .created } == 1)
            #expect(outcomes.count { $0.kind == .duplicate } == 49)
            #expect(Set(outcomes.compactMap(\.summary.submission)).count == 1)
            #expect(try await store.submissions(site: "b", period: nil).count == 1)
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func twoStoresOnOneDatabaseNumberVersionsWithoutGapsOrDuplicates(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { first, location in
            let second = try await IntakeStore.open(location, databaseTimeout: .seconds(120))
            let services = [Self.service(first), Self.service(second)]
            let bodies = try Self.distinctBytes(120)
            // Every body is sent through both stores at once: each must be stored once.
            let outcomes = try await withThrowingTaskGroup(of: SubmissionOutcome.self) { group in
                for (index, bytes) in bodies.enumerated() {
                    for offset in 0..<2 {
                        let service = services[(index + offset) % 2]
                        group.addTask { try await service.submit(bytes, format: .json, caller: IntakeFixture.office) }
                    }
                }
                return try await group.reduce(into: [SubmissionOutcome]()) { $0.append($1) }
            }
            #expect(outcomes.count { $0.kind == .created } == bodies.count)
            #expect(outcomes.count { $0.kind == .duplicate } == bodies.count)
            let stored = try await second.submissions(site: "a", period: "2026-03")
            #expect(stored.count == bodies.count)
            #expect(stored.compactMap(\.version).sorted() == Array(1...bodies.count))
            #expect(Set(stored.map(\.digest)).count == bodies.count)
            if kind == .sqlite {
                #expect(try await second.integrityCheck() == ["ok"])
            }
            await second.close()
        }
    }
}

/// Set once, by the task that finished; read by another.
final class DoneFlag: @unchecked Sendable {
    // @unchecked: `done` is only read and written with `lock` held.
    private let lock = NSLock()
    private var done = false

    var isSet: Bool { lock.withLock { done } }
    func set() { lock.withLock { done = true } }
}
