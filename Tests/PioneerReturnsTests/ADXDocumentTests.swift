// The ADX document: Pioneer's code list, periods as start and duration, incomplete returns
// marked, and every document checked by xmllint against schemas/adx/adx.xsd.
import Foundation
import PioneerKit
import PioneerReturns
import Testing

@Suite("ADX document")
struct ADXDocumentTests {
    @Test func eachPartOfAMeasureIsADisaggregatedDataValueInItsPeriodsGroup() async throws {
        let signed = try ReturnCoding.signed(SampleReturn.value)
        let xml = try ADXDocument.xml(signed)
        let digest = try #require(signed.digest?.value)
        let contentDigest = try ADXDocument.adx(signed).computedContentDigest
        #expect(xml == """
            <?xml version="1.0" encoding="UTF-8"?>
            <adx xmlns="urn:ihe:qrph:adx:2015" exported="2026-04-10T08:00:00.000Z" site="torbay" reportingPeriod="2026Q1" schemaVersion="1" digest="sha256:\(digest)" contentDigest="\(contentDigest)">
              <group orgUnit="torbay" period="2026-01-01/P3M" dataSet="PIONEER_RETURN" complete="true">
                <dataValue dataElement="involved-in-decisions" PART="SAMPLE_SIZE" definitionVersion="ba9876543210" value="7"/>
              </group>
              <group orgUnit="torbay" period="2026-03-01/P1M" dataSet="PIONEER_RETURN" complete="true">
                <dataValue dataElement="emergency-admissions-65" PART="VALUE" definitionVersion="0123456789ab" value="20.123456789"/>
                <dataValue dataElement="emergency-admissions-65" PART="NUMERATOR" definitionVersion="0123456789ab" value="612"/>
                <dataValue dataElement="emergency-admissions-65" PART="DENOMINATOR" definitionVersion="0123456789ab" value="30412.5"/>
              </group>
            </adx>

            """)
        #expect(try await ADXSchemaCheck.problems(xml) == "")
    }

    /// A calendar quarter and the NHS-year quarter with the same days are one ADX period:
    /// two groups for `2026-01-01/P3M` made a return that pioneer's own reader refused.
    @Test func aCalendarAndAnNHSYearQuarterWithTheSameDaysShareOneGroup() async throws {
        var value = SampleReturn.value
        var nhsQuarter = value.indicators[1]
        nhsQuarter.id = "care-plans"
        nhsQuarter.measures = [ReturnMeasure(period: SampleReturn.period("FY2025-26 Q4", "fy-quarter", "2026-01-01", "2026-03-31"),
                                             value: 0.4, numerator: 40, denominator: 100, provenance: SampleReturn.provenance)]
        value.indicators.append(nhsQuarter)
        let xml = try ADXDocument.xml(try ReturnCoding.signed(value))
        #expect(xml.components(separatedBy: "period=\"2026-01-01/P3M\"").count == 2, "\(xml)")
        #expect(try await ADXSchemaCheck.problems(xml) == "")
        let read = try ADXReader.read(data: Data(xml.utf8), file: "torbay.xml")
        let quarter = try #require(read.groups.first { $0.period == .quarter(2026, 1) })
        #expect(Set(quarter.values.map(\.dataElement)) == ["involved-in-decisions", "care-plans"])
    }

    @Test func anIncompleteReturnIsMarkedInEveryGroup() async throws {
        var value = SampleReturn.value
        value.complete = false
        value.missing = [MissingMeasure(indicator: "emergency-admissions-65", period: "2026-01", reason: "nothing collected")]
        let xml = try ADXDocument.xml(value)
        #expect(xml.components(separatedBy: "complete=\"false\"").count == 3)
        #expect(!xml.contains("complete=\"true\""))
        #expect(try await ADXSchemaCheck.problems(xml) == "")
    }

    @Test func aReturnWithNoValueCannotBeADX() throws {
        var value = SampleReturn.value
        value.indicators = []
        #expect(throws: ReturnFormatError(format: "adx", "the return of torbay for 2026Q1 has no values, and an ADX document needs at least one; every required measure is missing (see --format json)")) {
            try ADXDocument.xml(value)
        }
    }

    @Test func numbersArePlainDecimalsThatReadBackExactly() async throws {
        let cases: [(Double, String)] = [
            (1e-9, "0.000000001"), (1.5e-7, "0.00000015"), (-2.25e-5, "-0.0000225"), (5e300, "5" + String(repeating: "0", count: 300)),
            (1.2345e20, "123450000000000000000"), (0.1, "0.1"), (612, "612"), (-0.5, "-0.5"), (1.0 / 3.0, "0.3333333333333333"),
        ]
        for (number, text) in cases {
            #expect(ADXDocument.decimal(number) == text)
            #expect(Double(ADXDocument.decimal(number)) == number)
        }
        var value = SampleReturn.value
        value.indicators[0].measures[0].value = 1e-9
        value.indicators[0].measures[0].numerator = 1.2345e20
        #expect(try await ADXSchemaCheck.problems(try ADXDocument.xml(value)) == "")
    }

    @Test func textIsEscaped() async throws {
        var value = SampleReturn.value
        value.site.id = "a&b<c>\"d'"
        let xml = try ADXDocument.xml(value)
        #expect(xml.contains("orgUnit=\"a&amp;b&lt;c&gt;&quot;d&apos;\""))
        #expect(try await ADXSchemaCheck.problems(xml) == "")
    }

    @Test func theSchemaRejectsADocumentOutsideTheCodeList() async throws {
        let bad = """
            <adx xmlns="urn:ihe:qrph:adx:2015" exported="2026-04-10T08:00:00Z">
              <group orgUnit="torbay" period="2026-03" dataSet="PIONEER_RETURN" complete="yes">
                <dataValue dataElement="x" PART="TOTAL" definitionVersion="0123456789ab" value="1e3"/>
              </group>
            </adx>
            """
        let problems = try await ADXSchemaCheck.problems(bad)
        for attribute in ["period", "complete", "PART", "value"] {
            #expect(problems.contains("attribute '\(attribute)'"), "\(problems)")
        }
    }
}
