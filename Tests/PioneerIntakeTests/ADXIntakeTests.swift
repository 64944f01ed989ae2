// ADX submissions: read safely, defined from the JSON returns the office has accepted,
// versioned with the site's JSON submissions, and counted in the aggregate like them.
import Foundation
import PioneerAggregate
import PioneerIntake
import PioneerKit
import PioneerReturns
import Testing

@Suite("ADX submissions")
struct ADXIntakeTests {
    static func service(_ store: IntakeStore) -> IntakeService {
        IntakeService(store: store, programme: IntakeFixture.programme, clock: { IntakeFixture.at("2026-04-10") })
    }

    /// A return whose indicator carries its true definition version, as `pioneer return` writes it.
    static func content(_ site: String, numerator: Double, made: String = "2026-04-10T09:00:00.000Z") throws -> SiteReturn {
        var indicator = IntakeFixture.proportion(numerator: numerator, denominator: 100)
        indicator.definitionVersion = indicator.computedDefinitionVersion
        return try IntakeFixture.content(site, made: made, indicators: [indicator])
    }

    static func adx(_ content: SiteReturn) throws -> [UInt8] {
        Array(try ADXDocument.xml(content).utf8)
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func anADXReturnIsReadWithTheDefinitionsOfAcceptedJSONReturnsAndCounts(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let service = Self.service(store)
            _ = try await service.submit(try IntakeFixture.bytes(try Self.content("a", numerator: 30)), format: .json,
                                         caller: IntakeFixture.siteCaller("a"))
            let outcome = try await service.submit(try Self.adx(try Self.content("b", numerator: 60)), format: .adx,
                                                   caller: IntakeFixture.siteCaller("b"))
            #expect(outcome.kind == .created, "\(outcome.summary.problems)")
            #expect(outcome.summary.status == .accepted && outcome.summary.site == "b" && outcome.summary.version == 1)
            #expect(outcome.summary.values == [ValueOutcome(indicator: "care-plans", period: "2026-03", status: "accepted")])
            let record = try #require(try await store.submissions(site: "b", period: "2026-03").first)
            #expect(record.format == .adx && record.counts)

            let national = try await service.aggregate(period: IntakeFixture.march, options: FunnelOptions())
            #expect(national.accepted == ["a", "b"])
            #expect(national.indicators.first?.pooled?.value == 0.45)
            #expect(national.goalsNotCarried == ["b"])
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func anADXReturnNoAcceptedJSONReturnDefinesIsUnprocessable(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let outcome = try await Self.service(store).submit(try Self.adx(try Self.content("b", numerator: 60)), format: .adx,
                                                               caller: IntakeFixture.siteCaller("b"))
            #expect(outcome.kind == .unprocessable && outcome.summary.status == .rejected && outcome.summary.version == 1)
            #expect(outcome.summary.problems.first?.hasPrefix("ADX carries no indicator definitions, and no JSON return this service has received defines ") == true,
                    "\(outcome.summary.problems)")
            // It said "among the files given … alongside", words for the aggregate command.
            #expect(outcome.summary.problems.first?.hasSuffix("submit a JSON return with that definition first (any site, any period), "
                                                              + "then make this ADX return again (`pioneer return --format adx`) and submit it") == true,
                    "\(outcome.summary.problems)")
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func aChangedADXValueIsADigestMismatch(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let service = Self.service(store)
            let content = try Self.content("a", numerator: 30)
            _ = try await service.submit(try IntakeFixture.bytes(content), format: .json, caller: IntakeFixture.office)
            let xml = try ADXDocument.xml(try Self.content("b", numerator: 60))
            let tampered = xml.replacingOccurrences(of: #"PART="NUMERATOR" definitionVersion="\#(content.indicators[0].definitionVersion)" value="60""#,
                                                    with: #"PART="NUMERATOR" definitionVersion="\#(content.indicators[0].definitionVersion)" value="61""#)
            #expect(tampered != xml)
            let outcome = try await service.submit(Array(tampered.utf8), format: .adx, caller: IntakeFixture.office)
            #expect(outcome.kind == .unprocessable)
            #expect(outcome.summary.problems.first?.hasPrefix("its ADX contentDigest does not match its content") == true)
        }
    }

    @Test(arguments: IntakeStore.Kind.allCases)
    func anXMLBombIsMalformedAndStoredWithoutBeingExpanded(kind: IntakeStore.Kind) async throws {
        try await withIntakeStore(kind) { store, _ in
            let bomb = """
                <?xml version="1.0"?>
                <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
                <adx xmlns="urn:ihe:qrph:adx:2015">&lol2;</adx>
                """
            let outcome = try await Self.service(store).submit(Array(bomb.utf8), format: .adx, caller: IntakeFixture.siteCaller("c"))
            #expect(outcome.kind == .malformed && outcome.summary.status == .rejected)
            #expect(outcome.summary.problems.first?.hasPrefix("is not a readable ADX return: line 2, column 1:") == true,
                    "\(outcome.summary.problems)")
            #expect(outcome.summary.problems.first?.contains("DOCTYPE") == true)
            let record = try #require(try await store.submissions(site: "c", period: nil).first)
            #expect(record.format == .adx && record.version == nil)
            #expect(try await store.body(ofSubmission: record.id) == Array(bomb.utf8))
        }
    }
}
