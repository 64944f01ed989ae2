// The import as a site and the office see it: versions, duplicates, rejections stored and
// queryable, another site's return refused, malformed bytes kept, deadlines by the server's clock.
import Foundation
import PioneerAggregate
import PioneerCore
import PioneerIntake
import PioneerKit
import PioneerReturns
import Testing

@Suite("Intake service")
struct IntakeServiceTests {
    let clock = TestClock(IntakeFixture.at("2026-04-10"))

    func service(_ store: IntakeStore) -> IntakeService {
        IntakeService(store: store, programme: IntakeFixture.programme, clock: clock.function)
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aFirstReturnIsStoredAsVersionOneWithItsBytesAndSummary(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let bytes = try IntakeFixture.bytes("a")
            let outcome = try await service(store).submit(bytes, format: .json, caller: IntakeFixture.siteCaller("a"))
            #expect(outcome.kind == .created)
            let summary = outcome.summary
            #expect(outcome.summaryJSON == summary.jsonText)
            #expect(summary.status == .accepted)
            #expect(summary.site == "a" && summary.period == "2026-03" && summary.version == 1)
            #expect(!summary.duplicate && !summary.late)
            #expect(summary.receivedAt == "2026-04-10T09:00:00.000Z")
            #expect(summary.digest.hasPrefix("sha256:") && summary.digest.count == 7 + 64)
            #expect(summary.values.map(\.indicator) == ["care-plans", "referrals"])
            #expect(summary.values.allSatisfy { $0.status == "accepted" && $0.reason == nil })
            #expect(summary.accepted == 2 && summary.rejected == 0 && summary.warnings == 0)

            let records = try await store.submissions(site: "a", period: "2026-03")
            #expect(records.count == 1)
            let record = try #require(records.first)
            #expect(record.id == summary.submission)
            #expect(record.version == 1 && record.counts && record.status == .accepted && record.format == .json)
            #expect(record.size == bytes.count && record.digest == summary.digest)
            #expect(record.summary == summary)
            #expect(try await store.body(ofSubmission: record.id) == bytes)
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aResubmissionBecomesTheNextVersionAndTheLatestAcceptedCounts(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let service = service(store)
            let first = try await service.submit(try IntakeFixture.bytes("a"), format: .json, caller: IntakeFixture.siteCaller("a"))
            let second = try await service.submit(try IntakeFixture.bytes("a", made: "2026-04-11T09:00:00.000Z"),
                                                  format: .json, caller: IntakeFixture.siteCaller("a"))
            #expect(first.summary.version == 1 && second.summary.version == 2 && second.kind == .created)
            let records = try await store.submissions(site: "a", period: nil)
            #expect(records.map(\.version) == [1, 2])
            #expect(records.map(\.counts) == [false, true])
            let counting = try await store.countingReturns(period: "2026-03")
            #expect(counting.map(\.record.version) == [2])
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func theSameBytesTwiceAreOneVersionAndTheFirstAnswerStands(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let service = service(store)
            let bytes = try IntakeFixture.bytes("a")
            let first = try await service.submit(bytes, format: .json, caller: IntakeFixture.siteCaller("a"))
            clock.set(IntakeFixture.at("2026-04-20"))
            let again = try await service.submit(bytes, format: .json, caller: IntakeFixture.office)
            #expect(again.kind == .duplicate)
            #expect(again.summary.duplicate)
            #expect(again.summary.submission == first.summary.submission && again.summary.version == 1)
            // The first receipt's date and timeliness, not the repeat's.
            #expect(again.summary.receivedAt == first.summary.receivedAt && !again.summary.late)
            #expect(try await store.submissions(site: nil, period: nil).count == 1)
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aValueThatBreaksTheRulesRejectsTheWholeReturnWhichIsStoredAndQueryable(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let service = service(store)
            let bytes = try IntakeFixture.bytes("a", indicators: [
                IntakeFixture.proportion(numerator: 130, denominator: 100), IntakeFixture.count(12),
            ])
            let outcome = try await service.submit(bytes, format: .json, caller: IntakeFixture.siteCaller("a"))
            #expect(outcome.kind == .unprocessable)
            let summary = outcome.summary
            #expect(summary.status == .rejected && summary.version == 1)
            #expect(summary.problems.count == 1)
            #expect(summary.problems.first?.contains("values break the rules") == true)
            #expect(summary.problems.first?.contains("`care-plans` for 2026-03 is a proportion of 1.3, outside 0 to 1") == true)
            let carePlans = try #require(summary.values.first { $0.indicator == "care-plans" })
            #expect(carePlans.status == "rejected")
            #expect(carePlans.reason?.contains("numerator (130) above its denominator (100)") == true)
            // The sound value is not taken either: no partial success.
            let referrals = try #require(summary.values.first { $0.indicator == "referrals" })
            #expect(referrals.status == "rejected" && referrals.reason?.hasPrefix("not taken: the return was rejected") == true)
            #expect(summary.accepted == 0 && summary.rejected == 2)

            let record = try #require(try await store.submissions(site: "a", period: "2026-03").first)
            #expect(record.status == .rejected && !record.counts && record.version == 1)
            #expect(try await store.body(ofSubmission: record.id) == bytes)
            #expect(try await store.countingReturns(period: "2026-03").isEmpty)

            // A corrected return is the next version, and counts.
            let corrected = try await service.submit(try IntakeFixture.bytes("a", made: "2026-04-11T09:00:00.000Z"),
                                                     format: .json, caller: IntakeFixture.siteCaller("a"))
            #expect(corrected.kind == .created && corrected.summary.version == 2)
            #expect(try await store.countingReturns(period: "2026-03").map(\.record.version) == [2])
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aRejectedReturnSentAgainIsStillARejection(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let service = service(store)
            let bytes = try IntakeFixture.bytes("a", indicators: [IntakeFixture.count(-4)])
            _ = try await service.submit(bytes, format: .json, caller: IntakeFixture.siteCaller("a"))
            let again = try await service.submit(bytes, format: .json, caller: IntakeFixture.siteCaller("a"))
            #expect(again.kind == .unprocessable)
            #expect(again.summary.duplicate && again.summary.status == .rejected && again.summary.version == 1)
            #expect(again.summary.values.first?.reason == "`referrals` for 2026-03 is a negative count (-4)")
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func malformedBytesAreStoredUnderTheSendingSiteWithoutAVersion(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let service = service(store)
            let bytes = Array(#"{"schemaVersion": 1, "site": "#.utf8)
            let outcome = try await service.submit(bytes, format: .json, caller: IntakeFixture.siteCaller("b"))
            #expect(outcome.kind == .malformed)
            #expect(outcome.summary.status == .rejected)
            #expect(outcome.summary.site == "b" && outcome.summary.period == nil && outcome.summary.version == nil)
            #expect(outcome.summary.problems == ["is not JSON: line 1, column 30: the body ends inside a value"]
                    || outcome.summary.problems.first?.hasPrefix("is not JSON") == true)
            let id = try #require(outcome.summary.submission)
            let record = try #require(try await store.submission(id: id))
            #expect(record.site == "b" && record.period == nil && record.version == nil && record.status == .rejected && !record.counts)
            #expect(try await store.body(ofSubmission: id) == bytes)

            // JSON that is not a return, from the office: stored, under no site.
            let notAReturn = try await service.submit(Array(#"{"schemaVersion": 1}"#.utf8), format: .json, caller: IntakeFixture.office)
            #expect(notAReturn.kind == .malformed)
            #expect(notAReturn.summary.site == nil)
            #expect(notAReturn.summary.problems.first?.contains("is missing") == true)
            #expect(try await store.submissions(site: nil, period: nil).count == 2)
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func anUnknownSchemaVersionIsUnprocessableAndStored(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let outcome = try await service(store).submit(Array(#"{"schemaVersion": 7}"#.utf8), format: .json,
                                                          caller: IntakeFixture.siteCaller("a"))
            #expect(outcome.kind == .unprocessable)
            #expect(outcome.summary.problems.first?.contains("schemaVersion 7 is not one this pioneer reads") == true)
            #expect(try await store.submissions(site: "a", period: nil).count == 1)
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aSiteTokenCannotSubmitAnotherSitesReturn(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let service = service(store)
            let bytes = try IntakeFixture.bytes("b")
            let outcome = try await service.submit(bytes, format: .json, caller: IntakeFixture.siteCaller("a"))
            #expect(outcome.kind == .forbidden)
            #expect(outcome.summary.status == .rejected && outcome.summary.version == nil)
            #expect(outcome.summary.problems == ["this token is for site `a`; it cannot submit a return for site `b`"])
            // Kept, filed under the sender, and taking none of b's versions.
            #expect(try await store.submissions(site: "a", period: nil).count == 1)
            #expect(try await store.submissions(site: "b", period: nil).isEmpty)

            let own = try await service.submit(bytes, format: .json, caller: IntakeFixture.siteCaller("b"))
            #expect(own.kind == .created && own.summary.version == 1 && !own.summary.duplicate)
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aPeriodLabelPioneerCannotReadIsUnprocessableAndSaysWhy(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            var content = try IntakeFixture.content("a")
            content.period.label = "March 2026"
            let outcome = try await service(store).submit(try IntakeFixture.bytes(try ReturnCoding.signed(content)), format: .json,
                                                          caller: IntakeFixture.siteCaller("a"))
            #expect(outcome.kind == .unprocessable && outcome.summary.version == 1 && outcome.summary.period == "March 2026")
            let problem = try #require(outcome.summary.problems.first)
            #expect(problem.hasPrefix("its period `March 2026` is not a period pioneer knows ("))
            #expect(!problem.contains("PeriodParseError"), "\(problem)")
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func theOfficeMaySubmitForAnySite(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let outcome = try await service(store).submit(try IntakeFixture.bytes("c"), format: .json, caller: IntakeFixture.office)
            #expect(outcome.kind == .created && outcome.summary.site == "c" && outcome.summary.version == 1)
        }
    }

    @Test(arguments: [
        ("tampered", "its digest does not match its content"),
        ("unexpected site", "site `z` is not one the programme expects (a, b, c, d, e)"),
        ("unexpected period", "the programme collects returns by month, not by calendar quarter"),
    ], IntakeStore.Kind.allCases)
    func aReturnTheAggregateWouldLeaveOutIsUnprocessable(_ example: (String, String), kind: IntakeStore.Kind) async throws {
        let (`case`, reason) = example
        try await withIntakeStore(kind) { store, _ in
            var content: SiteReturn
            switch `case` {
            case "tampered":
                content = try IntakeFixture.content("a")
                content.generatedAt = "2026-04-09T09:00:00.000Z"
            case "unexpected site":
                content = try IntakeFixture.content("z")
            default:
                let quarter = Period.quarter(2026, 1)
                content = try IntakeFixture.content("a", period: quarter, indicators: [IntakeFixture.count(3, period: quarter)])
            }
            let outcome = try await service(store).submit(try IntakeFixture.bytes(content), format: .json, caller: IntakeFixture.office)
            #expect(outcome.kind == .unprocessable)
            #expect(outcome.summary.status == .rejected)
            #expect(outcome.summary.problems.first?.contains(reason) == true, "\(outcome.summary.problems)")
            #expect(outcome.summary.version == 1)
            #expect(outcome.summary.values.allSatisfy { $0.status == "rejected" })
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func lateIsJudgedByTheServersClockNotTheReturnsOwnDate(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let service = service(store)
            // Made on time by the site's clock, received after the soft deadline (15 April).
            clock.set(IntakeFixture.at("2026-04-16", "00:00:01"))
            let late = try await service.submit(try IntakeFixture.bytes("a", made: "2026-04-10T09:00:00.000Z"),
                                                format: .json, caller: IntakeFixture.siteCaller("a"))
            #expect(late.kind == .created)
            #expect(late.summary.late && late.summary.status == .accepted)

            clock.set(IntakeFixture.at("2026-04-15", "23:59:59"))
            let onTime = try await service.submit(try IntakeFixture.bytes("b"), format: .json, caller: IntakeFixture.siteCaller("b"))
            #expect(!onTime.summary.late)

            // After the hard deadline (30 April): taken, marked late, with a warning that the aggregate counts it missing.
            clock.set(IntakeFixture.at("2026-05-01"))
            let afterHard = try await service.submit(try IntakeFixture.bytes("c"), format: .json, caller: IntakeFixture.siteCaller("c"))
            #expect(afterHard.kind == .created)
            #expect(afterHard.summary.late && afterHard.summary.status == .acceptedWithWarnings)
            #expect(afterHard.summary.problems == ["received on 2026-05-01, after the hard deadline of 2026-04-30: stored and marked late, but the national aggregate counts a return this late as missing"])

            let records = try await store.submissions(site: nil, period: "2026-03")
            #expect(records.map(\.late) == [false, true, true])

            let status = try await service.status(period: IntakeFixture.march)
            #expect(status.softDeadline == "2026-04-15" && status.hardDeadline == "2026-04-30")
            #expect(status.asOf == "2026-05-01T09:00:00.000Z")
            #expect(status.sites.map(\.site) == ["a", "b", "c", "d", "e"])
            #expect(status.sites.map(\.status) == ["late", "on time", "missing", "missing", "missing"])
            #expect(status.sites.map(\.versions) == [1, 1, 1, 0, 0])
            #expect(status.sites[0].receivedAt == "2026-04-16T00:00:01.000Z" && status.sites[0].version == 1)
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func sitesNotYetHeardFromAreAwaitedUntilTheHardDeadline(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let service = service(store)
            let incomplete = try IntakeFixture.content("d", complete: false)
            let outcome = try await service.submit(try IntakeFixture.bytes(incomplete), format: .json, caller: IntakeFixture.siteCaller("d"))
            #expect(outcome.summary.status == .acceptedWithWarnings)
            #expect(outcome.summary.problems == ["the return is marked incomplete: 1 required measure is missing"])
            _ = try await service.submit(try IntakeFixture.bytes("e", indicators: [IntakeFixture.count(-1)]),
                                         format: .json, caller: IntakeFixture.siteCaller("e"))
            let status = try await service.status(period: IntakeFixture.march)
            #expect(status.sites.map(\.status) == ["awaited", "awaited", "awaited", "incomplete", "awaited"])
            #expect(status.sites.map(\.versions) == [0, 0, 0, 1, 1])
            #expect(status.sites[4].version == nil)
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aValueNotAvailableIsAWarningNotARejection(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let bytes = try IntakeFixture.bytes("a", indicators: [
                IntakeFixture.proportion(numerator: 3, denominator: 10),
                IntakeFixture.count(nil, notAvailable: ReturnNotAvailable(reason: "suppressed", detail: "fewer than 5")),
            ])
            let outcome = try await service(store).submit(bytes, format: .json, caller: IntakeFixture.siteCaller("a"))
            #expect(outcome.kind == .created && outcome.summary.status == .acceptedWithWarnings)
            #expect(outcome.summary.values.map(\.status) == ["accepted", "warning"])
            #expect(outcome.summary.values[1].reason == "no value: suppressed: fewer than 5")
            #expect(outcome.summary.accepted == 1 && outcome.summary.warnings == 1)
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func theAggregateFromTheStoreIsTheAggregatorsOverTheCountingVersions(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let service = service(store)
            let a1 = try IntakeFixture.content("a", indicators: [IntakeFixture.proportion(numerator: 30, denominator: 100)])
            let b1 = try IntakeFixture.content("b", indicators: [IntakeFixture.proportion(numerator: 10, denominator: 50)])
            let b2 = try IntakeFixture.content("b", made: "2026-04-10T10:00:00.000Z",
                                               indicators: [IntakeFixture.proportion(numerator: 20, denominator: 50)])
            let bad = try IntakeFixture.content("b", made: "2026-04-10T11:00:00.000Z",
                                                indicators: [IntakeFixture.proportion(numerator: 60, denominator: 50)])
            for content in [a1, b1, b2, bad] {
                _ = try await service.submit(try IntakeFixture.bytes(content), format: .json, caller: IntakeFixture.office)
            }
            let national = try await service.aggregate(period: IntakeFixture.march, options: FunnelOptions())
            #expect(national.accepted == ["a", "b"])
            let pooled = try #require(national.indicators.first?.pooled?.value)
            // (30 + 20) / (100 + 50): b's second version counts; its rejected third does not.
            #expect(abs(pooled - 50.0 / 150.0) < 1e-12)

            let expected = Aggregator(programme: IntakeFixture.programme, period: IntakeFixture.march,
                                      asOf: CalendarDate(year: 2026, month: 4, day: 10) ?? CalendarDate(dayNumber: 0))
                .aggregate([ReceivedReturn(source: "a", content: a1, receivedOn: CalendarDate(year: 2026, month: 4, day: 10)),
                            ReceivedReturn(source: "b", content: b2, receivedOn: CalendarDate(year: 2026, month: 4, day: 10))])
            #expect(national.indicators == expected.indicators)
            #expect(national.completeness.sites.map(\.status) == expected.completeness.sites.map(\.status))
        }
    }
}
