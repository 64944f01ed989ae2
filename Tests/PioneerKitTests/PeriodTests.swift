// Periods: parsing, printing, boundaries, ordering and arithmetic for every period type.
import Testing
@testable import PioneerKit

private func period(_ label: String) throws -> Period {
    try Period(parsing: label)
}

private func date(_ text: String) -> CalendarDate {
    CalendarDate(iso: text) ?? CalendarDate(dayNumber: 0)
}

@Suite("Months")
struct MonthTests {
    @Test func anISODateIsExactlyFourTwoAndTwoASCIIDigits() {
        #expect(CalendarDate(iso: "2026-06-30") == CalendarDate(year: 2026, month: 6, day: 30))
        #expect(CalendarDate(iso: "2024-02-29"[...]) == CalendarDate(year: 2024, month: 2, day: 29))
        for text in ["2026-6-30", "2026-06-3x", "+026-06-30", "2026-+6-30", "2026-06-31", "2025-02-29", "0000-01-01",
                     "2026-06-30 ", " 2026-06-30", "2026/06/30", "２０２６-06-30", "2026-06", "", "2026-06-30-01"] {
            #expect(CalendarDate(iso: text) == nil, "\(text)")
        }
    }

    @Test func parsesAndPrintsAMonth() throws {
        let june = try period("2026-06")
        #expect(june.type == .month)
        #expect(june.label == "2026-06")
        #expect(june.start == date("2026-06-01"))
        #expect(june.end == date("2026-06-30"))
    }

    @Test func februaryEndsOnTheTwentyNinthInALeapYear() throws {
        #expect(try period("2028-02").end == date("2028-02-29"))
        #expect(try period("2026-02").end == date("2026-02-28"))
        #expect(try period("2100-02").end == date("2100-02-28"))
        #expect(try period("2000-02").end == date("2000-02-29"))
    }

    @Test func decemberIsFollowedByJanuaryOfTheNextYear() throws {
        #expect(try period("2026-12").next.label == "2027-01")
        #expect(try period("2027-01").previous.label == "2026-12")
    }

    @Test func rejectsMonthThirteen() {
        #expect(throws: PeriodParseError.self) { try period("2026-13") }
        #expect(throws: PeriodParseError.self) { try period("2026-00") }
    }
}

@Suite("Calendar quarters")
struct CalendarQuarterTests {
    @Test(arguments: ["2026Q3", "2026-Q3", "2026q3"])
    func parsesTheUsualSpellings(_ label: String) throws {
        let q = try period(label)
        #expect(q.type == .quarter)
        #expect(q.label == "2026Q3")
        #expect(q.start == date("2026-07-01"))
        #expect(q.end == date("2026-09-30"))
    }

    @Test func fourthQuarterIsFollowedByFirstOfNextYear() throws {
        #expect(try period("2026Q4").next.label == "2027Q1")
        #expect(try period("2026Q4").end == date("2026-12-31"))
    }

    @Test func rejectsQuarterFive() {
        #expect(throws: PeriodParseError.self) { try period("2026Q5") }
    }
}

@Suite("NHS financial-year quarters and years")
struct FinancialYearTests {
    @Test(arguments: ["FY2026-27 Q1", "FY2026/27 Q1", "2026/27 Q1", "fy2026-27q1"])
    func firstQuarterIsAprilToJune(_ label: String) throws {
        let q1 = try period(label)
        #expect(q1.type == .financialQuarter)
        #expect(q1.label == "FY2026-27 Q1")
        #expect(q1.start == date("2026-04-01"))
        #expect(q1.end == date("2026-06-30"))
    }

    @Test func fourthQuarterIsJanuaryToMarchOfTheNextCalendarYear() throws {
        let q4 = try period("FY2026-27 Q4")
        #expect(q4.start == date("2027-01-01"))
        #expect(q4.end == date("2027-03-31"))
        #expect(q4.next.label == "FY2027-28 Q1")
        #expect(q4.next.start == date("2027-04-01"))
    }

    @Test(arguments: ["FY2026-27", "FY2026/27", "2026/27", "2026April", "2026/2027"])
    func financialYearRunsAprilToMarch(_ label: String) throws {
        let year = try period(label)
        #expect(year.type == .financialYear)
        #expect(year.label == "FY2026-27")
        #expect(year.start == date("2026-04-01"))
        #expect(year.end == date("2027-03-31"))
    }

    @Test func theFirstOfAprilStartsANewFinancialYear() {
        let march31 = Period(containing: date("2027-03-31"), type: .financialYear)
        let april1 = Period(containing: date("2027-04-01"), type: .financialYear)
        #expect(march31.label == "FY2026-27")
        #expect(april1.label == "FY2027-28")
        #expect(Period(containing: date("2027-03-31"), type: .financialQuarter).label == "FY2026-27 Q4")
        #expect(Period(containing: date("2027-04-01"), type: .financialQuarter).label == "FY2027-28 Q1")
    }

    @Test func centuryRolloverPrintsTwoDigits() throws {
        #expect(Period.financialYear(2099).label == "FY2099-00")
        #expect(try period("FY2099-00").start == date("2099-04-01"))
    }

    @Test func rejectsAYearThatDoesNotRunIntoTheNext() {
        #expect {
            try period("FY2026-28")
        } throws: { error in
            (error as? PeriodParseError)?.description.contains("followed by `27`") == true
        }
    }
}

@Suite("ISO weeks")
struct ISOWeekTests {
    @Test(arguments: ["2026-W12", "2026W12", "2026w12"])
    func parsesBothSpellings(_ label: String) throws {
        let week = try period(label)
        #expect(week.type == .isoWeek)
        #expect(week.label == "2026-W12")
        #expect(week.start == date("2026-03-16"))
        #expect(week.start.weekday == 1)
        #expect(week.end == date("2026-03-22"))
    }

    @Test func twentyTwentySixHasFiftyThreeWeeks() throws {
        #expect(Period.weeksIn(isoYear: 2026) == 53)
        let w53 = try period("2026-W53")
        #expect(w53.start == date("2026-12-28"))
        #expect(w53.end == date("2027-01-03"))
        #expect(w53.next.label == "2027-W01")
        #expect(try period("2027-W01").start == date("2027-01-04"))
    }

    @Test func yearsWithoutFourDigitsAreRefused() {
        #expect(throws: PeriodParseError.self) { try period("0000-W01") }
        for text in ["0000-01", "0999Q4", "9999-12", "FY9999-00", "FY9998-99 Q4"] {
            #expect {
                try period(text)
            } throws: { error in
                (error as? PeriodParseError)?.description == "`\(text)` is not a period: its years are outside 1000 to 9998"
            }
        }
        #expect((try? period("1000-01"))?.label == "1000-01")
        #expect((try? period("9998-11"))?.label == "9998-11")
    }

    @Test func twentyTwentySevenHasNoWeekFiftyThree() {
        #expect(Period.weeksIn(isoYear: 2027) == 52)
        #expect {
            try period("2027-W53")
        } throws: { error in
            (error as? PeriodParseError)?.description.contains("has weeks W01 to W52") == true
        }
        #expect {
            try period("2026-W00")
        } throws: { error in
            (error as? PeriodParseError)?.description.contains("ISO year 2026 has weeks W01 to W53") == true
        }
    }

    @Test func earlyJanuaryCanBelongToThePreviousISOYear() {
        // 2027-01-01 is a Friday: it belongs to week 53 of ISO year 2026.
        #expect(Period(containing: date("2027-01-01"), type: .isoWeek).label == "2026-W53")
        // 2024-12-30 is a Monday: it starts week 1 of ISO year 2025.
        #expect(Period(containing: date("2024-12-30"), type: .isoWeek).label == "2025-W01")
    }

    @Test func theLastRepresentableYearHasAnEndWithoutTrapping() throws {
        // Made directly: parsing refuses years past 9998 (labels of five digits).
        let december = Period.month(9999, 12)
        #expect(december.end == date("9999-12-31"))
        #expect(december.next.label == "10000-01")
        #expect(Period.financialQuarter(9999, 4).end.year == 10000)
    }

    @Test func weeksBeforeNineteenSeventyWork() throws {
        let week = try period("1969-W52")
        #expect(week.start == date("1969-12-22"))
        #expect(week.next.label == "1970-W01")
        #expect(week.next.start == date("1969-12-29"))
    }
}

@Suite("Period arithmetic, ordering and coding")
struct PeriodArithmeticTests {
    @Test func rangeIncludesBothEnds() throws {
        let range = try period("2026-01").through(period("2026-04"))
        #expect(range.map(\.label) == ["2026-01", "2026-02", "2026-03", "2026-04"])
    }

    @Test func rangeBackwardsOrAcrossTypesIsEmpty() throws {
        #expect(try period("2026-04").through(period("2026-01")).isEmpty)
        #expect(try period("2026-04").through(period("2026Q3")).isEmpty)
    }

    @Test func periodsOrderByStartThenLength() throws {
        let labels = ["2026Q3", "2026-07", "FY2026-27", "2026-06", "FY2026-27 Q1"]
        let sorted = try labels.map(period).sorted().map(\.label)
        #expect(sorted == ["FY2026-27 Q1", "FY2026-27", "2026-06", "2026-07", "2026Q3"])
    }

    @Test func adxLabelIsStartAndDuration() throws {
        #expect(try period("FY2026-27 Q1").adxLabel == "2026-04-01/P3M")
        #expect(try period("2026-06").adxLabel == "2026-06-01/P1M")
        #expect(try period("FY2026-27").adxLabel == "2026-04-01/P1Y")
        #expect(try period("2026-W12").adxLabel == "2026-03-16/P7D")
    }

    @Test func containingRoundTripsEveryDayOfALeapYear() throws {
        var day = date("2028-01-01")
        while day.year == 2028 {
            for type in PeriodType.allCases {
                let p = Period(containing: day, type: type)
                #expect(p.contains(day), "\(type) \(p.label) should contain \(day)")
                #expect(try Period(parsing: p.label) == p)
            }
            day = day.adding(days: 1)
        }
    }

    @Test func codesAsItsLabel() throws {
        let q = try period("FY2026-27 Q2")
        let data = try JSONEncoder().encode([q])
        #expect(String(decoding: data, as: UTF8.self) == #"["FY2026-27 Q2"]"#)
        #expect(try JSONDecoder().decode([Period].self, from: data) == [q])
    }

    @Test func parsingWithAnExpectedTypeExplainsTheMismatch() {
        #expect {
            try Period(parsing: "2026Q1", as: .financialQuarter)
        } throws: { error in
            let text = (error as? PeriodParseError)?.description ?? ""
            return text.contains("calendar quarter") && text.contains("FY2026-27 Q1")
        }
    }

    @Test(arguments: ["", "  ", "June 2026", "2026-06-15", "20266", "FY26-27", "2026Q", "W12", "2026-W0"])
    func rejectsLabelsThatAreNotPeriods(_ label: String) {
        #expect(throws: PeriodParseError.self) { try period(label) }
    }

    @Test func aDateIsNotAPeriodAndTheMessageSaysSo() {
        #expect {
            try period("2026-06-15")
        } throws: { error in
            (error as? PeriodParseError)?.description.contains("that is a date") == true
        }
    }
}

@Suite("Calendar dates")
struct CalendarDateTests {
    @Test func dayNumbersRoundTrip() {
        for n in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(CalendarDate(dayNumber: n).dayNumber == n)
        }
        #expect(date("1970-01-01").dayNumber == 0)
        #expect(date("2026-11-23").weekday == 1)
    }

    @Test func rejectsImpossibleDates() {
        #expect(CalendarDate(iso: "2026-02-29") == nil)
        #expect(CalendarDate(iso: "2026-04-31") == nil)
        #expect(CalendarDate(iso: "26-04-01") == nil)
    }
}

import Foundation
