// A CSV body in a file read as two halves at once gives what reading it in order gives:
// the same value when the middle falls between records, and, by reading on in order, when
// it falls inside a quoted field, when the second half holds an error (named at its row)
// and when no row matches (the message lists what the columns hold).
import Foundation
@testable import PioneerExtraction
import PioneerKit
import Testing

@Suite struct CSVHalvesTests {
    private let period = Period.month(2026, 6)

    /// The extraction's answer (or error) over `text` read in order from memory, and read in
    /// halves from a file in pieces of 256 bytes.
    private func bothWays(_ config: CSVExtraction, _ text: String) throws -> (inOrder: String, halves: String) {
        try inMemoryAndInFile(text, extension: "csv") { memory, file in
            (answerText { try config.extract(memory, period: period) },
             answerText { try config.extractInHalves(file, period: period, threshold: 1, piece: 256) })
        }
    }

    private func admissions(_ count: Int, row: (Int) -> String = { _ in "" }) -> String {
        var text = "id;admitted;age_band;los_days;outcome\n"
        for index in 0..<count {
            let special = row(index)
            text += special.isEmpty
                ? "\(index);2026-06-\(index % 9 + 10);\(["18-64", "75-84", "85+"][index % 3]);\(index % 17).5;\(["home", "died"][index % 2])\n"
                : special + "\n"
        }
        return text
    }

    private let count = CSVExtraction(feed: "f", path: "/x", delimiter: .semicolon, dateColumn: "admitted",
                                      filters: [.init(column: "age_band", accepted: ["75-84", "85+"]),
                                                .init(column: "outcome", accepted: ["home"])],
                                      aggregate: .count)

    @Test func aPlainBodyGivesTheSameCountSumAndMean() throws {
        let text = admissions(2_000)
        var sum = count
        sum.aggregate = .sum
        sum.column = "los_days"
        var mean = sum
        mean.aggregate = .mean
        for config in [count, sum, mean] {
            let (inOrder, halves) = try bothWays(config, text)
            #expect(halves == inOrder)
            #expect(!inOrder.hasPrefix("error"))
        }
    }

    @Test func windowsLineEndsGiveTheSameCountAndSumInHalvesAndAsLineFeeds() throws {
        let unix = admissions(2_000)
        let windows = unix.replacingOccurrences(of: "\n", with: "\r\n")
        var sum = count
        sum.aggregate = .sum
        sum.column = "los_days"
        for config in [count, sum] {
            let (inOrder, halves) = try bothWays(config, windows)
            #expect(halves == inOrder)
            #expect(inOrder == (try bothWays(config, unix)).inOrder)
            #expect(!inOrder.hasPrefix("error"))
        }
    }

    @Test func datesRepeatedOverManyRowsAreJudgedOnceAndABadOneLateIsStillNamed() throws {
        // Three months of dates, each repeated over many rows, some with spaces around them.
        var text = "id;admitted;age_band;los_days;outcome\n"
        var expected = 0
        for index in 0..<6_000 {
            let month = [5, 6, 7][index % 3]
            let day = index % 28 + 1
            let date = index % 11 == 0 ? " 2026-0\(month)-\(day < 10 ? "0" : "")\(day) " : "2026-0\(month)-\(day < 10 ? "0" : "")\(day)"
            let band = ["18-64", "75-84", "85+"][index % 3 == 1 ? 1 : index % 5 == 0 ? 2 : 0]
            let outcome = ["home", "died"][index % 2]
            if month == 6, band != "18-64", outcome == "home" { expected += 1 }
            text += "\(index);\(date);\(band);\(index % 17).5;\(outcome)\n"
        }
        let (inOrder, halves) = try bothWays(count, text)
        #expect(halves == inOrder)
        #expect(inOrder.hasPrefix("\(Double(expected)) (\(expected))"), "\(inOrder)")
        #expect(expected > 500)
        // A date that is not one, after thousands of good ones, is named at its row.
        let broken = text + "6000;2026-06-31;85+;1;home\n"
        let (brokenInOrder, brokenHalves) = try bothWays(count, broken)
        #expect(brokenHalves == brokenInOrder)
        #expect(brokenInOrder == "error: row 6002 of http://127.0.0.1/x.csv: column `admitted` (column 2) should hold a date like 2026-06-30 (iso), but found `2026-06-31`",
                "\(brokenInOrder)")
    }

    @Test func aMiddleInsideAQuotedFieldIsReadOnInOrder() throws {
        // Every row from 900 to 1,100 has a note over several lines, so the LF after the
        // middle lies inside quotes.
        var config = count
        config.delimiter = .semicolon
        let text = admissions(2_000) { index in
            (900..<1_100).contains(index) ? "\(index);2026-06-01;85+;1;\"home\nvisit\n\(String(repeating: "x", count: 40))\"" : ""
        }
        let (inOrder, halves) = try bothWays(config, text)
        #expect(halves == inOrder)
        #expect(!inOrder.hasPrefix("error"))
    }

    @Test func anErrorInTheFirstHalfStopsTheSecondAndIsNamedAsInOrder() throws {
        let text = admissions(2_000) { $0 == 600 ? "600;2026-06-01;85+;1;home;extra" : "" }
        let (inOrder, halves) = try bothWays(count, text)
        #expect(inOrder == "error: the CSV from http://127.0.0.1/x.csv could not be read: row 602: has 6 fields but the header has 5 columns (separator `;`)")
        #expect(halves == inOrder)
    }

    @Test func anErrorInTheSecondHalfNamesItsRowAsInOrder() throws {
        let narrow = admissions(2_000) { $0 == 1_700 ? "1700;2026-06-01;85+" : "" }
        let badDate = admissions(2_000) { $0 == 1_800 ? "1800;June;85+;3;home" : "" }
        for text in [narrow, badDate] {
            let (inOrder, halves) = try bothWays(count, text)
            #expect(inOrder.hasPrefix("error"))
            #expect(halves == inOrder)
        }
        #expect(try bothWays(count, narrow).halves.contains("row 1702"))
        #expect(try bothWays(count, badDate).halves.contains("row 1802"))
    }

    @Test func noMatchListsWhatTheColumnsHoldAsInOrder() throws {
        var config = count
        config.filters = [.init(column: "outcome", accepted: ["transferred"])]
        let (inOrder, halves) = try bothWays(config, admissions(2_000))
        #expect(halves == inOrder)
        #expect(inOrder.contains("the column holds `home` ×1000, `died` ×1000"))
    }
}
