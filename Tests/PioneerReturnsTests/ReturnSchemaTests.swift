// The JSON Schema says what a return is: the sample passes it, and returns that break the
// format's promises (a credential in a URL, a value and a reason for none) fail it.
import Foundation
import PioneerReturns
import Testing

@Suite("Return JSON Schema")
struct ReturnSchemaTests {
    static func problems(_ siteReturn: SiteReturn) async throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pioneer-return-\(UUID().uuidString).json")
        try ReturnCoding.pretty(siteReturn).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await ReturnSchemaCheck.problems(files: [file.path])
    }

    @Test func theSampleReturnIsValid() async throws {
        try await ReturnSchemaCheck.expectValid(try ReturnCoding.signed(SampleReturn.value))
    }

    @Test func returnsThatBreakTheFormatsPromisesAreInvalid() async throws {
        var credential = SampleReturn.value
        credential.indicators[0].measures[0].provenance.sources[0].url = "https://user:pass@bi.example.nhs.uk/api"
        #expect(try await Self.problems(credential).contains("$.indicators[0].measures[0].provenance.sources[0].url: "))

        var both = SampleReturn.value
        both.indicators[1].measures[0].value = 0.5
        #expect(try await Self.problems(both).contains("$.indicators[1].measures[0]: "))

        var incomplete = SampleReturn.value
        incomplete.missing = [MissingMeasure(indicator: "emergency-admissions-65", period: "2026-02", reason: "nothing collected")]
        #expect(try await Self.problems(incomplete).contains("$.missing: "), "complete with a missing measure")

        var unknownVersion = SampleReturn.value
        unknownVersion.schemaVersion = 2
        #expect(try await Self.problems(unknownVersion).contains("$.schemaVersion: 1 was expected"))

        var rateWithoutFactor = SampleReturn.value
        rateWithoutFactor.indicators[0].factor = nil
        #expect(try await Self.problems(rateWithoutFactor).contains("$.indicators[0]: 'factor' is a required property"))
    }
}
