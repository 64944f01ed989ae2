// A record longer than 64 MB is an error at its row, not memory growing with it: a file that
// is not CSV, or a quote never closed, stops early with a message saying which.
import Foundation
import PioneerKit
@testable import PioneerExtraction
import Testing

@Suite struct CSVRecordLimitTests {
    /// Reads `start`, then `filler` repeated in pieces of 1 KB until past a limit of 64 KB
    /// (64 MB outside the tests); the error.
    private func error(start: String, filler: UInt8) -> CSVTable.ParseError? {
        var reader = CSVRecordReader(delimiter: nil, recordLimit: 64 << 10)
        let piece = [UInt8](repeating: filler, count: 1 << 10)
        do {
            try Array(start.utf8).withUnsafeBytes { try reader.consume($0) { _ in } }
            for _ in 0...64 {
                try piece.withUnsafeBytes { try reader.consume($0) { _ in } }
            }
            try reader.finish { _ in }
        } catch let error as CSVTable.ParseError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
        }
        return nil
    }

    @Test func theLimitIs64MB() {
        #expect(CSVRecordReader.maximumRecordBytes == 64 << 20)
        #expect(CSVRecordReader(delimiter: nil).recordLimit == 64 << 20)
    }

    @Test func aRecordLongerThanTheLimitIsRefusedAtItsRow() {
        #expect(error(start: "id;note\n1;short\n2;", filler: UInt8(ascii: "x"))?.description
                == "row 3: a record longer than 65536 bytes starts here; a record is held whole while it is read, so a longer one is refused; is this CSV?")
    }

    @Test func aQuoteNeverClosedIsNamedAtTheRowWhereItOpened() {
        // Line ends inside the quotes belong to the field, so the rest of the text is one field.
        #expect(error(start: "id;note\n1;\"opened", filler: 0x0A)?.description
                == "row 2: a record with a quoted field longer than 65536 bytes starts here; a record is held whole while it is read, so a longer one is refused; a quoted field whose closing `\"` is missing makes the rest of the text one field")
    }

    @Test func aHeaderLineLongerThanTheLimitIsRefused() {
        #expect(error(start: "id", filler: UInt8(ascii: "x"))?.description
                == "row 1: the header line longer than 65536 bytes starts here; a record is held whole while it is read, so a longer one is refused; is this CSV?")
    }

    @Test func aHeaderWiderThanASpreadsheetIsRefusedNamingTheSeparator() throws {
        let wide = Array(repeating: "c", count: CSVRecordReader.maximumColumns + 1).joined(separator: ";") + "\n"
        #expect(throws: CSVTable.ParseError(row: 1, reason: "the header has more than 16384 columns, more than a spreadsheet holds; is the separator `;` right, and is this CSV?")) {
            _ = try CSVTable(parsing: wide, delimiter: .semicolon)
        }
        let widest = Array(repeating: "c", count: CSVRecordReader.maximumColumns).joined(separator: ";") + "\n"
        #expect(try CSVTable(parsing: widest, delimiter: .semicolon).header.count == CSVRecordReader.maximumColumns)
    }

    @Test func aMissingColumnListsALongHeaderInPart() throws {
        let header = (1...100).map { "column\($0)" }
        let table = try CSVTable(parsing: header.joined(separator: ",") + "\n", delimiter: .comma)
        do {
            _ = try table.requireColumn("age_band", in: "http://bi.test/wide.csv")
            Issue.record("found a column that is not there")
        } catch {
            #expect(error.message.hasSuffix("`column39`, `column40` and 60 more"), "\(error.message)")
            #expect(error.message.hasPrefix("column `age_band` is not in the CSV from http://bi.test/wide.csv"))
        }
    }
}
