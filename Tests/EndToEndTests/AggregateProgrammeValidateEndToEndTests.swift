// `pioneer validate` checks the programme file beside the site folders: a valid one gets its
// OK line (and a warning for an expected site with no folder), a broken one fails the run
// with each problem at its line and column.
import Foundation
import PioneerTesting
import Testing

@Suite("pioneer validate: the programme file")
struct AggregateProgrammeValidateEndToEndTests {
    static let programme = """
    programme:
      id: pioneers
      name: Integrated Care Pioneers
    sites: [torbay, cambridge]
    reporting:
      periods: [month]
      due: { soft: 15 days, hard: 30 days }
    """

    func withSites(programme: String, _ body: (URL) async throws -> Void) async throws {
        try await withTemporaryFolder(prefix: "pioneer-programme") { root in
            let torbay = root.appendingPathComponent("sites/torbay")
            try FileManager.default.createDirectory(at: torbay, withIntermediateDirectories: true)
            try Data(ValidateEndToEndTests.validSite.utf8).write(to: torbay.appendingPathComponent("site.yaml"))
            try Data(programme.utf8).write(to: root.appendingPathComponent("sites/programme.yaml"))
            try await body(root)
        }
    }

    @Test func aValidProgrammeIsReportedOKWithAWarningForAnExpectedSiteWithoutAFolder() async throws {
        try await withSites(programme: Self.programme) { root in
            let run = try await PioneerBinary.run(["validate"], in: root.path, environment: ["PATH": "/usr/bin:/bin"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains("sites/programme.yaml: warning: sites: the programme expects site `cambridge`, but sites has no folder `cambridge` holding site.yaml"))
            #expect(run.stderr.contains("sites/programme.yaml: OK (programme pioneers: 2 sites, 0 goal themes)"))
            #expect(run.stderr.contains("sites/torbay/site.yaml: OK"))
        }
    }

    /// A misspelt goal id in a theme counted nothing in the aggregate, and nobody was told.
    @Test func aThemeNamingAGoalNoSiteDeclaresIsAWarningWithASuggestion() async throws {
        let themed = Self.programme + "\nthemes:\n  emergency admissions: [fewer-admisions]\n"
        try await withSites(programme: themed) { root in
            let run = try await PioneerBinary.run(["validate"], in: root.path, environment: ["PATH": "/usr/bin:/bin"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.contains("sites/programme.yaml: warning: themes.emergency admissions: goal `fewer-admisions` is declared by no site "
                                        + "under sites, so theme `emergency admissions` counts nothing for it (did you mean `fewer-admissions`?)"),
                    "\(run.stderr)")
        }
    }

    @Test func aBrokenProgrammeFailsValidationWithItsLineAndColumn() async throws {
        let broken = Self.programme.replacingOccurrences(of: "[month]", with: "[monthly]")
        try await withSites(programme: broken) { root in
            let run = try await PioneerBinary.run(["validate"], in: root.path, environment: ["PATH": "/usr/bin:/bin"])
            #expect(run.status == 1)
            #expect(run.stderr.contains("sites/programme.yaml:6:13: error: reporting.periods[0]: `monthly` is not a kind of period"), "\(run.stderr)")
            #expect(run.stderr.contains("sites/programme.yaml: invalid (1 error)"))
            // Every problem in one run: the missing folder was said only once the error was fixed.
            #expect(run.stderr.contains("sites/programme.yaml: warning: sites: the programme expects site `cambridge`, but sites has no folder `cambridge`"),
                    "\(run.stderr)")

            let json = try await PioneerBinary.run(["validate", "--format", "json"], in: root.path, environment: ["PATH": "/usr/bin:/bin"])
            #expect(json.status == 1)
            let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let programme = try #require(report["programme"] as? [String: Any])
            #expect(programme["valid"] as? Bool == false)
            #expect((programme["issues"] as? [[String: Any]])?.first?["line"] as? Int == 6)
        }
    }

    @Test func theExampleProgrammeValidatesBesideTheExampleSites() async throws {
        let sites = PioneerBinary.packageRoot.appendingPathComponent("sites").path
        let run = try await PioneerBinary.run(["validate", "--root", sites], environment: ["PATH": "/usr/bin:/bin", "TORBAY_BI_TOKEN": "any"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("programme.yaml: OK (programme integrated-care-pioneers: 4 sites, 4 goal themes)"), "\(run.stderr)")
        #expect(!run.stderr.contains("warning: sites:"))
    }
}
