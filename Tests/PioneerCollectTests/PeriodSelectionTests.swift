// Mapping a period range onto each indicator's own period type, and reading it from options.
import PioneerCollect
import PioneerKit
import Testing

@Suite struct PeriodSelectionTests {
    @Test func labelsOfTheIndicatorsOwnTypeGiveExactlyThosePeriods() throws {
        let selection = try PeriodSelection(from: .month(2026, 1), to: .month(2026, 3))
        #expect(selection.periods(of: .month).map(\.label) == ["2026-01", "2026-02", "2026-03"])
        #expect(selection.description == "2026-01…2026-03")
    }

    @Test func monthRangeGivesTheQuartersOverlappingIt() throws {
        let selection = try PeriodSelection(from: .month(2026, 2), to: .month(2026, 4))
        #expect(selection.periods(of: .quarter).map(\.label) == ["2026Q1", "2026Q2"])
        #expect(selection.periods(of: .financialQuarter).map(\.label) == ["FY2025-26 Q4", "FY2026-27 Q1"])
        #expect(selection.periods(of: .financialYear).map(\.label) == ["FY2025-26", "FY2026-27"])
    }

    @Test func quarterGivesItsMonthsAndWeeks() {
        let selection = PeriodSelection(.financialQuarter(2026, 1))
        #expect(selection.periods(of: .month).map(\.label) == ["2026-04", "2026-05", "2026-06"])
        // 2026-04-01 is a Wednesday in week 14; 2026-06-30 a Tuesday in week 27.
        #expect(selection.periods(of: .isoWeek).first?.label == "2026-W14")
        #expect(selection.periods(of: .isoWeek).last?.label == "2026-W27")
    }

    @Test func rangeThatEndsBeforeItStartsIsRejected() {
        let error = #expect(throws: PeriodSelectionError.self) {
            try PeriodSelection(from: .month(2026, 6), to: .month(2026, 1))
        }
        #expect(error?.description == "the range ends (2026-01, 2026-01-01 to 2026-01-31) before it starts (2026-06, 2026-06-01 to 2026-06-30); give --from the earlier period")
    }

    @Test func optionsAreParsedWithMessagesNamingTheOption() throws {
        #expect(try PeriodSelection.parse(period: nil, from: nil, to: nil) == nil)
        #expect(try PeriodSelection.parse(period: "FY2026-27 Q1", from: nil, to: nil) == PeriodSelection(.financialQuarter(2026, 1)))
        #expect(try PeriodSelection.parse(period: nil, from: "2026Q1", to: "2026Q2")?.description == "2026Q1…2026Q2")

        let cases: [(String?, String?, String?, String)] = [
            ("2026-13", nil, nil, "--period: `2026-13` is not a period: a month is 01 to 12"),
            (nil, "2026-01", "soon", "--to: `soon` is not a period: write e.g. `2026-06`, `2026Q3`, `FY2026-27 Q1`, `FY2026-27` or `2026-W12`"),
            ("2026-01", "2026-01", nil, "give either --period or --from and --to, not both"),
            (nil, "2026-01", nil, "--from needs --to; for one period use --period"),
            (nil, nil, "2026-01", "--to needs --from; for one period use --period"),
        ]
        for (period, from, to, message) in cases {
            let error = #expect(throws: PeriodSelectionError.self) {
                try PeriodSelection.parse(period: period, from: from, to: to)
            }
            #expect(error?.description == message)
        }
    }
}
