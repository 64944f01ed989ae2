// CSV and JSON extraction read a body in a file a piece at a time: errors deep inside a
// large body still name the row and column (CSV) or line and column (JSON) and the URL, a
// path that needs the whole document is refused over the documented limit, and the values
// match what the whole-document reading gives.
import Foundation
import JSONPlugin
import PioneerExtraction
import PioneerKit
import PioneerTesting
import Testing

@Suite struct StreamingExtractionTests {
    let june = Period.month(2026, 6)
    static let url = "http://127.0.0.1/exports/big"

    /// `rows` CSV data rows (about 40 bytes each) in a file; `change` may rewrite the row with a given number.
    func csvFile(_ folder: URL, rows: Int, change: (Int, String) -> String = { $1 }) throws -> URL {
        let file = folder.appending(path: "big.csv")
        var text = "id;age_band;cost;outcome\n"
        let bands = ["65-74", "75-84", "85+"]
        for index in 0..<rows {
            // The spreadsheet row: the header is row 1.
            let row = index + 2
            text += change(row, "\(100_000 + index);\(bands[index % 3]);\(index % 10).5;home\n")
        }
        try Data(text.utf8).write(to: file)
        return file
    }

    func csv(_ config: CSVExtraction, _ file: URL) throws -> ExtractedValue {
        try config.extract(FeedResponse(key: "export", feed: "council", url: Self.url, body: .file(file)), period: june)
    }

    @Test func aCSVInAFileIsCountedAndSummedAsTheWholeTextWouldBe() throws {
        try withTemporaryFolder(prefix: "pioneer-stream-csv") { folder in
            let file = try csvFile(folder, rows: 60_000)
            let count = CSVExtraction(feed: "council", path: "/x", delimiter: .semicolon,
                                      filters: [.init(column: "age_band", accepted: ["85+", "75-84"])], aggregate: .count)
            #expect(try csv(count, file).value == 40_000)
            let sum = CSVExtraction(feed: "council", path: "/x", filters: [.init(column: "age_band", accepted: ["85+"])],
                                    aggregate: .sum, column: "cost")
            let table = try CSVTable(parsing: String(decoding: try Data(contentsOf: file), as: UTF8.self))
            let expected = table.rows.filter { $0[1] == "85+" }.compactMap { Double($0[2]) }.reduce(0, +)
            #expect(try csv(sum, file).value == expected)
        }
    }

    @Test func aBadQuoteDeepInACSVNamesItsRowAndColumnAndTheURL() throws {
        try withTemporaryFolder(prefix: "pioneer-stream-csv") { folder in
            let file = try csvFile(folder, rows: 120_000) { row, line in
                row == 110_001 ? "110001;\"85+\"x;1;home\n" : line
            }
            let count = CSVExtraction(feed: "council", path: "/x", aggregate: .count)
            #expect {
                try csv(count, file)
            } throws: { error in
                (error as? PluginError)?.message == "the CSV from \(Self.url) could not be read: row 110001, column 2: unexpected `x` after the closing quote of a field; a quote inside a quoted field is written `\"\"`"
            }
        }
    }

    @Test func aCellThatIsNotANumberDeepInACSVNamesItsRowAndColumn() throws {
        try withTemporaryFolder(prefix: "pioneer-stream-csv") { folder in
            let file = try csvFile(folder, rows: 120_000) { row, line in
                row == 99_999 ? "99999;85+;n/a;home\n" : line
            }
            let sum = CSVExtraction(feed: "council", path: "/x", aggregate: .sum, column: "cost")
            #expect {
                try csv(sum, file)
            } throws: { error in
                (error as? PluginError)?.message == "row 99999 of \(Self.url): column `cost` (column 3) should hold a number, but found `n/a`"
            }
        }
    }

    @Test func aFilterNoRowPassesListsWhatTheColumnHoldsAfterStreaming() throws {
        try withTemporaryFolder(prefix: "pioneer-stream-csv") { folder in
            let file = try csvFile(folder, rows: 30_000)
            let count = CSVExtraction(feed: "council", path: "/x", filters: [.init(column: "age_band", accepted: ["90+"])],
                                      aggregate: .count)
            let value = try csv(count, file)
            #expect(value.value == nil)
            #expect(value.detail == "no row of \(Self.url) matched `age_band` = `90+`; no row has `age_band` = `90+`: the column holds `65-74` ×10000, `75-84` ×10000, `85+` ×10000")
        }
    }

    // MARK: JSON

    /// `elements` one to a line after a first line `{"generated": "2026-07-01", "data": [`.
    func jsonFile(_ folder: URL, elements: Int, change: (Int, String) -> String = { $1 }) throws -> URL {
        let file = folder.appending(path: "big.json")
        var text = "{\"generated\": \"2026-07-01\", \"data\": [\n"
        let bands = ["65-74", "75-84", "85+"]
        for index in 0..<elements {
            let line = "{\"id\": \(index), \"band\": \"\(bands[index % 3])\", \"admissions\": \(index % 7)}"
                + (index + 1 < elements ? ",\n" : "\n")
            // Element `index` is on line index + 2.
            text += change(index + 2, line)
        }
        text += "], \"total\": 12}\n"
        try Data(text.utf8).write(to: file)
        return file
    }

    func json(_ select: String, _ aggregate: JSONExtraction.Aggregate, _ file: URL) throws -> ExtractedValue {
        try JSONExtraction(feed: "bi", path: "/x", select: try JSONPath(parsing: select), aggregate: aggregate)
            .extract(FeedResponse(key: "document", feed: "bi", url: Self.url, body: .file(file)), period: june)
    }

    @Test func aFilteredSumOverAJSONFileMatchesTheWholeDocument() throws {
        try withTemporaryFolder(prefix: "pioneer-stream-json") { folder in
            let file = try jsonFile(folder, elements: 40_000)
            let select = "$.data[?@.band == '85+' || @.band == '75-84'].admissions"
            let path = try JSONPath(parsing: select)
            #expect(path.wholeDocumentReason == nil)
            let whole = path.evaluate(try JSONValue(parsing: Data(contentsOf: file))).compactMap(\.numberValue)
            let streamed = try json(select, .sum, file)
            #expect(streamed.value == whole.reduce(0, +))
            #expect(streamed.count == whole.count)
            #expect(try json("$.total", .value, file).value == 12)
            #expect(try json("$.data[*]", .count, file).value == 40_000)
            #expect(try json("$.data[39999].admissions", .value, file).value == Double(39_999 % 7))
        }
    }

    @Test func aSyntaxErrorDeepInAJSONFileNamesItsLineAndColumn() throws {
        try withTemporaryFolder(prefix: "pioneer-stream-json") { folder in
            let file = try jsonFile(folder, elements: 90_000) { line, text in
                line == 80_002 ? "{\"id\": 80000, \"band\": \"85+\", \"admissions\": 3,},\n" : text
            }
            #expect {
                try json("$.data[?@.band == '85+'].admissions", .sum, file)
            } throws: { error in
                (error as? PluginError)?.message == "the body of \(Self.url) is not valid JSON: unexpected `}` where an object key (a quoted string) was expected (line 80002, column 46)"
            }
            // Outside the selected array too: a member the path skips is still checked.
            let broken = try jsonFile(folder, elements: 90_000) { line, text in
                line == 40_002 ? "{\"id\": 40000, \"band\": \"85+\", \"admissions\": 3 4},\n" : text
            }
            #expect {
                try json("$.total", .value, broken)
            } throws: { error in
                (error as? PluginError)?.message == "the body of \(Self.url) is not valid JSON: expected `,` or `}` in an object, found `4` (line 40002, column 46)"
            }
        }
    }

    @Test func aNonNumberAmongStreamedMatchesIsNamedWithItsPathAndPlace() throws {
        try withTemporaryFolder(prefix: "pioneer-stream-json") { folder in
            let file = try jsonFile(folder, elements: 3_000) { line, text in
                line == 2_002 ? "{\"id\": 2000, \"band\": \"85+\", \"admissions\": \"n/a\"},\n" : text
            }
            #expect {
                try json("$.data[*].admissions", .sum, file)
            } throws: { error in
                (error as? PluginError)?.message == "`$.data[*].admissions` in \(Self.url) should select numbers, but `$['data'][2000]['admissions']` (match 2001 of 3000) is a string `n/a`"
            }
        }
    }

    @Test func aPathThatNeedsTheWholeDocumentIsRefusedOverTheLimit() throws {
        try withTemporaryFolder(prefix: "pioneer-stream-json") { folder in
            let file = folder.appending(path: "huge.json")
            // Spaces around a small document: valid JSON, larger than the limit.
            var bytes = Data(repeating: 0x20, count: JSONExtraction.wholeDocumentLimit + 1)
            bytes.append(contentsOf: Array(#"{"data": [{"x": 1}]}"#.utf8))
            try bytes.write(to: file)
            let path = try JSONPath(parsing: "$..x")
            #expect(path.wholeDocumentReason?.contains("needs the whole document in memory") == true)
            #expect {
                try json("$..x", .sum, file)
            } throws: { error in
                (error as? PluginError)?.message == "`$..x` needs the whole document in memory, and the body of \(Self.url) is 64 MB, over the 64 MB allowed for that; write a path that descends to an array and filters its elements (`$.data[?@.band == '65+'].admissions`), which runs over a body of any size"
            }
        }
    }

    @Test func validateNotesAPathThatNeedsTheWholeDocumentAtItsSelect() {
        let issues = PluginHarness<JSONIndicatorPlugin>.issues(configuring: [
            "feed": "bi", "path": "/admissions", "select": "$..admissions", "aggregate": "sum",
        ])
        let notes = issues.filter { $0.severity == .note }
        #expect(notes.count == 1)
        #expect(notes.first?.path == "config.select")
        #expect(notes.first?.message.hasPrefix("`$..admissions` needs the whole document in memory") == true)
        let streamable = PluginHarness<JSONIndicatorPlugin>.issues(configuring: [
            "feed": "bi", "path": "/admissions", "select": "$.data[?@.band == '85+'].admissions", "aggregate": "sum",
        ])
        #expect(streamable.isEmpty)
    }

    @Test func anElementOfMoreValuesThanATreeMayHoldIsRefusedNotBuilt() throws {
        try withTemporaryFolder(prefix: "pioneer-stream-json") { folder in
            // One element of 3,000,001 numbers (6 MB): `[*]` then `.items[*]` builds each element
            // of `data` whole, which for small values takes a hundred bytes or so each.
            var text = "{\"data\": [{\"items\": ["
            text += String(repeating: "1,", count: FeedResponse.wholeValueLimit)
            text += "1]}]}\n"
            let file = folder.appending(path: "one-element.json")
            try Data(text.utf8).write(to: file)
            let response = FeedResponse(key: "export", feed: "bi", url: Self.url, body: .file(file))
            let sum = try JSONExtraction(feed: "bi", path: "/x", select: JSONPath(parsing: "$.data[*].items[*]"), aggregate: .sum)
            #expect(throws: PluginError("`$.data[*].items[*]` in \(Self.url): a value read whole to run the path on it holds more than 3 million JSON values (line 1, column \(2 * FeedResponse.wholeValueLimit + 18)), more than pioneer builds at once (a hundred bytes or so each); ask the system for smaller records, or write a path that goes on into the value to the numbers inside it")) {
                _ = try sum.extract(response, period: june)
            }
            // One element fewer is read.
            let fewer = "{\"data\": [{\"items\": [" + String(repeating: "1,", count: FeedResponse.wholeValueLimit - 3) + "1]}]}\n"
            try Data(fewer.utf8).write(to: file)
            #expect(try sum.extract(response, period: june).value == Double(FeedResponse.wholeValueLimit - 2))
        }
    }
}
