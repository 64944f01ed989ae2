// The CSV reader: byte-order marks, quotes, separators, line ends, and errors naming the row.
import PioneerKit
import PioneerExtraction
import Testing

@Suite("CSVTable")
struct CSVTableTests {
    @Test func readsAHeaderAndRows() throws {
        let table = try CSVTable(parsing: "id,band\nP1,65-74\nP2,85+\n")
        #expect(table.header == ["id", "band"])
        #expect(table.rows == [["P1", "65-74"], ["P2", "85+"]])
        #expect(table.rowNumbers == [2, 3])
        #expect(table.delimiter == .comma)
    }

    @Test func skipsAByteOrderMark() throws {
        let table = try CSVTable(parsing: "\u{FEFF}id,band\nP1,65-74")
        #expect(table.header == ["id", "band"])
        #expect(table.columnIndex("id") == 0)
    }

    @Test func quotedFieldsHoldSeparatorsQuotesAndLineBreaks() throws {
        let text = "id,note\r\nP1,\"Lives alone, daughter nearby\"\r\nP2,\"Moved to \"\"Oak Lodge\"\"\"\r\nP3,\"Two visits,\r\nthen discharged\"\r\nP4,\"\"\r\n"
        let table = try CSVTable(parsing: text)
        #expect(table.rows.map { $0[1] } == [
            "Lives alone, daughter nearby", "Moved to \"Oak Lodge\"", "Two visits,\r\nthen discharged", "",
        ])
        #expect(table.rowNumbers == [2, 3, 4, 5])
    }

    @Test func detectsSemicolonAndTabFromTheHeader() throws {
        let semicolon = try CSVTable(parsing: "id;cost;note\nP1;12,5;\"a; b\"\n")
        #expect(semicolon.delimiter == .semicolon)
        #expect(semicolon.rows == [["P1", "12,5", "a; b"]])
        let tab = try CSVTable(parsing: "id\tband\tnote, free text\nP1\t85+\tx\n")
        #expect(tab.delimiter == .tab)
        #expect(tab.header == ["id", "band", "note, free text"])
    }

    @Test func usesAGivenDelimiterOverDetection() throws {
        let table = try CSVTable(parsing: "a;b,c\n1;2,3\n", delimiter: .comma)
        #expect(table.header == ["a;b", "c"])
    }

    @Test func acceptsCRLFLFAndCRLineEndsAndSkipsEmptyLines() throws {
        let table = try CSVTable(parsing: "a,b\r\n1,2\n\n3,4\r5,6")
        #expect(table.rows == [["1", "2"], ["3", "4"], ["5", "6"]])
        #expect(table.rowNumbers == [2, 4, 5])
    }

    @Test func keepsSpacesInsideFieldsButTrimsHeaderNames() throws {
        let table = try CSVTable(parsing: " id , band \n P1 ,x")
        #expect(table.header == ["id", "band"])
        #expect(table.rows == [[" P1 ", "x"]])
        #expect(table.columnIndex(" band") == 1)
    }

    @Test func raggedRowIsAnErrorNamingTheRow() {
        #expect {
            _ = try CSVTable(parsing: "a,b,c\n1,2,3\n4,5\n")
        } throws: { error in
            (error as? CSVTable.ParseError)?.description == "row 3: has 2 fields but the header has 3 columns (separator `,`)"
        }
    }

    @Test func unclosedQuoteIsAnErrorNamingTheRowItStartsOn() {
        #expect {
            _ = try CSVTable(parsing: "a,b\n1,2\n3,\"never closed\n4,5\n")
        } throws: { error in
            (error as? CSVTable.ParseError)?.description == "row 3, column 2: a quoted field is not closed: it starts with `\"` but no closing `\"` follows"
        }
    }

    @Test func textAfterAClosingQuoteIsAnError() {
        #expect {
            _ = try CSVTable(parsing: "a,b\n\"x\"y,2\n")
        } throws: { error in
            (error as? CSVTable.ParseError)?.description == "row 2, column 1: unexpected `y` after the closing quote of a field; a quote inside a quoted field is written `\"\"`"
        }
    }

    @Test func emptyTextIsAnError() {
        #expect {
            _ = try CSVTable(parsing: "\u{FEFF}\n\n")
        } throws: { error in
            (error as? CSVTable.ParseError)?.description == "the text is empty; expected a header row naming the columns"
        }
    }

    @Test func aRequiredColumnTheHeaderRepeatsIsAnError() throws {
        let table = try CSVTable(parsing: "ward,ward,beds\nA,B,3\n")
        #expect(try table.requireColumn("beds", in: "http://x.test/b.csv") == 2)
        #expect {
            _ = try table.requireColumn("ward", in: "http://x.test/b.csv")
        } throws: { error in
            (error as? PluginError)?.message == "column `ward` appears twice in the header of the CSV from http://x.test/b.csv (columns 1 and 2); name a column that appears once"
        }
    }

    @Test func aRequiredColumnInsideAHeaderCellSplitOnAnotherSeparatorNamesTheSeparator() throws {
        // Plugins without a `delimiter` key are told what the header looks like, not a key to set.
        let table = try CSVTable(parsing: "ward;beds\nA;3\n", delimiter: .comma)
        #expect {
            _ = try table.requireColumn("beds", in: "http://x.test/b.csv")
        } throws: { error in
            (error as? PluginError)?.message == "column `beds` is not in the CSV from http://x.test/b.csv (the header looks `;`-separated); its header is `ward;beds`"
        }
    }
}
