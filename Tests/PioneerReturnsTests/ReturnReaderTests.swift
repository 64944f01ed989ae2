// Reading return files: every way a file can be wrong gets a message naming the file and the place.
import Foundation
import PioneerReturns
import PioneerTesting
import Testing

@Suite("Return reader")
struct ReturnReaderTests {
    /// The sample return's pretty JSON with `edit` applied to its text.
    static func text(_ edit: (String) -> String = { $0 }) throws -> Data {
        let pretty = String(decoding: try ReturnCoding.pretty(try ReturnCoding.signed(SampleReturn.value)), as: UTF8.self)
        return Data(edit(pretty).utf8)
    }

    static func readError(_ data: Data, file: String = "returns/torbay.json") -> ReturnReadError? {
        do {
            _ = try ReturnReader.read(data: data, file: file)
            return nil
        } catch {
            return error
        }
    }

    @Test func aFileReadsBackToTheSameReturn() throws {
        try withTemporaryFolder(prefix: "pioneer-return-read") { folder in
            let file = folder.appendingPathComponent("torbay-2026Q1.json")
            try Self.text().write(to: file)
            let read = try ReturnReader.read(file: file.path)
            #expect(read == (try ReturnCoding.signed(SampleReturn.value)))
        }
    }

    @Test func aMissingFileOrAFolderIsNamed() throws {
        try withTemporaryFolder(prefix: "pioneer-return-read") { folder in
            let absent = folder.appendingPathComponent("absent.json").path
            #expect(throws: ReturnReadError(.unreadable, file: absent, "the file does not exist")) {
                try ReturnReader.read(file: absent)
            }
            #expect(throws: ReturnReadError(.unreadable, file: folder.path, "is a folder, not a return file")) {
                try ReturnReader.read(file: folder.path)
            }
        }
    }

    @Test func textThatIsNotJSONGivesLineAndColumn() throws {
        let error = try #require(Self.readError(Data("{\n  \"schemaVersion\": 1,\n  oops\n}".utf8)))
        #expect(error.kind == .notJSON)
        #expect(error.description.hasPrefix("return returns/torbay.json: is not JSON: "), "\(error)")
        #expect(error.description.contains("(line 3, column 3)"), "\(error)")
        let empty = try #require(Self.readError(Data()))
        #expect(empty.description == "return returns/torbay.json: is not JSON: the file is empty")
    }

    /// A member written twice: JSONDecoder took one of them and Python's json the other, so one
    /// digest vouched for two readings of the return.
    @Test func aMemberWrittenTwiceInOneObjectIsRefusedWithItsPlace() throws {
        let data = try Self.text { $0.replacingOccurrences(of: "\"numerator\" : ", with: "\"numerator\" : 99999, \"numerator\" : ") }
        let error = try #require(Self.readError(data))
        #expect(error.kind == .invalidValue)
        #expect(error.description.hasPrefix("return returns/torbay.json: cannot be read: the member \"numerator\" appears twice in one object; "),
                "\(error)")
        #expect(error.description.contains("(line "), "\(error)")
        #expect(error.description.contains("so the return cannot be trusted"), "\(error)")
    }

    /// JSONDecoder read UTF-16 returns, pioneer's own parser (which finds a member written
    /// twice) does not: either way a return exchanged between systems is UTF-8 (RFC 8259).
    @Test func aReturnInUTF16IsRefusedNamingTheEncoding() throws {
        let utf8 = try Self.text()
        let text = String(decoding: utf8, as: UTF8.self)
        for data in [Data([0xFF, 0xFE]) + (text.data(using: .utf16LittleEndian) ?? Data()),
                     text.data(using: .utf16BigEndian) ?? Data()] {
            let error = try #require(Self.readError(data))
            #expect(error.kind == .notJSON)
            #expect(error.description == "return returns/torbay.json: is UTF-16 text; a return is JSON in UTF-8 (RFC 8259, section 8.1): save it as UTF-8",
                    "\(error)")
        }
    }

    @Test func aCSVReturnGivenByNameIsNamedAsOne() throws {
        let csv = Data(ReturnCSV.text(try ReturnCoding.signed(SampleReturn.value)).utf8)
        let error = try #require(Self.readError(csv, file: "returns/torbay.csv"))
        #expect(error.kind == .wrongType)
        #expect(error.description == "return returns/torbay.csv: is a CSV return (`pioneer return --format csv`), not a form the programme office reads: give the site's return in Pioneer JSON or ADX")
    }

    @Test func jsonThatIsNotAnObjectIsRefused() throws {
        let error = try #require(Self.readError(Data("[1, 2]".utf8)))
        #expect(error.kind == .wrongType)
        #expect(error.description.hasPrefix("return returns/torbay.json: is JSON but not a return: expected an object, found "), "\(error)")
    }

    @Test func anUnknownOrAbsentSchemaVersionIsNamed() throws {
        let newer = try #require(Self.readError(try Self.text { $0.replacingOccurrences(of: "\"schemaVersion\" : 1", with: "\"schemaVersion\" : 2") }))
        #expect(newer.kind == .unknownSchemaVersion)
        #expect(newer.path == "$.schemaVersion")
        #expect(newer.description == "return returns/torbay.json: schemaVersion 2 is not one this pioneer reads (it reads version 1); a newer pioneer may have written it")
        let text = try #require(Self.readError(try Self.text { $0.replacingOccurrences(of: "\"schemaVersion\" : 1", with: "\"schemaVersion\" : \"one\"") }))
        #expect(text.description == "return returns/torbay.json: schemaVersion should be a whole number such as 1, found a string")
        let absent = try #require(Self.readError(Data(#"{"site": {}}"#.utf8)))
        #expect(absent.kind == .wrongType, "JSON that is not a return is malformed, not a version refused")
        #expect(absent.description == "return returns/torbay.json: has no schemaVersion, so it is not a pioneer return (this pioneer reads version 1)")
        // The other forms `pioneer return` writes are named as what they are.
        let fhir = try #require(Self.readError(Data(#"{"resourceType": "Bundle", "type": "collection", "entry": []}"#.utf8)))
        #expect(fhir.description == "return returns/torbay.json: is a FHIR Bundle (`pioneer return --format fhir`), not a form the programme office reads: give the site's return in Pioneer JSON or ADX")
        let dhis2 = try #require(Self.readError(Data(#"{"dataSet": "x", "period": "202603", "dataValues": []}"#.utf8)))
        #expect(dhis2.description == "return returns/torbay.json: is a DHIS2 dataValueSet (`pioneer return --format dhis2`), not a form the programme office reads: give the site's return in Pioneer JSON or ADX")
    }

    @Test func aMissingFieldIsNamedByItsJSONPath() throws {
        let error = try #require(Self.readError(try Self.text { $0.replacingOccurrences(of: "\"denominator\" : 30412.5,", with: "").replacingOccurrences(of: "\"contentHash\"", with: "\"contentHashes\"") }))
        #expect(error.kind == .missingField)
        #expect(error.path == "$.indicators[0].measures[0].provenance.sources[0].contentHash")
        #expect(error.description == "return returns/torbay.json: $.indicators[0].measures[0].provenance.sources[0].contentHash is missing")
    }

    @Test func aValueOfTheWrongKindIsNamed() throws {
        let text = try #require(Self.readError(try Self.text { $0.replacingOccurrences(of: "\"numerator\" : 612", with: "\"numerator\" : \"612\"") }))
        #expect(text.kind == .wrongType)
        #expect(text.description == "return returns/torbay.json: $.indicators[0].measures[0].numerator should be a number")
        let null = try #require(Self.readError(try Self.text { $0.replacingOccurrences(of: "\"complete\" : true", with: "\"complete\" : null") }))
        #expect(null.description == "return returns/torbay.json: $.complete is null; it should be true or false")
        let fraction = try #require(Self.readError(try Self.text { $0.replacingOccurrences(of: "\"decimals\" : 1,\n      \"definitionVersion\" : \"0123456789ab\"", with: "\"decimals\" : 1.5,\n      \"definitionVersion\" : \"0123456789ab\"") }))
        #expect(fraction.kind == .invalidValue)
        #expect(fraction.description == "return returns/torbay.json: $.indicators[0].decimals: it should be a whole number")
        // No Swift type names reach the reader.
        for error in [text, null, fraction] {
            #expect(!error.description.contains("Swift"))
            #expect(!error.description.contains("CodingKeys"))
        }
    }
}
