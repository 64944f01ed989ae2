// The programme file: the example programme loads, and each mistake is reported at its
// file:line:column with a plain message (and a suggestion where one is obvious).
import Foundation
import PioneerCore
import PioneerKit
import Testing
@testable import PioneerConfig

@Suite("Programme file")
struct ProgrammeTests {
    static let file = "sites/programme.yaml"

    /// A valid programme; the line numbers in the tests refer to this text.
    static let valid = """
    programme:
      id: pioneers
      name: Integrated Care Pioneers
    sites: [torbay, cambridge]
    reporting:
      periods: [month, quarter]
      due:
        soft: 15 days
        hard: 30 days
    themes:
      care plans: [advance-care-plans, care-plans-for-frail-patients]
      patient experience: [tell-my-story-once]
    """

    /// The problems loading `text` reports, each as `file:line:column: error: path: message`.
    static func problems(_ text: String) -> [String] {
        do {
            _ = try ProgrammeLoader.load(text: text, file: file)
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    static func replacing(_ old: String, with new: String) -> String {
        precondition(valid.contains(old), "the fixture has no `\(old)`")
        return valid.replacingOccurrences(of: old, with: new)
    }

    @Test func aValidProgrammeLoadsWithItsSitesPeriodsDeadlinesAndThemes() throws {
        let programme = try ProgrammeLoader.load(text: Self.valid, file: Self.file)
        #expect(programme.id == "pioneers")
        #expect(programme.name == "Integrated Care Pioneers")
        #expect(programme.sites == ["torbay", "cambridge"])
        #expect(programme.periods == [.month, .quarter])
        #expect(programme.deadlines.softDeadline(of: .month(2026, 3)) == CalendarDate(year: 2026, month: 4, day: 15))
        #expect(programme.deadlines.hardDeadline(of: .month(2026, 3)) == CalendarDate(year: 2026, month: 4, day: 30))
        #expect(programme.themes == [
            GoalTheme(name: "care plans", goals: ["advance-care-plans", "care-plans-for-frail-patients"]),
            GoalTheme(name: "patient experience", goals: ["tell-my-story-once"]),
        ])
        #expect(programme.theme(ofGoal: "tell-my-story-once")?.name == "patient experience")
        #expect(programme.expects(.quarter(2026, 1)))
        #expect(!programme.expects(.financialYear(2026)))
    }

    @Test func theExampleSitesProgrammeLoadsAndExpectsEveryExampleSite() throws {
        let root = DocumentationSnippetTests.root
        let programme = try ProgrammeLoader.load(file: root.appendingPathComponent(Self.file).path)
        #expect(Set(programme.sites) == ["torbay", "tower-hamlets", "cambridge", "northumbria"])
        #expect(programme.themes.map(\.name).contains("emergency admissions"))
    }

    /// The fenced blocks of docs/aggregate.md, in order.
    static func documentedBlocks() throws -> [String] {
        let text = try String(contentsOf: DocumentationSnippetTests.root.appendingPathComponent("docs/aggregate.md"), encoding: .utf8)
        var blocks: [String] = []
        var current: [String]?
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("```") {
                if let lines = current { blocks.append(lines.joined(separator: "\n")) }
                current = current == nil ? [] : nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    @Test func theProgrammeInTheDocumentationIsTheExampleOneAndLoads() throws {
        let blocks = try Self.documentedBlocks()
        let documented = try #require(blocks.first { $0.hasPrefix("programme:\n  id: integrated-care-pioneers") })
        let example = try ProgrammeLoader.load(file: DocumentationSnippetTests.root.appendingPathComponent(Self.file).path)
        var shown = try ProgrammeLoader.load(text: documented, file: Self.file)
        shown.file = example.file
        #expect(shown == example)
    }

    @Test func theBrokenProgrammeInTheDocumentationGivesTheErrorsItShows() throws {
        let blocks = try Self.documentedBlocks()
        let index = try #require(blocks.firstIndex { $0.hasPrefix("programme:\n  id: pioneers") })
        let messages = blocks[index + 1].components(separatedBy: "\n").filter { !$0.isEmpty }
        #expect(Self.problems(blocks[index]) == messages)
    }

    @Test func aDeadlineInMonthsEndsOnTheLastDayOfTheMonthAfter() {
        let deadlines = ReturnDeadlines(soft: DueLag(count: 1, unit: .months), hard: DueLag(count: 2, unit: .months))
        #expect(deadlines.softDeadline(of: .month(2026, 1)) == CalendarDate(year: 2026, month: 2, day: 28))
        #expect(deadlines.hardDeadline(of: .quarter(2026, 1)) == CalendarDate(year: 2026, month: 5, day: 31))
    }

    @Test func anUnknownKeyIsReportedWithTheKeyMeant() {
        #expect(Self.problems(Self.replacing("themes:", with: "themse:")) == [
            "sites/programme.yaml:10:1: error: themse: unknown key `themse` (did you mean `themes`?)",
        ])
        #expect(Self.problems(Self.replacing("    soft:", with: "    sfot:")) == [
            "sites/programme.yaml:8:5: error: reporting.due.sfot: unknown key `sfot` (did you mean `soft`?)",
        ])
    }

    @Test func missingSectionsAreEachReported() {
        #expect(Self.problems("programme:\n  id: pioneers\n") == [
            "sites/programme.yaml:1:1: error: sites: missing required key `sites`",
            "sites/programme.yaml:1:1: error: reporting: missing required key `reporting`",
            "sites/programme.yaml:2:3: error: programme.name: missing required key `name`",
        ])
    }

    @Test func aSiteIdThatBreaksTheRulesIsReportedWithTheSpellingMeant() {
        #expect(Self.problems(Self.replacing("[torbay, cambridge]", with: "[torbay, Tower Hamlets]")) == [
            "sites/programme.yaml:4:17: error: sites[1]: site id `Tower Hamlets` may use only lowercase letters, digits and `-` (e.g. `tower-hamlets`)",
        ])
    }

    @Test func aSiteListedTwiceIsReported() {
        #expect(Self.problems(Self.replacing("[torbay, cambridge]", with: "[torbay, torbay]")) == [
            "sites/programme.yaml:4:17: error: sites[1]: site `torbay` is listed twice (first at line 4)",
        ])
    }

    @Test func anEmptySiteListIsReported() {
        #expect(Self.problems(Self.replacing("[torbay, cambridge]", with: "[]")) == [
            "sites/programme.yaml:4:8: error: sites: list at least one site id, e.g. `[torbay, cambridge]`",
        ])
    }

    @Test func aPeriodWrittenAsAnAdjectiveIsToldTheName() {
        #expect(Self.problems(Self.replacing("[month, quarter]", with: "[monthly, quarter]")) == [
            "sites/programme.yaml:6:13: error: reporting.periods[0]: `monthly` is not a kind of period; use one of `month`, `quarter`, `fy-quarter`, `fy-year` (did you mean `month`?)",
        ])
    }

    /// A programme could name weeks, but no site can make a weekly return: every site was
    /// awaited, then missing, for ever.
    @Test func weeksAreRefusedAsAReportingPeriodWithWhatToUse() {
        #expect(Self.problems(Self.replacing("[month, quarter]", with: "[month, iso-week]")) == [
            "sites/programme.yaml:6:20: error: reporting.periods[1]: `iso-week`: pioneer makes returns for a month, a quarter, "
                + "an NHS financial-year quarter or an NHS financial year, not for a week, so no site could send a weekly return; "
                + "a weekly indicator's measures go in the return whose days hold them. Use `month`, `quarter`, `fy-quarter` or `fy-year`",
        ])
    }

    @Test func aPeriodListedTwiceOrNoneAtAllIsReported() {
        #expect(Self.problems(Self.replacing("[month, quarter]", with: "[month, month]")) == [
            "sites/programme.yaml:6:20: error: reporting.periods[1]: `month` is listed twice",
        ])
        #expect(Self.problems(Self.replacing("[month, quarter]", with: "[]")) == [
            "sites/programme.yaml:6:12: error: reporting.periods: name at least one kind of reporting period, e.g. `[month, quarter]`",
        ])
    }

    @Test func aDeadlineThatIsNotAWaitIsReported() {
        #expect(Self.problems(Self.replacing("soft: 15 days", with: "soft: 15 fortnights")) == [
            "sites/programme.yaml:8:11: error: reporting.due.soft: unknown unit `fortnights`; use days, weeks or months, as in `30 days`",
        ])
        #expect(Self.problems(Self.replacing("hard: 30 days", with: "hard: 2026-04-30")) == [
            "sites/programme.yaml:9:11: error: reporting.due.hard: expected a wait after the period ends, found `2026-04-30`; write a count and a unit, such as `30 days`, `6 weeks` or `2 months`",
        ])
    }

    @Test func aHardDeadlineBeforeTheSoftOneIsReported() {
        #expect(Self.problems(Self.replacing("hard: 30 days", with: "hard: 2 weeks")) == [
            "sites/programme.yaml:9:11: error: reporting.due.hard: the hard deadline (2 weeks) must not come before the soft one (15 days)",
        ])
    }

    @Test func aGoalInTwoThemesIsReportedAtItsSecondPlace() {
        #expect(Self.problems(Self.replacing("[tell-my-story-once]", with: "[tell-my-story-once, advance-care-plans]")) == [
            "sites/programme.yaml:12:44: error: themes.patient experience[1]: goal `advance-care-plans` is already in theme `care plans` (line 11); a goal belongs to one theme",
        ])
    }

    @Test func aThemeThatIsNotAListOfGoalIdsIsReported() {
        #expect(Self.problems(Self.replacing("[tell-my-story-once]", with: "tell-my-story-once")) == [
            "sites/programme.yaml:12:23: error: themes.patient experience: expected a list of goal ids, found a string",
        ])
        #expect(Self.problems(Self.replacing("[tell-my-story-once]", with: "[]")) == [
            "sites/programme.yaml:12:23: error: themes.patient experience: name at least one goal id in theme `patient experience`",
        ])
        #expect(Self.problems(Self.replacing("[tell-my-story-once]", with: "[Tell my story]")) == [
            "sites/programme.yaml:12:24: error: themes.patient experience[0]: goal id `Tell my story` may use only lowercase letters, digits and `-` (e.g. `tell-my-story`)",
        ])
    }

    @Test func aProgrammeFileThatDoesNotExistSaysSo() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("programme-\(UUID().uuidString)")
        #expect(throws: ConfigError.self) { try ProgrammeLoader.load(file: folder.appendingPathComponent("programme.yaml").path) }
        do {
            _ = try ProgrammeLoader.load(file: folder.appendingPathComponent("programme.yaml").path)
        } catch {
            #expect(error.description.hasSuffix("error: the programme file does not exist; give one with --programme"))
        }
    }
}
