// The goal-judging settings in a site file: an indicator's `spc:` block, the site's
// `events:` and `progress:`, a goal's `tolerance:`. Each form is read into its value, and
// each mistake is reported at its line and column.
import PioneerCore
import PioneerKit
import Testing
@testable import PioneerConfig

@Suite("Site schema: SPC, events and progress settings")
struct ProgressSettingsSchemaTests {
    /// Adds lines to the first indicator (monthly, emergency admissions) after its `per:`.
    static func spc(_ lines: String) -> (String, String) {
        ("    per: 1000\n", "    per: 1000\n" + lines)
    }

    /// Adds top-level lines before `goals:`.
    static func beforeGoals(_ lines: String) -> (String, String) {
        ("goals:\n", lines + "goals:\n")
    }

    static func broken(_ name: String, _ change: (String, String), at line: Int, _ column: Int,
                       path: String, _ message: String) -> BrokenSite {
        BrokenSite(name, replace: change.0, with: change.1, at: line, column, path: path, message)
    }

    static let brokenSites: [BrokenSite] = [
        broken("misspelt spc key", spc("    spc:\n      rebase: [2025-10]\n"), at: 33, 7,
               path: "indicators[0].spc.rebase", "unknown key `rebase` (did you mean `rebase_at`?)"),
        broken("rebase period of another type", spc("    spc:\n      rebase_at: [2025-10, 2025Q3]\n"), at: 33, 28,
               path: "indicators[0].spc.rebase_at[1]",
               "`2025Q3` is a calendar quarter, but this indicator is reported by month; write e.g. `2026-06`"),
        broken("rebase period that is not a period", spc("    spc:\n      rebase_at: 2025-13\n"), at: 33, 18,
               path: "indicators[0].spc.rebase_at", "`2025-13` is not a period"),
        broken("rebase period given twice", spc("    spc:\n      rebase_at: [2025-10, 2025-10]\n"), at: 33, 28,
               path: "indicators[0].spc.rebase_at[1]", "rebase period `2025-10` is given twice; list each once, in time order"),
        broken("rebase periods out of order", spc("    spc:\n      rebase_at: [2025-10, 2025-04]\n"), at: 33, 28,
               path: "indicators[0].spc.rebase_at[1]", "rebase period `2025-04` comes before `2025-10`; list each once, in time order"),
        broken("rebase given as a mapping", spc("    spc:\n      rebase_at: { period: 2025-10 }\n"), at: 33, 18,
               path: "indicators[0].spc.rebase_at", "expected a period or a list of periods such as `[2026-06]`, found a mapping"),
        broken("run length of 1", spc("    spc:\n      run_length: 1\n"), at: 33, 19,
               path: "indicators[0].spc.run_length", "must be between 2 and 50, found `1`"),
        broken("trend length of 51", spc("    spc:\n      trend_length: 51\n"), at: 33, 21,
               path: "indicators[0].spc.trend_length", "must be between 2 and 50, found `51`"),
        broken("minimum points of 101", spc("    spc:\n      minimum_points: 101\n"), at: 33, 23,
               path: "indicators[0].spc.minimum_points", "must be between 2 and 100, found `101`"),
        broken("limits fixed after fewer than the minimum points", spc("    spc:\n      fix_after: 6\n"), at: 33, 18,
               path: "indicators[0].spc.fix_after",
               "must be at least the minimum points for limits, 12, found `6`; limits from fewer points are only trial limits"),
        broken("limits fixed after fewer than the site's own minimum", spc("    spc:\n      minimum_points: 8\n      fix_after: 7\n"), at: 34, 18,
               path: "indicators[0].spc.fix_after", "must be at least the minimum points for limits, 8, found `7`"),
        broken("screening that is not true or false", spc("    spc:\n      screen_outliers: maybe\n"), at: 33, 24,
               path: "indicators[0].spc.screen_outliers", "expected true or false"),
        broken("spc that is not a mapping", spc("    spc: yes\n"), at: 32, 10,
               path: "indicators[0].spc", "expected a mapping of keys to values"),
        broken("event on an undeclared indicator",
               beforeGoals("events:\n  - { period: 2025-10, label: hubs open, indicators: [emergency-admissions-56] }\n"), at: 50, 55,
               path: "events[0].indicators[0]",
               "unknown indicator `emergency-admissions-56` (did you mean `emergency-admissions-65`?); the site declares `emergency-admissions-65`, `still-at-home-91`"),
        broken("event without a label", beforeGoals("events:\n  - period: 2025-10\n"), at: 50, 5,
               path: "events[0].label", "missing required key `label`"),
        broken("event period that is not a period", beforeGoals("events:\n  - { period: October 2025, label: hubs open }\n"), at: 50, 15,
               path: "events[0].period", "`October 2025` is not a period"),
        broken("misspelt event key", beforeGoals("events:\n  - { period: 2025-10, lable: hubs open }\n"), at: 50, 24,
               path: "events[0].lable", "unknown key `lable` (did you mean `label`?)"),
        broken("events as a mapping", beforeGoals("events:\n  period: 2025-10\n"), at: 50, 3,
               path: "events", "expected a list, found a mapping"),
        broken("tolerance above 1", beforeGoals("progress:\n  tolerance: 1.5\n"), at: 50, 14,
               path: "progress.tolerance",
               "must be between 0 and 1 (0.1 is a tenth of the change from baseline to target), found `1.5`"),
        broken("projection from 1 point", beforeGoals("progress:\n  projection_points: 1\n"), at: 50, 22,
               path: "progress.projection_points", "must be 2 or more, found `1`"),
        broken("stale after 0 periods", beforeGoals("progress:\n  stale_after_periods: 0\n"), at: 50, 24,
               path: "progress.stale_after_periods", "must be 1 or more, found `0`"),
        broken("misspelt progress key", beforeGoals("progress:\n  tolerence: 0.2\n"), at: 50, 3,
               path: "progress.tolerence", "unknown key `tolerence` (did you mean `tolerance`?)"),
        broken("progress that is not a mapping", beforeGoals("progress: strict\n"), at: 49, 11,
               path: "progress", "expected a mapping of keys to values"),
        broken("negative goal tolerance", ("    trajectory:\n", "    tolerance: -0.1\n    trajectory:\n"), at: 55, 16,
               path: "goals[0].tolerance",
               "must be between 0 and 1 (0.1 is a tenth of the change from baseline to target), found `-0.1`"),
    ]

    @Test("a broken setting is reported at its line and column", arguments: brokenSites)
    func brokenSettingIsReported(_ broken: BrokenSite) throws {
        let issues = SiteFixture.issues(broken.text)
        let issue = try #require(issues.first(containing: broken.message), "no issue says “\(broken.message)”; got:\n\(issues.listing)")
        #expect(issue.severity == .error)
        #expect(issue.location.file == SiteFixture.file)
        #expect(issue.location.line == broken.line, "\(issue)")
        #expect(issue.location.column == broken.column, "\(issue)")
        #expect(issue.path == broken.path, "\(issue)")
    }

    @Test func withoutTheBlocksEverySettingHasItsDefault() throws {
        let site = try SiteFixture.load(SiteFixture.valid).site
        #expect(site.events.isEmpty)
        #expect(site.progress == ProgressSettings())
        #expect(site.indicators.allSatisfy { $0.spc == SPCSettings() })
        #expect(site.goals.allSatisfy { $0.tolerance == nil })
    }

    @Test func aFullSPCBlockIsRead() throws {
        let change = Self.spc("""
            spc:
              rebase_at: [2025-10, 2026-04]
              fix_after: 12
              screen_outliers: false
              run_length: 8
              trend_length: 6
              minimum_points: 10

        """)
        let site = try SiteFixture.load(SiteFixture.replacing(change.0, with: change.1)).site
        let spc = try #require(site.indicator(id: "emergency-admissions-65")?.spc)
        #expect(spc == SPCSettings(rebaseAt: [.month(2025, 10), .month(2026, 4)], fixAfter: 12, screenOutliers: false,
                                   runLength: 8, trendLength: 6, minimumPoints: 10))
        #expect(site.indicator(id: "still-at-home-91")?.spc == SPCSettings())
    }

    @Test func oneRebasePeriodMayBeWrittenWithoutAList() throws {
        let change = Self.spc("    spc:\n      rebase_at: 2025-10\n")
        let site = try SiteFixture.load(SiteFixture.replacing(change.0, with: change.1)).site
        #expect(site.indicator(id: "emergency-admissions-65")?.spc.rebaseAt == [.month(2025, 10)])
    }

    @Test func rebasePeriodsAreOfTheIndicatorsOwnKind() throws {
        let text = SiteFixture.replacing("    decimals: 1\n", with: "    decimals: 1\n    spc: { rebase_at: [FY2025-26 Q3] }\n")
        let site = try SiteFixture.load(text).site
        #expect(site.indicator(id: "still-at-home-91")?.spc.rebaseAt == [.financialQuarter(2025, 3)])
    }

    @Test func eventsAreReadWithAndWithoutTheirIndicators() throws {
        let change = Self.beforeGoals("""
        events:
          - { period: 2025-10, label: integrated locality teams start }
          - period: 2026Q1
            label: "  frailty hubs open  "
            indicators: [emergency-admissions-65, still-at-home-91]
          - { period: 2026-05, label: new discharge policy, indicators: still-at-home-91 }

        """)
        let site = try SiteFixture.load(SiteFixture.replacing(change.0, with: change.1)).site
        #expect(site.events == [
            SiteEvent(period: .month(2025, 10), label: "integrated locality teams start"),
            SiteEvent(period: .quarter(2026, 1), label: "frailty hubs open",
                      indicators: ["emergency-admissions-65", "still-at-home-91"]),
            SiteEvent(period: .month(2026, 5), label: "new discharge policy", indicators: ["still-at-home-91"]),
        ])
        #expect(site.events[0].applies(to: "still-at-home-91"))
        #expect(!site.events[2].applies(to: "emergency-admissions-65"))
    }

    @Test func aProgressBlockIsReadAndMissingKeysKeepTheirDefaults() throws {
        let full = Self.beforeGoals("progress:\n  tolerance: 0.2\n  projection_points: 6\n  stale_after_periods: 2\n")
        let site = try SiteFixture.load(SiteFixture.replacing(full.0, with: full.1)).site
        #expect(site.progress == ProgressSettings(tolerance: 0.2, projectionPoints: 6, staleAfterPeriods: 2))
        let partial = Self.beforeGoals("progress:\n  tolerance: 0\n")
        let partialSite = try SiteFixture.load(SiteFixture.replacing(partial.0, with: partial.1)).site
        #expect(partialSite.progress == ProgressSettings(tolerance: 0))
    }

    @Test func aGoalsToleranceIsRead() throws {
        let text = SiteFixture.replacing("    trajectory:\n", with: "    tolerance: 0.25\n    trajectory:\n")
        let site = try SiteFixture.load(text).site
        #expect(site.goals.first?.tolerance == 0.25)
    }
}
