// JSONRecord's typed field readers: each reads what it should, and each refusal names the
// field, the record's normalized path and the URL.
import Foundation
import PioneerExtraction
import PioneerKit
import Testing

@Suite("JSON record fields")
struct JSONRecordTests {
    static let url = "http://council.test/residents"

    /// A record as the selection helper would give it: the 4th resident in the register.
    func record(_ json: String) throws -> JSONRecord {
        let fields = try #require(try JSONValue(parsing: Data(json.utf8)).objectValue)
        return JSONRecord(fields: fields, path: "$['residents'][3]", url: Self.url)
    }

    func failure(_ message: String) -> PluginError {
        PluginError(message)
    }

    @Test func describesItselfByPathAndURL() throws {
        #expect(try record("{}").description == "record `$['residents'][3]` from http://council.test/residents")
        #expect(try record(#"{"a": [1]}"#)["a"] == .array([.number(1)]))
        #expect(try record("{}")["a"] == nil)
    }

    // MARK: Strings and text

    @Test func stringReadsAString() throws {
        #expect(try record(#"{"name": "A. Resident"}"#).string("name") == "A. Resident")
        #expect(try record(#"{"name": ""}"#).string("name") == "")
    }

    @Test func aMissingRequiredFieldIsNamedWithASuggestionAndTheFieldsThereAre() throws {
        #expect(throws: failure("record `$['residents'][3]` from http://council.test/residents has no field `nhs_number` (did you mean `nhs_numbr`?); its fields are `age`, `nhs_numbr`")) {
            try record(#"{"nhs_numbr": "943 476 5919", "age": 84}"#).string("nhs_number")
        }
        #expect(throws: failure("record `$['residents'][3]` from http://council.test/residents has no field `nhs_number`; it has no fields")) {
            try record("{}").string("nhs_number")
        }
    }

    @Test func aMissingFieldOfABigRecordIsNamedWithoutListingEveryField() throws {
        let fields = (1...9).map { "\"f\($0)\": \($0)" }.joined(separator: ", ")
        #expect(throws: failure("record `$['residents'][3]` from http://council.test/residents has no field `nhs_number`")) {
            try record("{\(fields)}").string("nhs_number")
        }
    }

    @Test func aNullRequiredFieldIsAnError() throws {
        #expect(throws: failure("field `name` of record `$['residents'][3]` from http://council.test/residents is null, expected a string")) {
            try record(#"{"name": null}"#).string("name")
        }
    }

    @Test func stringRefusesOtherKinds() throws {
        #expect(throws: failure("field `name` of record `$['residents'][3]` from http://council.test/residents is a number, expected a string")) {
            try record(#"{"name": 12}"#).string("name")
        }
    }

    @Test func stringIfPresentIsNilForMissingOrNullAndStillRefusesOtherKinds() throws {
        #expect(try record(#"{"name": "A"}"#).stringIfPresent("name") == "A")
        #expect(try record("{}").stringIfPresent("name") == nil)
        #expect(try record(#"{"name": null}"#).stringIfPresent("name") == nil)
        #expect(throws: failure("field `name` of record `$['residents'][3]` from http://council.test/residents is the boolean `true`, expected a string")) {
            try record(#"{"name": true}"#).stringIfPresent("name")
        }
    }

    @Test func textReadsStringsNumbersAndBooleansAsWritten() throws {
        let fields = try record(#"{"id": "943 476 5919", "n": 9434765919, "half": 2.5, "whole": 12.0, "yes": true}"#)
        #expect(try fields.text("id") == "943 476 5919")
        #expect(try fields.text("n") == "9434765919")
        #expect(try fields.text("half") == "2.5")
        #expect(try fields.text("whole") == "12")
        #expect(try fields.text("yes") == "true")
        #expect(try record(#"{"big": 1e300}"#).text("big") == "1e+300")
    }

    @Test func textRefusesListsAndObjects() throws {
        #expect(throws: failure("field `answer` of record `$['residents'][3]` from http://council.test/residents is an array, expected text (a string or a number)")) {
            try record(#"{"answer": ["Agree"]}"#).text("answer")
        }
        #expect(throws: failure("field `answer` of record `$['residents'][3]` from http://council.test/residents is an object, expected text (a string or a number)")) {
            try record(#"{"answer": {"text": "Agree"}}"#).textIfPresent("answer")
        }
    }

    @Test func textIfPresentIsNilForMissingOrNull() throws {
        #expect(try record("{}").textIfPresent("answer") == nil)
        #expect(try record(#"{"answer": null}"#).textIfPresent("answer") == nil)
        #expect(try record(#"{"answer": 4}"#).textIfPresent("answer") == "4")
    }

    // MARK: Numbers

    @Test func numberReadsNumbersAndNumbersWrittenAsStrings() throws {
        let fields = try record(#"{"beds": 12, "cost": "1234.5", "spend": "£3,945.50", "share": " 12.5% "}"#)
        #expect(try fields.number("beds") == 12)
        #expect(try fields.number("cost") == 1234.5)
        #expect(try fields.number("spend", format: .readable) == 3945.5)
        #expect(try fields.number("share", format: .readable) == 0.125)
    }

    @Test func aStringNumberInAnotherFormatSaysWhichFormatReadsIt() throws {
        #expect(throws: failure("field `spend` of record `$['residents'][3]` from http://council.test/residents is `3,945.50`, not a number; it reads as one in number format `readable`")) {
            try record(#"{"spend": "3,945.50"}"#).number("spend")
        }
        #expect(throws: failure("field `spend` of record `$['residents'][3]` from http://council.test/residents is `3.945,50`, not a number; it reads as one in number format `readable-decimal-comma`")) {
            try record(#"{"spend": "3.945,50"}"#).number("spend", format: .readable)
        }
    }

    @Test func textThatIsNoNumberIsAnError() throws {
        #expect(throws: failure("field `beds` of record `$['residents'][3]` from http://council.test/residents is `n/a`, not a number")) {
            try record(#"{"beds": "n/a"}"#).number("beds")
        }
        #expect(throws: failure("field `beds` of record `$['residents'][3]` from http://council.test/residents is `n/a`, not a number (read in number format `readable`)")) {
            try record(#"{"beds": "n/a"}"#).number("beds", format: .readable)
        }
        #expect(throws: failure("field `beds` of record `$['residents'][3]` from http://council.test/residents is blank, not a number")) {
            try record(#"{"beds": " "}"#).number("beds")
        }
        #expect(throws: failure("field `beds` of record `$['residents'][3]` from http://council.test/residents is the boolean `false`, expected a number")) {
            try record(#"{"beds": false}"#).number("beds")
        }
    }

    @Test func numberIfPresentIsNilForMissingNullOrBlank() throws {
        #expect(try record("{}").numberIfPresent("beds") == nil)
        #expect(try record(#"{"beds": null}"#).numberIfPresent("beds") == nil)
        #expect(try record(#"{"beds": ""}"#).numberIfPresent("beds") == nil)
        #expect(try record(#"{"beds": "1 204"}"#).numberIfPresent("beds", format: .readable) == 1204)
        #expect(throws: failure("field `beds` of record `$['residents'][3]` from http://council.test/residents is an array, expected a number")) {
            try record(#"{"beds": []}"#).numberIfPresent("beds")
        }
    }

    @Test func integerReadsWholeNumbers() throws {
        let fields = try record(#"{"age": 84, "also": 84.0, "quoted": "84", "negative": -3}"#)
        #expect(try fields.integer("age") == 84)
        #expect(try fields.integer("also") == 84)
        #expect(try fields.integer("quoted") == 84)
        #expect(try fields.integer("negative") == -3)
    }

    @Test func integerRefusesFractionsAndNumbersTooBigToHoldExactly() throws {
        #expect(throws: failure("field `age` of record `$['residents'][3]` from http://council.test/residents is `84.5`, expected a whole number")) {
            try record(#"{"age": 84.5}"#).integer("age")
        }
        #expect(throws: failure("field `age` of record `$['residents'][3]` from http://council.test/residents is `1e+300`, expected a whole number")) {
            try record(#"{"age": 1e300}"#).integer("age")
        }
        #expect(throws: failure("field `age` of record `$['residents'][3]` from http://council.test/residents is `eighty`, not a number")) {
            try record(#"{"age": "eighty"}"#).integer("age")
        }
        #expect(throws: failure("field `age` of record `$['residents'][3]` from http://council.test/residents is null, expected a whole number")) {
            try record(#"{"age": null}"#).integer("age")
        }
    }

    @Test func integerIfPresentIsNilForMissingNullOrBlank() throws {
        #expect(try record("{}").integerIfPresent("age") == nil)
        #expect(try record(#"{"age": null}"#).integerIfPresent("age") == nil)
        #expect(try record(#"{"age": ""}"#).integerIfPresent("age") == nil)
        #expect(try record(#"{"age": 7}"#).integerIfPresent("age") == 7)
        #expect(throws: failure("field `age` of record `$['residents'][3]` from http://council.test/residents is `7.25`, expected a whole number")) {
            try record(#"{"age": 7.25}"#).integerIfPresent("age")
        }
    }

    // MARK: Booleans and dates

    @Test func boolReadsOnlyJSONBooleans() throws {
        #expect(try record(#"{"closed": true}"#).bool("closed"))
        #expect(try !record(#"{"closed": false}"#).bool("closed"))
        #expect(throws: failure("field `closed` of record `$['residents'][3]` from http://council.test/residents is a string `yes`, expected true or false")) {
            try record(#"{"closed": "yes"}"#).bool("closed")
        }
        #expect(throws: failure("record `$['residents'][3]` from http://council.test/residents has no field `closed` (did you mean `close`?); its fields are `close`")) {
            try record(#"{"close": true}"#).bool("closed")
        }
    }

    @Test func boolIfPresentIsNilForMissingNullOrBlank() throws {
        #expect(try record("{}").boolIfPresent("closed") == nil)
        #expect(try record(#"{"closed": null}"#).boolIfPresent("closed") == nil)
        #expect(try record(#"{"closed": ""}"#).boolIfPresent("closed") == nil)
        #expect(try record(#"{"closed": false}"#).boolIfPresent("closed") == false)
        #expect(throws: failure("field `closed` of record `$['residents'][3]` from http://council.test/residents is a number, expected true or false")) {
            try record(#"{"closed": 1}"#).boolIfPresent("closed")
        }
    }

    @Test func dateReadsTheConfiguredFormat() throws {
        let fields = try record(#"{"iso": "2026-06-30", "stamp": "2026-06-30T14:05:00Z", "uk": "1/7/2026", "month": "2026-06"}"#)
        #expect(try fields.date("iso") == CalendarDate(year: 2026, month: 6, day: 30))
        #expect(try fields.date("stamp") == CalendarDate(year: 2026, month: 6, day: 30))
        #expect(try fields.date("uk", format: .dayMonthYear) == CalendarDate(year: 2026, month: 7, day: 1))
        #expect(try fields.date("month", format: .yearMonth) == CalendarDate(year: 2026, month: 6, day: 1))
    }

    @Test func aDateThatIsNotADateSaysWhatWasExpected() throws {
        #expect(throws: failure("field `date_of_death` of record `$['residents'][3]` from http://council.test/residents is `31/02/2026`, not a date (expected YYYY-MM-DD, such as 2026-06-30)")) {
            try record(#"{"date_of_death": "31/02/2026"}"#).date("date_of_death")
        }
        #expect(throws: failure("field `date_of_death` of record `$['residents'][3]` from http://council.test/residents is `31/02/2026`, not a date (expected DD/MM/YYYY, such as 30/06/2026)")) {
            try record(#"{"date_of_death": "31/02/2026"}"#).date("date_of_death", format: .dayMonthYear)
        }
        #expect(throws: failure("field `date_of_death` of record `$['residents'][3]` from http://council.test/residents is blank, not a date (expected YYYY-MM, such as 2026-06)")) {
            try record(#"{"date_of_death": ""}"#).date("date_of_death", format: .yearMonth)
        }
        #expect(throws: failure("field `date_of_death` of record `$['residents'][3]` from http://council.test/residents is a number, not a date written as text (expected YYYY-MM-DD, such as 2026-06-30)")) {
            try record(#"{"date_of_death": 20260630}"#).date("date_of_death")
        }
        #expect(throws: failure("field `date_of_death` of record `$['residents'][3]` from http://council.test/residents is null, expected a date (YYYY-MM-DD)")) {
            try record(#"{"date_of_death": null}"#).date("date_of_death")
        }
    }

    @Test func dateIfPresentIsNilForMissingNullOrBlank() throws {
        #expect(try record("{}").dateIfPresent("discharged") == nil)
        #expect(try record(#"{"discharged": null}"#).dateIfPresent("discharged") == nil)
        #expect(try record(#"{"discharged": "  "}"#).dateIfPresent("discharged") == nil)
        #expect(try record(#"{"discharged": "30/06/2026"}"#).dateIfPresent("discharged", format: .dayMonthYear) == CalendarDate(year: 2026, month: 6, day: 30))
        #expect(throws: failure("field `discharged` of record `$['residents'][3]` from http://council.test/residents is `last week`, not a date (expected YYYY-MM-DD, such as 2026-06-30)")) {
            try record(#"{"discharged": "last week"}"#).dateIfPresent("discharged")
        }
    }
}
