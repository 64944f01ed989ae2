// The `csv` plugin on a council reablement export: filters, dates, aggregates and error messages.
import CSVPlugin
import PioneerKit
import PioneerExtraction
import PioneerTesting
import Testing

@Suite("csv plugin")
struct CSVPluginTests {
    let quarter = Period.financialQuarter(2026, 1)
    let url = "http://council.test/exports/reablement.csv?from=2026-04-01&to=2026-06-30"

    func harness(_ extra: [(String, ConfigLiteral)] = [], valueType: ValueType = .count) throws -> PluginHarness<CSVIndicatorPlugin> {
        var pairs: [(key: String, value: ConfigLiteral)] = [
            ("feed", "council"), ("path", "/exports/reablement.csv?from={period.start}&to={period.end}"),
            ("date_column", "discharge_date"),
            ("where", ["age_band": ["65-74", "75-84", "85+"], "outcome": "at home"]),
            ("aggregate", "count"),
        ]
        for (key, value) in extra {
            pairs.removeAll { $0.key == key }
            pairs.append((key, value))
        }
        return try PluginHarness(CSVIndicatorPlugin.self, config: .mapping(pairs),
                                 indicator: .example(valueType, period: .financialQuarter))
    }

    func run(_ extra: [(String, ConfigLiteral)] = [], body: FeedBody? = nil, period: Period? = nil) throws -> Observation {
        try harness(extra).run(period ?? quarter, bodies: ["export": body ?? Payload.body("council-reablement.csv")])
    }

    @Test func countsRowsMatchingEveryFilterInThePeriod() throws {
        // P001, P002, P004 (quoted note with a line break), P006 (`at home ` trimmed), P008 (May).
        #expect(try run().value == 5)
        #expect(try run(period: .month(2026, 6)).value == 4)
    }

    @Test func sumsAndAveragesAColumnSkippingBlankCells() throws {
        #expect(try run([("aggregate", "sum"), ("column", "cost_gbp")]).value == 1187.5)
        #expect(try run([("aggregate", "mean"), ("column", "cost_gbp")]).value == 296.875)
    }

    @Test func aMeanAmountKeepsItsSumAndCountSoSitesArePooledNotAddedUp() throws {
        let extra: [(String, ConfigLiteral)] = [("aggregate", "mean"), ("column", "cost_gbp")]
        for valueType in [ValueType.amount, .mean] {
            let observation = try harness(extra, valueType: valueType)
                .run(quarter, bodies: ["export": Payload.body("council-reablement.csv")])
            #expect(observation == .value(296.875, numerator: 1187.5, denominator: 4))
        }
        // A sum is a total already; a count or a proportion has no average to keep.
        let sum = try harness([("aggregate", "sum"), ("column", "cost_gbp")], valueType: .amount)
            .run(quarter, bodies: ["export": Payload.body("council-reablement.csv")])
        #expect(sum == .value(1187.5))
        #expect(try run(extra) == .value(296.875))
    }

    @Test func readsSemicolonFilesAndDayMonthYearDates() throws {
        let body: FeedBody = "ref;discharged;outcome\r\nA;30/06/2026;at home\r\nB;1/4/2026;at home\r\nC;31/03/2026;at home\r\n"
        let observation = try run([("date_column", "discharged"), ("date_format", "dd/mm/yyyy"), ("where", ["outcome": "at home"])], body: body)
        #expect(observation.value == 2)
    }

    @Test func readsYearMonthDates() throws {
        let body: FeedBody = "month,outcome\n2026-04,at home\n2026-07,at home\n"
        let observation = try run([("date_column", "month"), ("date_format", "yyyy-mm"), ("where", ["outcome": "at home"])], body: body)
        #expect(observation.value == 1)
    }

    @Test func noMatchingRowIsNoDataNamingTheFiltersAndTheValuesTheColumnHolds() throws {
        let observation = try run([("where", ["outcome": "moved away"])])
        #expect(observation.notAvailable == NotAvailable(.noData, "no row of \(url) matched `outcome` = `moved away` and `discharge_date` in FY2026-27 Q1; no row has `outcome` = `moved away`: the column holds `at home` ×7, `care home` ×1, `died` ×1"))
    }

    @Test func aFilterThatMatchesSomeRowsButNoneInThePeriodListsNothing() throws {
        let observation = try run([("where", ["outcome": "died"])], period: .month(2026, 5))
        #expect(observation.notAvailable == NotAvailable(.noData, "no row of http://council.test/exports/reablement.csv?from=2026-05-01&to=2026-05-31 matched `outcome` = `died` and `discharge_date` in 2026-05"))
    }

    @Test func filtersCompareIgnoringCaseAndSurroundingSpaces() throws {
        #expect(try run([("where", ["age_band": ["65-74", "75-84", "85+"], "outcome": "  AT Home "])]).value == 5)
        let body: FeedBody = "ward,count\nÉTÉ,1\nété,2\nhiver,4\n"
        #expect(try run([("date_column", nil), ("where", ["ward": "Été"]), ("aggregate", "sum"), ("column", "count")], body: body).value == 3)
    }

    @Test func aReadableNumberFormatReadsSeparatorsCurrenciesPercentsAndBrackets() throws {
        let body: FeedBody = "item,amount\na,\"3,945,237.88\"\nb,£1 204.50\nc,(1\u{2009}234.00)\nd,$10\ne,\n"
        let observation = try run([("date_column", nil), ("where", nil), ("aggregate", "sum"), ("column", "amount"),
                                   ("number_format", "readable")], body: body)
        let sum = try #require(observation.value)
        #expect(abs(sum - (3_945_237.88 + 1204.5 - 1234 + 10)) < 1e-6)
        let comma: FeedBody = "item;amount\na;3.945.237,88 €\nb;-12,5%\n"
        let european = try run([("date_column", nil), ("where", nil), ("aggregate", "sum"), ("column", "amount"),
                                ("number_format", "readable-decimal-comma")], body: comma)
        #expect(abs((european.value ?? 0) - (3_945_237.88 - 0.125)) < 1e-6)
    }

    @Test func aStrictNumberNamesTheNumberFormatThatWouldReadIt() throws {
        #expect {
            try run([("aggregate", "sum"), ("column", "cost_gbp"), ("date_column", nil), ("where", nil)],
                    body: "cost_gbp\n\"3,945,237.88\"\n")
        } throws: { error in
            (error as? PluginError)?.message == "row 2 of \(url): column `cost_gbp` (column 1) should hold a number, but found `3,945,237.88`; to read numbers written like this, add `number_format: readable` to the block"
        }
        #expect {
            try run([("aggregate", "sum"), ("column", "cost_gbp"), ("date_column", nil), ("where", nil), ("number_format", "readable")],
                    body: "cost_gbp\n\"3.945.237,88\"\n")
        } throws: { error in
            (error as? PluginError)?.message == "row 2 of \(url): column `cost_gbp` (column 1) should hold a number, but found `3.945.237,88`; it reads as a number with `number_format: readable-decimal-comma`, not `readable`"
        }
    }

    @Test func hexadecimalCellsAreNotNumbers() throws {
        // Swift's Double("0x10") is 16: a cell is a plain decimal or an error at its row.
        for cell in ["0x10", "0x1p3", "nan", "infinity"] {
            #expect {
                try run([("aggregate", "sum"), ("column", "cost_gbp"), ("date_column", nil), ("where", nil)], body: FeedBody(stringLiteral: "cost_gbp\n\(cell)\n"))
            } throws: { error in
                (error as? PluginError)?.message.hasPrefix("row 2 of \(url): column `cost_gbp` (column 1) should hold a number, but found `\(cell)`") == true
            }
        }
        #expect(try run([("aggregate", "sum"), ("column", "cost_gbp"), ("date_column", nil), ("where", nil)], body: "cost_gbp\n0010\n-2.5e1\n.5\n").value == -14.5)
    }

    @Test func noMatchingRowIsZeroWhenConfigured() throws {
        #expect(try run([("where", ["outcome": "moved away"]), ("if_empty", "zero")]).value == 0)
    }

    @Test func anUnknownColumnIsAnErrorListingTheHeader() throws {
        #expect {
            try run([("where", ["outcom": "at home"])])
        } throws: { error in
            (error as? PluginError)?.message == "column `outcom` is not in the CSV from \(url) (did you mean `outcome`?); its header is `person_id`, `discharge_date`, `age_band`, `outcome`, `cost_gbp`, `notes`"
        }
    }

    @Test func aNamedColumnTheHeaderRepeatsIsAnErrorNamingItsColumns() throws {
        let plain: [(String, ConfigLiteral)] = [("date_column", nil), ("where", nil)]
        #expect {
            try run(plain + [("aggregate", "sum"), ("column", "a")], body: "a,a\n1,2\n3,4\n")
        } throws: { error in
            (error as? PluginError)?.message == "column `a` appears twice in the header of the CSV from \(url) (columns 1 and 2); name a column that appears once"
        }
        #expect {
            try run(plain + [("where", ["k": "y"])], body: "k,k,v\nx,y,1\ny,x,2\n")
        } throws: { error in
            (error as? PluginError)?.message == "column `k` appears twice in the header of the CSV from \(url) (columns 1 and 2); name a column that appears once"
        }
        #expect {
            try run([("where", nil)], body: "discharge_date,x,discharge_date,discharge_date\n2026-05-01,1,2026-05-01,2026-05-01\n")
        } throws: { error in
            (error as? PluginError)?.message == "column `discharge_date` appears 3 times in the header of the CSV from \(url) (columns 1, 3 and 4); name a column that appears once"
        }
    }

    @Test func aRepeatedColumnTheConfigurationDoesNotNameIsRead() throws {
        #expect(try run([("date_column", nil), ("where", nil), ("aggregate", "sum"), ("column", "v")],
                        body: "note,note,v\nx,y,1\nz,w,2\n").value == 3)
    }

    @Test func aMissingColumnInAHeaderSplitOnAnotherSeparatorSaysWhichDelimiterToSet() throws {
        let plain: [(String, ConfigLiteral)] = [("date_column", nil), ("where", nil), ("aggregate", "sum")]
        #expect {
            try run(plain + [("column", "a")], body: "a;b,c\n1;2,3\n")
        } throws: { error in
            (error as? PluginError)?.message == "column `a` is not in the CSV from \(url) (the header looks `;`-separated: set `delimiter: \";\"`); its header is `a;b`, `c`"
        }
        // A message shows a tab as `\t`.
        #expect {
            try run(plain + [("column", "b"), ("delimiter", ",")], body: "a\tb\tc\n1\t2\t3\n")
        } throws: { error in
            (error as? PluginError)?.message == "column `b` is not in the CSV from \(url) (the header looks tab-separated: set `delimiter: tab`); its header is `a\\tb\\tc`"
        }
        #expect {
            try run(plain + [("column", "c"), ("delimiter", ";")], body: "a,b,c\n1,2,3\n")
        } throws: { error in
            (error as? PluginError)?.message == "column `c` is not in the CSV from \(url) (the header looks `,`-separated: set `delimiter: \",\"`); its header is `a,b,c`"
        }
        #expect {
            try run(plain + [("column", "b")], body: "a|b|c\n1|2|3\n")
        } throws: { error in
            (error as? PluginError)?.message == "column `b` is not in the CSV from \(url) (the header looks `|`-separated, a separator Pioneer does not read: ask for a comma-, semicolon- or tab-separated export); its header is `a|b|c`"
        }
    }

    @Test func anUnreadableDateIsAnErrorNamingTheRow() throws {
        #expect {
            try run(body: "person_id,discharge_date,age_band,outcome\nP1,2026-06-01,85+,at home\nP2,31/06/2026,85+,at home\n")
        } throws: { error in
            (error as? PluginError)?.message == "row 3 of \(url): column `discharge_date` (column 2) should hold a date like 2026-06-30 (iso), but found `31/06/2026`"
        }
    }

    @Test func anUnreadableNumberIsAnErrorNamingTheRow() throws {
        #expect {
            try run([("aggregate", "sum"), ("column", "cost_gbp"), ("date_column", nil)],
                    body: "age_band,outcome,cost_gbp\n85+,at home,12.5\n85+,at home,\"1,200\"\n")
        } throws: { error in
            (error as? PluginError)?.message == "row 3 of \(url): column `cost_gbp` (column 3) should hold a number, but found `1,200`; to read numbers written like this, add `number_format: readable` to the block"
        }
    }

    @Test func aRaggedRowIsAnErrorNamingTheRowAndURL() throws {
        #expect {
            try run(body: "person_id,discharge_date,age_band,outcome\nP1,2026-06-01,85+\n")
        } throws: { error in
            (error as? PluginError)?.message == "the CSV from \(url) could not be read: row 2: has 3 fields but the header has 4 columns (separator `,`)"
        }
    }

    @Test func configErrorsPointAtTheirKeys() {
        let issues = PluginHarness<CSVIndicatorPlugin>.issues(configuring: [
            "feed": "council", "path": "/x.csv", "delimiter": "|", "date_format": "iso",
            "where": ["outcome": [["nested"]]], "aggregate": "sum",
        ])
        #expect(issues.map(\.description) == [
            "<test>: error: config.delimiter: `|` is not a delimiter; use `auto`, `\",\"`, `\";\"` or `tab`",
            "<test>: error: config.where.outcome[0]: expected a value to match, found a list",
            "<test>: error: config.date_format: `date_format` needs `date_column`, the column holding the date",
            "<test>: error: config.column: missing required key `column`: `aggregate: sum` needs the column to add up",
        ])
        #expect(PluginHarness<CSVIndicatorPlugin>.issues(configuring: [
            "feed": "council", "path": "/x.csv", "aggregate": "count", "column": "cost",
        ]).map(\.message) == ["`column` is only used by `aggregate: sum` and `mean`; `count` counts rows"])
    }

    @Test func aNumberFormatMustBeKnownAndReadSomething() {
        #expect(PluginHarness<CSVIndicatorPlugin>.issues(configuring: [
            "feed": "council", "path": "/x.csv", "aggregate": "sum", "column": "cost", "number_format": "readible",
        ]).map(\.description) == [
            "<test>: error: config.number_format: `readible` is not one of `strict`, `readable`, `readable-decimal-comma` (did you mean `readable`?)",
        ])
        #expect(PluginHarness<CSVIndicatorPlugin>.issues(configuring: [
            "feed": "council", "path": "/x.csv", "aggregate": "count", "number_format": "readable",
        ]).map(\.message) == ["`number_format` reads the `column` of `aggregate: sum` and `mean`; `count` reads no numbers"])
    }
}
