// The one text-table renderer every command prints with: headerless lists (`pioneer
// plugins`), indented tables with narrowest widths (`pioneer demo`), line by line.
import PioneerCollect
import Testing

@Suite("Text table")
struct TextTableTests {
    @Test func aTableWithoutAHeaderRendersOnlyItsRows() {
        var table = TextTable()
        table.add(["json", "A number from a JSON feed."])
        table.add(["care-home-deaths", "Care home residents who died in hospital."])
        #expect(table.render() == """
            json              A number from a JSON feed.
            care-home-deaths  Care home residents who died in hospital.
            """)
    }

    @Test func narrowestWidthsHoldUnlessACellIsWider() {
        var table = TextTable()
        table.indent = "  "
        table.minimumWidths = [1: 6]
        table.add(["a", "x", "end"])
        table.add(["bb", "", ""])
        #expect(table.lines() == ["  a   x       end", "  bb"])
        table.add(["c", "wider than six", "end"])
        #expect(table.lines() == ["  a   x               end", "  bb", "  c   wider than six  end"])
    }

    @Test func numbersAlignRightAndColourCodesTakeNoWidth() {
        var table = TextTable(["SITE", "VALUE", "NOTE"], rightAligned: [1])
        table.add(["Torbay", "7", "\u{1B}[31mlow\u{1B}[0m"])
        table.add(["Salford \u{00E9}", "1,204", ""])
        #expect(table.lines() == [
            "SITE       VALUE  NOTE",
            "Torbay         7  \u{1B}[31mlow\u{1B}[0m",
            "Salford \u{00E9}  1,204",
        ])
    }

    @Test func anEmptyTableHasNoLines() {
        #expect(TextTable().lines().isEmpty)
        #expect(TextTable().render() == "")
    }
}
