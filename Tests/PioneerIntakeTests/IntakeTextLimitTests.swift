// Text a return may carry that a column once refused: ids longer than PostgreSQL's VARCHAR(200)
// (SQLite never enforced the lengths), and a NUL character, which PostgreSQL's text cannot hold.
// Either was answered 503 ("send it again") for ever on PostgreSQL; both databases now give
// the same verdict, and store the submission.
import Foundation
import PioneerAggregate
@testable import PioneerIntake
import PioneerReturns
import PioneerTesting
import Testing

@Suite("Intake text the columns once refused")
struct IntakeTextLimitTests {
    static func service(_ store: IntakeStore) -> IntakeService {
        IntakeService(store: store, programme: IntakeFixture.programme, clock: { IntakeFixture.at("2026-04-10") })
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aReturnWithA214CharacterIndicatorIdIsAcceptedAndCounts(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let long = "emergency-admissions-65-" + String(repeating: "x", count: 190)
            let bytes = try IntakeFixture.bytes("a", indicators: [IntakeFixture.count(12, id: long)])
            let outcome = try await Self.service(store).submit(bytes, format: .json, caller: IntakeFixture.siteCaller("a"))
            #expect(outcome.kind == .created && outcome.summary.version == 1)
            let counting = try await store.countingReturns(period: IntakeFixture.march, allMeasures: false)
            #expect(counting.received.first?.content.indicators.first?.id == long)
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func anOfficeReturnForA201CharacterSiteIsRefusedAsUnexpectedAndStored(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let site = String(repeating: "s", count: 201)
            let outcome = try await Self.service(store).submit(try IntakeFixture.bytes(site), format: .json, caller: IntakeFixture.office)
            #expect(outcome.kind == .unprocessable)
            #expect(try await store.submissions(site: site, period: "2026-03").count == 1)
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aSiteIdWithANULIsRefusedNamingTheFieldAndStoredWithoutASite(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let outcome = try await Self.service(store).submit(try IntakeFixture.bytes("tor\u{0}bay"), format: .json,
                                                               caller: IntakeFixture.office)
            #expect(outcome.kind == .unprocessable)
            #expect(outcome.summary.problems == [
                "`site.id` holds a NUL character (\\u0000), which the intake store cannot keep; remove it and make the return again",
            ])
            let stored = try await store.submissions(site: nil, period: nil)
            #expect(stored.count == 1 && stored.first?.site == nil && stored.first?.version == nil)
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func anIndicatorIdWithANULFromASiteIsRefusedAndFiledUnderTheSite(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let bytes = try IntakeFixture.bytes("a", indicators: [IntakeFixture.count(12), IntakeFixture.count(3, id: "bad\u{0}id")])
            let outcome = try await Self.service(store).submit(bytes, format: .json, caller: IntakeFixture.siteCaller("a"))
            #expect(outcome.kind == .unprocessable)
            #expect(outcome.summary.problems.first?.hasPrefix("`indicators[1].id` holds a NUL character") == true)
            let stored = try await store.submissions(site: "a", period: nil)
            #expect(stored.count == 1 && stored.first?.version == nil)
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aTokenForA300CharacterSiteIsCreatedAndASiteWithANULIsRefused(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let site = String(repeating: "t", count: 300)
            let created = try await store.createToken(role: .site, site: site)
            #expect(created.record.site == site)
            let error = await #expect(throws: IntakeStoreError.self) { try await store.createToken(role: .site, site: "tor\u{0}bay") }
            #expect(error?.kind == .invalidArgument)
            #expect(error?.message == "the site id holds a NUL character, which the intake store cannot keep")
        }
    }
}
