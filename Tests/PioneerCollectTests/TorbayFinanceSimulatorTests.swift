// Torbay's simulated finance summary: amounts written for people, read back by the same
// number format the example site uses, telling the story the site's cost indicator shows.
import Foundation
import PioneerDemo
import PioneerKit
import PioneerExtraction
import Testing

@Suite struct TorbayFinanceSimulatorTests {
    let catalogue = DemoFeedCatalogue()

    func summary(_ month: String) throws -> (spend: String, patients: String) {
        let response = catalogue.respond(to: SimulatedRequest(target: "/torbay/finance/community-services/spend?month=\(month)"))
        #expect(response.status == 200, "\(response.text)")
        let object = try #require(try JSONValue(parsing: response.body).objectValue)
        let spend = try #require(object["spend_gbp"]?.stringValue, "spend_gbp is not a string: \(response.text)")
        let patients = try #require(object["patients_seen"]?.stringValue, "patients_seen is not a string: \(response.text)")
        return (spend, patients)
    }

    func costPerPatient(_ month: String) throws -> Double {
        let (spend, patients) = try summary(month)
        let pounds = try #require(NumberFormat.readable.parse(spend))
        let people = try #require(NumberFormat.readable.parse(patients))
        return pounds / people
    }

    @Test func amountsAreTextWithThousandsSeparatorsThatOnlyTheReadableFormatReads() throws {
        let (spend, patients) = try summary("2026-03")
        #expect(spend == "4,644,924.12")
        #expect(patients == "13,622")
        #expect(NumberFormat.strict.parse(spend) == nil)
        #expect(NumberFormat.suggestion(for: spend) == .readable)
        #expect(NumberFormat.readable.parse(spend) == 4_644_924.12)
    }

    @Test func theCostPerPatientEasesOnceTheIntegratedTeamsAreInPlace() throws {
        // Torbay's teams started in October 2024 and take a year to reach everyone; spend
        // keeps rising with prices, so the comparison is within one season of the year.
        let before = try costPerPatient("2024-03")
        let after = try costPerPatient("2026-03")
        #expect(before > 300 && before < 360, "before: \(before)")
        #expect(abs(after - 340.99) < 0.005, "after: \(after)")
        #expect(after / before < 1.04 * 1.04, "the cost per patient should grow more slowly than prices: \(before) → \(after)")
    }

    @Test func aPeriodOutsideTheHistoryHasNoAmounts() throws {
        let response = catalogue.respond(to: SimulatedRequest(target: "/torbay/finance/community-services/spend?month=2026-06"))
        let object = try #require(try JSONValue(parsing: response.body).objectValue)
        #expect(object["spend_gbp"] == nil)
        #expect(object["note"]?.stringValue == "no summary for this period")
    }
}
