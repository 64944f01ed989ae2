// The FHIR bundle: summary MeasureReports with versioned canonicals, periods to the day,
// populations and scores, references inside the bundle and ids that do not change between runs.
import Foundation
import PioneerReturns
import Testing

@Suite("FHIR MeasureReport bundle")
struct FHIRMeasureReportBundleTests {
    /// The bundle as JSON objects, the way a FHIR server would read it.
    func bundle(_ value: SiteReturn) throws -> [String: Any] {
        let bytes = try FHIRMeasureReportBundle.json(value)
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    func resources(_ bundle: [String: Any]) throws -> [[String: Any]] {
        let entries = try #require(bundle["entry"] as? [[String: Any]])
        return try entries.map { try #require($0["resource"] as? [String: Any]) }
    }

    func code(_ concept: Any?) -> [String]? {
        ((concept as? [String: Any])?["coding"] as? [[String: Any]])?.compactMap { coding in
            (coding["system"] as? String).flatMap { system in (coding["code"] as? String).map { "\(system)#\($0)" } }
        }
    }

    @Test func aRateIsASummaryReportWithItsVersionedCanonicalPeriodToTheDayAndPopulations() throws {
        let json = try bundle(SampleReturn.value)
        #expect(json["resourceType"] as? String == "Bundle")
        #expect(json["type"] as? String == "collection")
        let resources = try resources(json)
        let report = resources[1]
        #expect(report["resourceType"] as? String == "MeasureReport")
        #expect(report["status"] as? String == "complete")
        #expect(report["type"] as? String == "summary")
        #expect(report["measure"] as? String == "https://pioneer.example/fhir/Measure/emergency-admissions-65|0123456789ab")
        #expect(report["date"] as? String == "2026-04-10T08:00:00.000Z")
        #expect(report["period"] as? [String: String] == ["start": "2026-03-01", "end": "2026-03-31"])
        #expect(code(report["improvementNotation"]) == ["http://terminology.hl7.org/CodeSystem/measure-improvement-notation#decrease"])
        let group = try #require((report["group"] as? [[String: Any]])?.first)
        let populations = try #require(group["population"] as? [[String: Any]])
        #expect(populations.map { $0["id"] as? String } == ["numerator", "denominator"])
        #expect(populations.map { code($0["code"]) } == [
            ["http://terminology.hl7.org/CodeSystem/measure-population#numerator"],
            ["http://terminology.hl7.org/CodeSystem/measure-population#denominator"],
        ])
        #expect(populations[0]["count"] as? Int == 612)
        // 30412.5 is a mid-year population estimate, not a count: FHIR's count is an integer.
        #expect(populations[1]["count"] == nil)
        let amount = try #require((populations[1]["extension"] as? [[String: Any]])?.first)
        #expect(amount["url"] as? String == FHIRMeasureReportBundle.populationAmountURL)
        #expect(amount["valueDecimal"] as? Double == 30412.5)
        let score = try #require(group["measureScore"] as? [String: Any])
        #expect(score["value"] as? Double == 20.123456789)
        #expect(score["unit"] as? String == "admissions per 1,000 aged 65+")
    }

    @Test func theReporterIsTheSitesOrganizationInTheBundle() throws {
        let json = try bundle(SampleReturn.value)
        let entries = try #require(json["entry"] as? [[String: Any]])
        let organization = try #require(entries[0]["resource"] as? [String: Any])
        #expect(organization["resourceType"] as? String == "Organization")
        #expect(organization["name"] as? String == "Torbay and South Devon")
        #expect(organization["identifier"] as? [[String: String]] == [["system": "https://pioneer.example/fhir/sid/site", "value": "torbay"]])
        let fullUrls = entries.compactMap { $0["fullUrl"] as? String }
        #expect(fullUrls.count == entries.count)
        #expect(Set(fullUrls).count == fullUrls.count)
        for report in try resources(json).dropFirst() {
            #expect((report["reporter"] as? [String: String])?["reference"] == fullUrls[0])
        }
    }

    @Test func idsAreNameBasedUUIDsOfSitePeriodAndIndicatorSoTwoRunsGiveTheSameBundle() throws {
        let first = try FHIRMeasureReportBundle.json(SampleReturn.value)
        #expect(try FHIRMeasureReportBundle.json(SampleReturn.value) == first)
        let entries = try #require(try bundle(SampleReturn.value)["entry"] as? [[String: Any]])
        // The same as Python's uuid.uuid5(uuid.NAMESPACE_URL, name).
        #expect(entries[0]["fullUrl"] as? String == "urn:uuid:1ab95fe9-fafb-52cc-a8b1-0d79faec2e6f")
        #expect(entries[1]["fullUrl"] as? String == "urn:uuid:6d658e39-88b4-52e4-a4b9-85cfd4c38835")
        #expect((entries[1]["resource"] as? [String: Any])?["id"] as? String == "6d658e39-88b4-52e4-a4b9-85cfd4c38835")
        var otherSite = SampleReturn.value
        otherSite.site.id = "leeds"
        let otherEntries = try #require(try bundle(otherSite)["entry"] as? [[String: Any]])
        #expect(Set(otherEntries.compactMap { $0["fullUrl"] as? String }).isDisjoint(with: entries.compactMap { $0["fullUrl"] as? String }))
    }

    @Test func aProportionScoresBetweenZeroAndOneInUnitOneAndHigherIsBetterIsIncrease() throws {
        var value = SampleReturn.value
        value.indicators[1].measures[0].value = 0.82
        value.indicators[1].measures[0].numerator = 41
        value.indicators[1].measures[0].denominator = 50
        value.indicators[1].measures[0].notAvailable = nil
        let report = try resources(try bundle(value))[2]
        #expect(code(report["improvementNotation"]) == ["http://terminology.hl7.org/CodeSystem/measure-improvement-notation#increase"])
        let group = try #require((report["group"] as? [[String: Any]])?.first)
        #expect((group["population"] as? [[String: Any]])?.map { $0["count"] as? Int } == [41, 50])
        let score = try #require(group["measureScore"] as? [String: Any])
        #expect(score["value"] as? Double == 0.82)
        #expect(score["unit"] as? String == "1")
        #expect(score["system"] as? String == "http://unitsofmeasure.org")
        #expect(score["code"] as? String == "1")
    }

    @Test func aNeutralIndicatorHasNoImprovementNotation() throws {
        var value = SampleReturn.value
        value.indicators[0].better = "neutral"
        #expect(try resources(try bundle(value))[1]["improvementNotation"] == nil)
    }

    @Test func aMeasureNotAvailableHasNoScoreAndSaysWhyWithADataAbsentReason() throws {
        let report = try resources(try bundle(SampleReturn.value))[2]
        #expect(report["period"] as? [String: String] == ["start": "2026-01-01", "end": "2026-03-31"])
        let group = try #require((report["group"] as? [[String: Any]])?.first)
        #expect(group["measureScore"] == nil)
        #expect(group["population"] == nil)
        let extensions = try #require(group["extension"] as? [[String: String]])
        #expect(extensions == [
            ["url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "masked"],
            ["url": FHIRMeasureReportBundle.notAvailableURL, "valueString": "suppressed: n = 7, below the minimum of 10"],
        ])
        #expect(["suppressed", "feed-down", "not-yet-due", "no-data"].map(FHIRMeasureReportBundle.absentReason)
                    == ["masked", "error", "temp-unknown", "unknown"])
    }

    @Test func everyReportOfAnIncompleteReturnIsPending() throws {
        var value = SampleReturn.value
        value.complete = false
        value.missing = [MissingMeasure(indicator: "emergency-admissions-65", period: "2026-01", reason: "nothing collected")]
        #expect(try resources(try bundle(value)).dropFirst().map { $0["status"] as? String } == ["pending", "pending"])
    }

    @Test func aNumberThatIsNotFiniteCannotBeWritten() throws {
        var value = SampleReturn.value
        value.indicators[0].measures[0].value = .infinity
        #expect(throws: ReturnFormatError(format: "fhir", "a measure of torbay is not a finite number, which FHIR cannot hold")) {
            try FHIRMeasureReportBundle.json(value)
        }
    }
}
