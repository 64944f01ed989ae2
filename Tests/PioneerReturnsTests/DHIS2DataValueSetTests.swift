// The DHIS2 payload: the documented codes and period ids, one data value per part, and the
// shape checked by a real validator against schemas/dhis2-datavalueset.schema.json.
import Foundation
import PioneerKit
import PioneerReturns
import Testing

@Suite("DHIS2 data value set")
struct DHIS2DataValueSetTests {
    static func problems(_ payload: [UInt8]) async throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pioneer-dhis2-\(UUID().uuidString).json")
        try Data(payload).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await ReturnSchemaCheck.problems(files: [file.path], schema: "dhis2-datavalueset.schema.json")
    }

    @Test func periodsAreDHIS2sIds() throws {
        #expect(DHIS2DataValueSet.id(of: .month(2026, 4)) == "202604")
        #expect(DHIS2DataValueSet.id(of: .month(2026, 11)) == "202611")
        #expect(DHIS2DataValueSet.id(of: .quarter(2026, 2)) == "2026Q2")
        // NHS FY2026-27 Q1 is April to June 2026: DHIS2's 2026Q2. Q4 is January to March 2027.
        #expect(DHIS2DataValueSet.id(of: .financialQuarter(2026, 1)) == "2026Q2")
        #expect(DHIS2DataValueSet.id(of: .financialQuarter(2026, 4)) == "2027Q1")
        #expect(DHIS2DataValueSet.id(of: .financialYear(2026)) == "2026April")
        #expect(DHIS2DataValueSet.id(of: Period.isoWeek(2026, 5)!) == "2026W5")
        #expect(DHIS2DataValueSet.id(of: Period.isoWeek(2026, 53)!) == "2026W53")
    }

    @Test func eachPartOfAMeasureIsOneDataValueAndNotAvailableValuesAreLeftOut() async throws {
        let payload = try DHIS2DataValueSet(try ReturnCoding.signed(SampleReturn.value))
        #expect(payload.dataSet == "PIONEER_RETURN")
        #expect(payload.orgUnit == "PIONEER_TORBAY")
        #expect(payload.completeDate == "2026-04-10")
        #expect(payload.dataValues == [
            .init(dataElement: "PIONEER_EMERGENCY_ADMISSIONS_65", period: "202603", orgUnit: "PIONEER_TORBAY", categoryOptionCombo: "PIONEER_VALUE", value: "20.123456789"),
            .init(dataElement: "PIONEER_EMERGENCY_ADMISSIONS_65", period: "202603", orgUnit: "PIONEER_TORBAY", categoryOptionCombo: "PIONEER_NUMERATOR", value: "612"),
            .init(dataElement: "PIONEER_EMERGENCY_ADMISSIONS_65", period: "202603", orgUnit: "PIONEER_TORBAY", categoryOptionCombo: "PIONEER_DENOMINATOR", value: "30412.5"),
            // Suppressed: no value, the sample size it rests on.
            .init(dataElement: "PIONEER_INVOLVED_IN_DECISIONS", period: "2026Q1", orgUnit: "PIONEER_TORBAY", categoryOptionCombo: "PIONEER_SAMPLE_SIZE", value: "7"),
        ])
        let json = payload.json()
        #expect(try await Self.problems(json) == "")
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"completeDate\" : \"2026-04-10\",\n  \"dataSet\" : \"PIONEER_RETURN\",\n  \"dataValues\" : [\n"), "\(text)")
    }

    @Test func anIncompleteReturnHasNoCompleteDate() async throws {
        var value = SampleReturn.value
        value.complete = false
        value.missing = [MissingMeasure(indicator: "emergency-admissions-65", period: "2026-01", reason: "nothing collected")]
        let payload = try DHIS2DataValueSet(value)
        #expect(payload.completeDate == nil)
        #expect(!String(decoding: payload.json(), as: UTF8.self).contains("completeDate"))
        #expect(try await Self.problems(payload.json()) == "")
    }

    @Test func anIdTooLongForADHIS2CodeIsRefusedByName() throws {
        var value = SampleReturn.value
        value.indicators[0].id = String(repeating: "long-", count: 10) + "indicator"
        #expect(throws: ReturnFormatError(format: "dhis2", "the indicator id `\(value.indicators[0].id)` makes the DHIS2 code PIONEER_\(String(repeating: "LONG_", count: 10))INDICATOR, longer than DHIS2's 50 characters")) {
            try DHIS2DataValueSet(value)
        }
    }

    @Test func theSchemaRejectsAPayloadOutsideTheMapping() async throws {
        let bad = #"{"dataSet": "PIONEER_RETURN", "orgUnit": "torbay", "dataValues": [{"dataElement": "PIONEER_X", "period": "2026-04", "orgUnit": "PIONEER_TORBAY", "categoryOptionCombo": "PIONEER_VALUE", "value": 3}]}"#
        let problems = try await Self.problems(Array(bad.utf8))
        #expect(problems.contains("$.orgUnit: "))
        #expect(problems.contains("$.dataValues[0].period: "))
        #expect(problems.contains("$.dataValues[0].value: "))
    }
}
