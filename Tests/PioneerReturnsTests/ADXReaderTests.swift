// Reading ADX returns: the writer's documents read back to the same content and digest, the
// content digest finds a changed value, unsafe documents are refused unread, and every kind of
// bad document gets a message naming the file, line and column.
import Foundation
import PioneerKit
import PioneerReturns
import Testing

@Suite("ADX reader")
struct ADXReaderTests {
    /// The sample return with definition versions that hash right, as a real return's do.
    static var sample: SiteReturn {
        var value = SampleReturn.value
        for index in value.indicators.indices {
            value.indicators[index].definitionVersion = value.indicators[index].computedDefinitionVersion
        }
        return value
    }

    static func read(_ xml: String) throws(ADXReadError) -> ADXReturn {
        try ADXReader.read(data: Data(xml.utf8), file: "returns/torbay.xml")
    }

    /// A document in the writer's shape with `group` as its only group.
    static func document(root: String = #"exported="2026-04-10T08:00:00.000Z" site="torbay" reportingPeriod="2026Q1" schemaVersion="1""#,
                         group: String = #"<group orgUnit="torbay" period="2026-03-01/P1M" dataSet="PIONEER_RETURN" complete="true">"#,
                         value: String = #"<dataValue dataElement="emergency-admissions-65" PART="VALUE" definitionVersion="0123456789ab" value="20.5"/>"#) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <adx xmlns="urn:ihe:qrph:adx:2015" \(root)>
          \(group)
            \(value)
          </group>
        </adx>
        """
    }

    /// The error reading `xml` gives.
    static func failure(_ xml: String, maximumBytes: Int = ADXReader.defaultMaximumBytes) -> ADXReadError? {
        do {
            _ = try ADXReader.read(data: Data(xml.utf8), file: "returns/torbay.xml", maximumBytes: maximumBytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func whatTheWriterWritesReadsBackToTheSameContentWithAValidDigest() throws {
        let signed = try ReturnCoding.signed(Self.sample)
        let document = try Self.read(try ADXDocument.xml(signed))
        var expected = try ADXDocument.adx(signed)
        expected.contentDigest = expected.computedContentDigest
        #expect(document == expected)
        #expect(document.contentDigestCheck == .valid)
        #expect(document.returnDigest == "sha256:\(try #require(signed.digest?.value))")
        #expect(document.reportingPeriod == .quarter(2026, 1))
        #expect(document.groups.map(\.period) == [.quarter(2026, 1), .month(2026, 3)])
    }

    @Test func oneChangedValueMakesTheContentDigestMismatch() throws {
        let xml = try ADXDocument.xml(try ReturnCoding.signed(Self.sample))
        let changed = xml.replacingOccurrences(of: #"PART="NUMERATOR" definitionVersion="\#(Self.sample.indicators[0].definitionVersion)" value="612""#,
                                               with: #"PART="NUMERATOR" definitionVersion="\#(Self.sample.indicators[0].definitionVersion)" value="512""#)
        #expect(changed != xml)
        let document = try Self.read(changed)
        guard case .mismatch(let expected, let found) = document.contentDigestCheck else {
            Issue.record("a changed value kept a valid digest: \(document.contentDigestCheck)")
            return
        }
        #expect(expected != found)
    }

    @Test func aDocumentWithoutAContentDigestHasNothingToCheck() throws {
        #expect(try Self.read(Self.document()).contentDigestCheck == .missing)
    }

    @Test func quotingAndCharacterReferencesDoNotChangeTheCanonicalContent() throws {
        let xml = try ADXDocument.xml(try ReturnCoding.signed(Self.sample))
        let requoted = xml.replacingOccurrences(of: #"orgUnit="torbay""#, with: #"orgUnit='&#116;orbay'"#)
            .replacingOccurrences(of: #"value="612""#, with: #"value="612.000""#)
        #expect(requoted != xml)
        #expect(try Self.read(requoted).contentDigestCheck == .valid)
    }

    @Test func theDocumentedExampleHasTheDocumentedCanonicalContentAndAValidDigest() throws {
        let docs = try String(contentsOf: ReturnSchemaCheck.packageRoot.appendingPathComponent("docs/returns.md"), encoding: .utf8)
        let adxSection = try #require(docs.range(of: "### adx"))
        let xmlStart = try #require(docs.range(of: "```xml\n", range: adxSection.upperBound..<docs.endIndex))
        let xmlEnd = try #require(docs.range(of: "```", range: xmlStart.upperBound..<docs.endIndex))
        let document = try ADXReader.read(data: Data(docs[xmlStart.upperBound..<xmlEnd.lowerBound].utf8), file: "docs/returns.md")
        #expect(document.contentDigestCheck == .valid)
        let canonical = String(decoding: document.canonicalContent, as: UTF8.self)
        #expect(canonical == [
            "adx\ttorbay\t2026-03\t1\t2026-04-10T08:00:00.000Z\tsha256:a56aac2400da3a26c1e17240489922d033a8483baa5543ac4fe6773acd0398d2\n",
            "group\ttorbay\t2026-03-01/P1M\tPIONEER_RETURN\ttrue\n",
            "dataValue\temergency-admissions-65\tVALUE\t3d8f12f4137c\t20.824468085106382\n",
            "dataValue\temergency-admissions-65\tNUMERATOR\t3d8f12f4137c\t783\n",
            "dataValue\temergency-admissions-65\tDENOMINATOR\t3d8f12f4137c\t37600\n",
        ].joined())
        #expect(docs.contains(canonical.replacingOccurrences(of: "\t", with: "→")))
    }

    @Test func tabsAndBackslashesInAFieldCannotForgeAnotherField() throws {
        var split = try Self.read(Self.document())
        split.site = "torbay\tx"
        var joined = try Self.read(Self.document())
        joined.site = "torbay\\tx"
        #expect(split.computedContentDigest != joined.computedContentDigest)
        #expect(String(decoding: split.canonicalContent, as: UTF8.self).hasPrefix("adx\ttorbay\\tx\t"))
    }

    @Test func theResolvedReturnCarriesTheJSONReturnsValuesAndDefinitions() throws {
        let signed = try ReturnCoding.signed(Self.sample)
        let document = try Self.read(try ADXDocument.xml(signed))
        let resolution = document.resolved(with: DefinitionCatalogue([signed]))
        #expect(resolution.unresolved.isEmpty)
        let siteReturn = resolution.siteReturn
        #expect(siteReturn.site.id == "torbay")
        #expect(siteReturn.period == signed.period)
        #expect(siteReturn.generatedAt == signed.generatedAt)
        #expect(siteReturn.goals.isEmpty)
        #expect(siteReturn.indicators.map(\.id) == ["involved-in-decisions", "emergency-admissions-65"])
        for indicator in siteReturn.indicators {
            let original = try #require(signed.indicators.first { $0.id == indicator.id })
            #expect(indicator.name == original.name)
            #expect(indicator.valueType == original.valueType)
            #expect(indicator.factor == original.factor)
            #expect(indicator.definitionVersion == original.definitionVersion)
            for measure in indicator.measures {
                let source = try #require(original.measures.first { $0.period.label == measure.period.label })
                #expect(measure.period == source.period)
                #expect(measure.value == source.value)
                #expect(measure.numerator == source.numerator)
                #expect(measure.denominator == source.denominator)
                #expect(measure.sampleSize == source.sampleSize)
                #expect((measure.notAvailable == nil) == (source.notAvailable == nil))
            }
        }
    }

    @Test func anIndicatorNoJSONReturnDefinesIsUnresolvedNotGuessed() throws {
        let signed = try ReturnCoding.signed(Self.sample)
        var other = signed
        other.indicators.removeFirst()
        let resolution = try Self.read(try ADXDocument.xml(signed)).resolved(with: DefinitionCatalogue([other]))
        #expect(resolution.unresolved == [UnresolvedDefinition(indicator: "emergency-admissions-65",
                                                               definitionVersion: Self.sample.indicators[0].definitionVersion)])
        #expect(resolution.siteReturn.indicators.map(\.id) == ["involved-in-decisions"])
    }

    @Test func aDefinitionChangedAfterItsReturnWasMadeIsNotCatalogued() throws {
        var edited = Self.sample
        edited.indicators[0].factor = 100
        let catalogue = DefinitionCatalogue([edited])
        #expect(catalogue.definition(id: "emergency-admissions-65", version: Self.sample.indicators[0].definitionVersion) == nil)
        #expect(catalogue.definition(id: "involved-in-decisions", version: Self.sample.indicators[1].definitionVersion) != nil)
    }

    // MARK: Unsafe documents

    @Test func aBillionLaughsDocumentIsRefusedUnreadAtItsDoctype() {
        let laughs = (1...9).map { level in
            "  <!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">"
        }.joined(separator: "\n")
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE adx [
              <!ENTITY lol0 "lol">
            \(laughs)
            ]>
            <adx xmlns="urn:ihe:qrph:adx:2015" exported="&lol9;" site="torbay" reportingPeriod="2026Q1" schemaVersion="1"/>
            """
        let clock = ContinuousClock()
        let start = clock.now
        let error = Self.failure(xml)
        #expect(clock.now - start < .seconds(2), "the entities seem to have been expanded")
        #expect(error?.kind == .unsafe)
        #expect(error?.description == "ADX return returns/torbay.xml:2:1: has a DOCTYPE, which ADX does not use; it is refused unread so that no entity is expanded and nothing is fetched")
    }

    @Test func anExternalEntityIsRefusedUnread() {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE adx [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
            <adx xmlns="urn:ihe:qrph:adx:2015" exported="2026-04-10T08:00:00Z" site="&secret;" reportingPeriod="2026Q1" schemaVersion="1"/>
            """
        let error = Self.failure(xml)
        #expect(error?.kind == .unsafe)
        #expect(error?.line == 2)
        #expect(error?.message.contains("has a DOCTYPE") == true)
    }

    @Test func aDoctypeInLowerCaseOrLaterInTheFileIsStillRefused() {
        let xml = Self.document() + "\n<!doctype adx>"
        #expect(Self.failure(xml)?.description == "ADX return returns/torbay.xml:7:1: has a DOCTYPE, which ADX does not use; it is refused unread so that no entity is expanded and nothing is fetched")
    }

    @Test func anotherEncodingIsRefused() {
        let xml = Self.document().replacingOccurrences(of: #"encoding="UTF-8""#, with: #"encoding="UTF-16""#)
        #expect(Self.failure(xml)?.description == "ADX return returns/torbay.xml:1:1: declares the encoding `UTF-16`; ADX returns are read as UTF-8 only")
    }

    @Test func bytesThatAreNotUTF8AreRefused() {
        var data = Data(Self.document().utf8)
        data.append(contentsOf: [0xFF, 0xFE])
        #expect(throws: ADXReadError(.unsafe, file: "x.xml", "is not UTF-8 text; ADX returns are read as UTF-8 only")) {
            try ADXReader.read(data: data, file: "x.xml")
        }
    }

    @Test func aDocumentLargerThanTheCapIsRefusedBeforeParsing() {
        #expect(Self.failure(Self.document(), maximumBytes: 100)?.description
                == "ADX return returns/torbay.xml: is \(Self.document().utf8.count) bytes, more than the 100 bytes an ADX return may be")
    }

    // MARK: Bad documents

    @Test func xmlThatIsNotWellFormedIsReportedWithItsLine() {
        let xml = Self.document().replacingOccurrences(of: "</group>", with: "</grop>")
        let error = Self.failure(xml)
        #expect(error?.kind == .notWellFormed)
        #expect(error?.line == 5)
        #expect(error?.message == "is not well-formed XML: an end tag does not match its start tag")
    }

    @Test func anEmptyFileIsNotXML() {
        #expect(Self.failure("")?.description == "ADX return returns/torbay.xml: is not XML: the file is empty")
    }

    @Test func theWrongRootOrNamespaceIsNotADX() {
        let wrongNamespace = Self.document().replacingOccurrences(of: "urn:ihe:qrph:adx:2015", with: "urn:example:adx")
        #expect(Self.failure(wrongNamespace)?.description
                == "ADX return returns/torbay.xml:2:122: the root element is `adx` in namespace urn:example:adx; an ADX return's root is `adx` in namespace urn:ihe:qrph:adx:2015")
        let wrongRoot = "<dataValueSet xmlns=\"urn:ihe:qrph:adx:2015\"/>"
        #expect(Self.failure(wrongRoot)?.message
                == "the root element is `dataValueSet` in namespace urn:ihe:qrph:adx:2015; an ADX return's root is `adx` in namespace urn:ihe:qrph:adx:2015")
    }

    @Test func aGroupWithoutOrgUnitOrPeriodIsReported() {
        let noOrgUnit = Self.document(group: #"<group period="2026-03-01/P1M" dataSet="PIONEER_RETURN" complete="true">"#)
        #expect(Self.failure(noOrgUnit)?.description == "ADX return returns/torbay.xml:3:74: group has no `orgUnit` attribute")
        let noPeriod = Self.document(group: #"<group orgUnit="torbay" dataSet="PIONEER_RETURN" complete="true">"#)
        #expect(Self.failure(noPeriod)?.kind == .missingAttribute)
        #expect(Self.failure(noPeriod)?.message == "group has no `period` attribute")
    }

    @Test func theRootMustSayWhoseReturnItIsAndItsSchemaVersion() {
        let noVersion = Self.document(root: #"exported="2026-04-10T08:00:00.000Z" site="torbay" reportingPeriod="2026Q1""#)
        #expect(Self.failure(noVersion)?.message == "adx has no `schemaVersion` attribute")
        let badPeriod = Self.document(root: #"exported="2026-04-10T08:00:00.000Z" site="torbay" reportingPeriod="spring" schemaVersion="1""#)
        #expect(Self.failure(badPeriod)?.message == "adx reportingPeriod `spring` is not a Pioneer period label such as `2026-03`, `2026Q1` or `FY2025-26`")
        let badVersion = Self.document(root: #"exported="2026-04-10T08:00:00.000Z" site="torbay" reportingPeriod="2026Q1" schemaVersion="one""#)
        #expect(Self.failure(badVersion)?.message == "adx schemaVersion `one` should be a whole number such as 1")
    }

    @Test func aPeriodThatIsNotAPioneerPeriodIsReported() {
        func message(_ period: String) -> String? {
            Self.failure(Self.document(group: #"<group orgUnit="torbay" period="\#(period)" dataSet="PIONEER_RETURN" complete="true">"#))?.message
        }
        #expect(message("2026-03") == "group period `2026-03` is not a start date and an ISO 8601 duration such as `2026-04-01/P1M`")
        #expect(message("2026-03-15/P1M") == "group period `2026-03-15/P1M` does not start a Pioneer period: the month holding 2026-03-15 starts on 2026-03-01 (2026-03-01/P1M)")
        #expect(message("2026-03-01/P2M") == "group period `2026-03-01/P2M` has the duration `P2M`; Pioneer's periods are P1M (a month), P3M (a quarter), P1Y (a financial year) and P7D (an ISO week)")
        #expect(message("2026-04-01/P1M") == "group period `2026-04-01/P1M` (2026-04) is outside the reporting period 2026Q1")
    }

    @Test func aQuarterOfAFinancialYearReturnIsAFinancialQuarter() throws {
        let xml = Self.document(root: #"exported="2026-04-10T08:00:00.000Z" site="torbay" reportingPeriod="FY2025-26" schemaVersion="1""#,
                                group: #"<group orgUnit="torbay" period="2026-01-01/P3M" dataSet="PIONEER_RETURN" complete="true">"#)
        #expect(try Self.read(xml).groups.map(\.period.label) == ["FY2025-26 Q4"])
    }

    @Test func aPartOutsideTheCodeListIsReported() {
        let xml = Self.document(value: #"<dataValue dataElement="emergency-admissions-65" PART="TOTAL" definitionVersion="0123456789ab" value="3"/>"#)
        #expect(Self.failure(xml)?.description
                == "ADX return returns/torbay.xml:4:109: dataValue emergency-admissions-65 has PART `TOTAL`, which is not in Pioneer's code list (VALUE, NUMERATOR, DENOMINATOR, SAMPLE_SIZE)")
    }

    @Test func aValueThatIsNotADecimalIsReported() {
        for text in ["1e3", "NaN", "12abc", "", "."] {
            let xml = Self.document(value: #"<dataValue dataElement="emergency-admissions-65" PART="VALUE" definitionVersion="0123456789ab" value="\#(text)"/>"#)
            #expect(Self.failure(xml)?.message
                    == "dataValue emergency-admissions-65 VALUE has value `\(text)`, which is not a decimal number such as 12 or 0.25")
        }
        let fractionalSample = Self.document(value: #"<dataValue dataElement="x" PART="SAMPLE_SIZE" definitionVersion="0123456789ab" value="7.5"/>"#)
        #expect(Self.failure(fractionalSample)?.message == "dataValue x SAMPLE_SIZE has value `7.5`; a sample size is a whole number of 0 or more")
    }

    @Test func aBadDefinitionVersionIsReported() {
        let xml = Self.document(value: #"<dataValue dataElement="x" PART="VALUE" definitionVersion="v2" value="1"/>"#)
        #expect(Self.failure(xml)?.message == "dataValue x has definitionVersion `v2`; it should be 12 lowercase hex digits")
    }

    @Test func aGroupOfAnotherSiteIsReported() {
        let xml = Self.document(group: #"<group orgUnit="cambridge" period="2026-03-01/P1M" dataSet="PIONEER_RETURN" complete="true">"#)
        #expect(Self.failure(xml)?.message == "group orgUnit `cambridge` is not the return's site `torbay`; one ADX return holds one site's values")
    }

    @Test func aValueGivenTwiceIsReported() {
        let value = #"<dataValue dataElement="x" PART="VALUE" definitionVersion="0123456789ab" value="1"/>"#
        let xml = Self.document(value: value + "\n" + value)
        #expect(Self.failure(xml)?.message == "dataValue x VALUE for 2026-03-01/P1M is given twice")
    }

    @Test func anUnknownElementIsReported() {
        let xml = Self.document(value: #"<note>hello</note>"#)
        #expect(Self.failure(xml)?.message == "`note` inside a group: only `dataValue` elements belong there")
    }

    @Test func aFileThatDoesNotExistIsUnreadable() {
        #expect(throws: ADXReadError(.unreadable, file: "/nonexistent/torbay.xml", "the file does not exist")) {
            try ADXReader.read(file: "/nonexistent/torbay.xml")
        }
    }
}
