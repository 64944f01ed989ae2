// The CSV reader's fast path (a record handed over where it lies in the piece read) and the
// careful state machine give the same records and the same errors, however the text is cut
// into pieces; filters judged by a cell's bytes and numbers read from bytes agree with the
// text readings they replace.
import Foundation
import PioneerExtraction
import PioneerKit
import Testing

@Suite struct CSVFastPathTests {
    /// Every record of `text` as (row, fields), read in pieces of `size` bytes.
    private func records(_ text: String, pieces size: Int, delimiter: CSVTable.Delimiter? = nil) throws -> [[String]] {
        let bytes = Array(text.utf8)
        var reader = CSVRecordReader(delimiter: delimiter)
        var found: [[String]] = []
        let keep = { (record: CSVRecord) in found.append(["\(record.row)"] + (0..<record.count).map(record.field)) }
        var start = 0
        while start < bytes.count {
            let end = min(start + size, bytes.count)
            try bytes[start..<end].withUnsafeBytes { try reader.consume($0, onRecord: keep) }
            start = end
        }
        try reader.finish(onRecord: keep)
        return found
    }

    private func failure(_ text: String, pieces size: Int) -> String? {
        do {
            _ = try records(text, pieces: size)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func recordsAreTheSameWhereverThePiecesEnd() throws {
        let text = "\u{FEFF}id;note;age_band\r\n"
            + "1;\"a; quoted; field\";85+\r\n"
            + "2;\"two\nlines\r\nof text\";75-84\r\n"
            + "\r\n"
            + "3;\"a \"\"doubled\"\" quote\";65-74\n"
            + "4;plain é ☃;85+\r"
            + "5;\"\";\n"
            + "\n"
            + "6;\"ends\";\"here\""
        let whole = try records(text, pieces: text.utf8.count)
        #expect(whole == [
            ["2", "1", "a; quoted; field", "85+"],
            ["3", "2", "two\nlines\r\nof text", "75-84"],
            ["5", "3", "a \"doubled\" quote", "65-74"],
            ["6", "4", "plain é ☃", "85+"],
            ["7", "5", "", ""],
            ["9", "6", "ends", "here"],
        ])
        for size in 1...12 {
            #expect(try records(text, pieces: size) == whole, "pieces of \(size) bytes")
        }
    }

    @Test func errorsNameTheSameRowAndColumnWhereverThePiecesEnd() {
        let badQuote = "a;b;c\n1;2;3\n4;\"5\"x;6\n"
        let narrow = "a;b;c\n1;2;3\n4;5\n"
        let wide = "a;b;c\n1;2;3\n4;5;6;7\n"
        let unclosed = "a;b;c\n1;2;3\n4;\"5;6\n"
        for size in [1, 2, 3, 5, 7, 64] {
            #expect(failure(badQuote, pieces: size) == "row 3, column 2: unexpected `x` after the closing quote of a field; a quote inside a quoted field is written `\"\"`")
            #expect(failure(narrow, pieces: size) == "row 3: has 2 fields but the header has 3 columns (separator `;`)")
            #expect(failure(wide, pieces: size) == "row 3: has 4 fields but the header has 3 columns (separator `;`)")
            #expect(failure(unclosed, pieces: size) == "row 3, column 2: a quoted field is not closed: it starts with `\"` but no closing `\"` follows")
        }
    }

    @Test func aFilterOverManyDistinctValuesMatchesCaseBlindAndTrimmed() throws {
        // More distinct cells than are searched one by one, so the hashed table answers too.
        var text = "ward,outcome\n"
        var expected = 0
        for index in 0..<3_000 {
            let outcome = ["home", "HOME", " Home ", "care home", "died"][index % 5]
            if index % 5 < 3 { expected += 1 }
            text += "ward \(index % 40),\(outcome)\n"
        }
        let config = CSVExtraction(feed: "f", path: "/x", filters: [.init(column: "outcome", accepted: ["home"]),
                                                                     .init(column: "ward", accepted: (0..<40).map { "WARD \($0)" })],
                                   aggregate: .count)
        let response = FeedResponse(key: "k", feed: "f", url: "http://127.0.0.1/x.csv", body: Data(text.utf8))
        #expect(try config.extract(response, period: .month(2026, 6)).value == Double(expected))
    }

    @Test func numbersReadFromBytesSumAsTheirTextReads() throws {
        let cells = ["12", "-3.25", "0.1", "0.2", "1e3", "2.5E-2", "-0", "9007199254740993", "123456789012345678901",
                     "1e23", "0.000000000000000000000000123", "£4.50", " 7 ", ""]
        var text = "id,value\n"
        for (index, cell) in cells.enumerated() { text += "\(index),\(cell)\n" }
        let expected = cells.compactMap { cell -> Double? in
            var trimmed = Substring(cell.trimmingCharacters(in: .whitespaces))
            if trimmed.first == "£" { trimmed = trimmed.dropFirst() }
            return Double(trimmed)
        }.reduce(0, +)
        let config = CSVExtraction(feed: "f", path: "/x", aggregate: .sum, column: "value")
        let response = FeedResponse(key: "k", feed: "f", url: "http://127.0.0.1/x.csv", body: Data(text.utf8))
        let value = try config.extract(response, period: .month(2026, 6))
        #expect(value.value == expected)
        #expect(value.count == cells.count - 1)
    }

    @Test func plainTextSplitEightBytesAtATimeGivesTheRecordsTheStateMachineGives() throws {
        // No quote and no CR: the block path reads it wherever a piece holds eight bytes or
        // more; pieces of one byte leave it all to the state machine.
        var text = "id;admitted;age_band;ward\n"
        for index in 0..<300 {
            let ward = ["AMU", "Elderly care", "", "Orthopaedics and trauma", "é☃"][index % 5]
            text += "\(index);2026-06-\(index % 30 + 1);\(["18-64", "85+"][index % 2]);\(ward)\n"
            if index % 37 == 0 { text += "\n" }
        }
        text += "last;;;"
        let byState = try records(text, pieces: 1)
        #expect(byState.count == 301)
        #expect(byState.last == ["311", "last", "", "", ""])
        for size in [8, 9, 15, 16, 17, 31, 64, 1000, text.utf8.count] {
            #expect(try records(text, pieces: size) == byState, "pieces of \(size) bytes")
        }
    }

    @Test func windowsLineEndsGiveTheRecordsTheStateMachineGives() throws {
        // CR LF line ends (Windows' exports), empty CR LF lines, a bare CR ending a line (old
        // Macs), a CR inside quotes, and a last field that is empty before the CR LF.
        var text = "id;admitted;age_band;ward\r\n"
        for index in 0..<300 {
            let ward = ["AMU", "Elderly care", "", "Orthopaedics and trauma", "é☃"][index % 5]
            text += "\(index);2026-06-\(index % 30 + 1);\(["18-64", "85+"][index % 2]);\(ward)"
            text += index % 53 == 7 ? "\r" : "\r\n"
            if index % 37 == 0 { text += "\r\n" }
            if index == 150 { text += "q;\"a\rb\";85+;\"c\r\nd\"\r\n" }
        }
        text += "last;;;\r\n"
        let byState = try records(text, pieces: 1)
        #expect(byState.count == 302)
        #expect(byState.contains(["158", "q", "a\rb", "85+", "c\r\nd"]), "\(byState[150...152])")
        #expect(byState.last == ["312", "last", "", "", ""])
        #expect(byState.allSatisfy { !$0.joined().contains("\r") || $0[1] == "q" })
        for size in [2, 8, 9, 15, 16, 17, 31, 64, 1000, text.utf8.count] {
            #expect(try records(text, pieces: size) == byState, "pieces of \(size) bytes")
        }
        // And as the same text with LF line ends gives, but for the quoted field's own CR LF.
        let unix = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "c\nd", with: "c\r\nd")
        #expect(try records(unix, pieces: 4096) == byState)
    }

    /// The error reading `bytes` in pieces of `size` gives, or nil when they read.
    static func readError(_ bytes: [UInt8], pieces size: Int, delimiter: CSVTable.Delimiter?) -> String? {
        var reader = CSVRecordReader(delimiter: delimiter)
        var start = 0
        do {
            while start < bytes.count {
                let end = min(start + size, bytes.count)
                try bytes[start..<end].withUnsafeBytes { try reader.consume($0) { _ in } }
                start = end
            }
            try reader.finish { _ in }
            return nil
        } catch {
            return (error as? CSVTable.ParseError)?.description ?? "\(error)"
        }
    }

    @Test func utf16TextIsRefusedSayingSoWhereverThePiecesEnd() throws {
        let text = "id;age_band;outcome\n1;85+;home\n"
        let littleEndian = Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let bigEndian = Array(text.utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let message = "row 1: the text is UTF-16, not UTF-8 (it starts with a UTF-16 byte-order mark, or every other byte of its header is NUL); export it as UTF-8 (in Excel, \"CSV UTF-8\")"
        for bytes in [[0xFF, 0xFE] + littleEndian, [0xFE, 0xFF] + bigEndian, littleEndian] {
            for size in [1, 2, 3, 7, 4096] {
                for delimiter in [CSVTable.Delimiter.semicolon, nil] {
                    #expect(Self.readError(bytes, pieces: size, delimiter: delimiter) == message, "pieces of \(size)")
                }
            }
        }
    }

    @Test func aWorkbookOrOtherFileServedForTheCSVIsNamedNotCalledUTF16() throws {
        let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x0A, 0x00, 0x00, 0x00] + Array(repeating: 0x41, count: 100)
        let xls: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0x00, 0x00, 0x0A]
        let pdf = Array("%PDF-1.7\n%âãÏÓ\n".utf8)
        let binary: [UInt8] = [0x01, 0x00, 0x00, 0x00, 0x7F, 0x45, 0x00, 0x46, 0x0A, 0x00]
        let cases: [([UInt8], String)] = [
            (zip, "row 1: the body is a zip file (an Excel .xlsx workbook?), not CSV text; export the sheet as CSV UTF-8 and check the feed's path"),
            (xls, "row 1: the body is an Excel 97-2003 .xls workbook, not CSV text; export the sheet as CSV UTF-8 and check the feed's path"),
            (pdf, "row 1: the body is a PDF document, not CSV text; export the sheet as CSV UTF-8 and check the feed's path"),
            (binary, "row 1: the body is not text: its first line holds NUL bytes; check that the feed's path gives the CSV export"),
        ]
        for (bytes, message) in cases {
            for size in [1, 3, 4096] {
                #expect(Self.readError(bytes, pieces: size, delimiter: nil) == message, "pieces of \(size)")
            }
        }
    }

    @Test func plainTextErrorsNameTheRowTheStateMachineNames() {
        var rows = "a;b;c\n"
        for index in 0..<40 { rows += "\(index);x;y\n" }
        let narrow = rows + "4;5\n1;2;3\n"
        let wide = rows + "\n4;5;6;7\n1;2;3\n"
        for size in [1, 8, 13, 64, 4096] {
            #expect(failure(narrow, pieces: size) == "row 42: has 2 fields but the header has 3 columns (separator `;`)")
            #expect(failure(wide, pieces: size) == "row 43: has 4 fields but the header has 3 columns (separator `;`)")
        }
    }

    @Test func cellsSharingTheirFirstEightBytesAreJudgedApart() throws {
        var text = "ward,outcome\n"
        for index in 0..<2_000 {
            text += "\(["Elderly care", "Elderly carers", "Elderly cart", "elderly care ", "Elderly"][index % 5]),home\n"
        }
        let config = CSVExtraction(feed: "f", path: "/x", filters: [.init(column: "ward", accepted: ["Elderly care"])],
                                   aggregate: .count)
        let response = FeedResponse(key: "k", feed: "f", url: "http://127.0.0.1/x.csv", body: Data(text.utf8))
        #expect(try config.extract(response, period: .month(2026, 6)).value == 800)
    }
}
