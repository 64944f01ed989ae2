// Selecting records with a JSONPath: an empty list is no records, a path that reaches
// nothing or a value that is not an object is an error saying where and what is there.
import Foundation
import PioneerExtraction
import PioneerKit
import Testing

@Suite("JSON record selection")
struct JSONRecordSelectionTests {
    static let url = "http://council.test/residents"

    func records(_ path: String, in json: String) throws -> [JSONRecord] {
        let document = try JSONValue(parsing: Data(json.utf8))
        return try JSONRecord.records(at: JSONPath(parsing: path), in: document, url: Self.url)
    }

    func failure(_ message: String) -> PluginError {
        PluginError(message)
    }

    let register = #"{"residents": [{"nhs_number": "943 476 5919"}, {"nhs_number": "485 777 3456"}]}"#

    @Test func thePathMaySelectTheRecordsOrTheArrayHoldingThem() throws {
        for path in ["$.residents[*]", "$.residents", "$['residents']"] {
            let selected = try records(path, in: register)
            #expect(selected.map(\.path) == ["$['residents'][0]", "$['residents'][1]"], "\(path)")
            #expect(try selected.map { try $0.string("nhs_number") } == ["943 476 5919", "485 777 3456"])
            #expect(selected.allSatisfy { $0.url == Self.url })
        }
    }

    @Test func aTopLevelArrayIsReadWithTheDefaultPath() throws {
        let selected = try JSONRecord.records(at: .everyElement, in: JSONValue(parsing: Data(#"[{"a": 1}, {"a": 2}]"#.utf8)), url: Self.url)
        #expect(selected.map(\.path) == ["$[0]", "$[1]"])
    }

    @Test func aPathSelectingOneObjectGivesOneRecord() throws {
        let selected = try records("$.residents[1]", in: register)
        #expect(selected.map(\.path) == ["$['residents'][1]"])
    }

    @Test func anEmptyListOrAFilterThatPassesNothingIsNoRecords() throws {
        #expect(try records("$.residents[*]", in: #"{"residents": []}"#).isEmpty)
        #expect(try records("$.residents", in: #"{"residents": []}"#).isEmpty)
        #expect(try records("$.residents[?@.nhs_number == '1']", in: register).isEmpty)
        #expect(try records("$.residents[5:]", in: register).isEmpty)
    }

    @Test func aMissingMemberIsAnErrorSuggestingTheNameThere() throws {
        #expect(throws: failure("`$.residents[*]` selects nothing in http://council.test/residents: `$` has no member `residents` (did you mean `resident`?); its members are `meta`, `resident`")) {
            try records("$.residents[*]", in: #"{"resident": [], "meta": {}}"#)
        }
        #expect(throws: failure("`$.data.residents` selects nothing in http://council.test/residents: `$['data']` has no member `residents`; it is an empty object")) {
            try records("$.data.residents", in: #"{"data": {}}"#)
        }
    }

    @Test func aMemberOfAnArrayIsAnErrorSayingItIsAnArray() throws {
        #expect(throws: failure("`$.residents.nhs_number` selects nothing in http://council.test/residents: `$['residents']` is an array of 2 elements, not an object with a member `nhs_number`")) {
            try records("$.residents.nhs_number", in: register)
        }
    }

    @Test func anIndexPastTheEndIsAnError() throws {
        #expect(throws: failure("`$.residents[5]` selects nothing in http://council.test/residents: `$['residents']` is an array of 2 elements, none at the position asked for")) {
            try records("$.residents[5]", in: register)
        }
        #expect(throws: failure("`$[0]` selects nothing in http://council.test/residents: `$` is an object, which has no elements by position")) {
            try records("$[0]", in: register)
        }
    }

    @Test func elementsOfSomethingThatIsNotAListAreAnError() throws {
        #expect(throws: failure("`$.residents[*]` selects nothing in http://council.test/residents: `$['residents']` is a string `none this month`, not an array or object of records")) {
            try records("$.residents[*]", in: #"{"residents": "none this month"}"#)
        }
    }

    @Test func aDescendantSearchThatFindsNothingIsAnError() throws {
        #expect(throws: failure("`$..patients` selects nothing in http://council.test/residents: nothing under `$` matches")) {
            try records("$..patients", in: register)
        }
    }

    @Test func aSelectedValueThatIsNotAnObjectIsAnErrorNamingItsPlace() throws {
        #expect(throws: failure("record `$['residents'][1]` selected by `$.residents[*]` in http://council.test/residents is a string `485 777 3456`, expected an object")) {
            try records("$.residents[*]", in: #"{"residents": [{"nhs_number": "943 476 5919"}, "485 777 3456"]}"#)
        }
        #expect(throws: failure("record `$['residents']` selected by `$.residents` in http://council.test/residents is a number, expected an object")) {
            try records("$.residents", in: #"{"residents": 3}"#)
        }
    }

    @Test func aResponseIsParsedAndItsURLGivenToEachRecord() throws {
        let response = FeedResponse(key: "residents", feed: "council", url: Self.url, body: Data(register.utf8))
        let selected = try response.jsonRecords(at: JSONPath(parsing: "$.residents[*]"))
        #expect(selected.map(\.description) == [
            "record `$['residents'][0]` from http://council.test/residents",
            "record `$['residents'][1]` from http://council.test/residents",
        ])
        let broken = FeedResponse(key: "residents", feed: "council", url: Self.url, body: Data("{".utf8))
        #expect {
            try broken.jsonRecords(at: .everyElement)
        } throws: { error in
            (error as? PluginError)?.message.hasPrefix("the body of http://council.test/residents is not valid JSON: ") == true
        }
    }
}
