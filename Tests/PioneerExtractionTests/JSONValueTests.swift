// JSONValue: what a parsed body keeps apart, and what a malformed one says.
import Foundation
import PioneerExtraction
import Testing

@Suite struct JSONValueTests {
    @Test func jsonKeepsNumbersAndBooleansApart() throws {
        let value = try JSONValue(parsing: Data(#"{"a": 1, "b": true, "c": "2.5", "d": null}"#.utf8))
        #expect(value.objectValue?["a"] == .number(1))
        #expect(value.objectValue?["b"] == .bool(true))
        #expect(value.objectValue?["c"]?.numberValue == 2.5)
        #expect(value.objectValue?["d"] == .null)
    }

    @Test func malformedJSONGivesAReadableError() {
        #expect {
            try JSONValue(parsing: Data(#"{"a": 1,"#.utf8))
        } throws: { error in
            (error as? JSONValue.ParseError)?.description
                == "the JSON ends where an object key (a quoted string) was expected (line 1, column 9)"
        }
        #expect {
            try JSONValue(parsing: Data())
        } throws: { error in
            (error as? JSONValue.ParseError)?.description == "the body is empty"
        }
    }
}
