// `pioneer plugins`, `plugins show` and `plugin test` run as an author runs them: the built
// binary, in the checkout or far from it, on recorded feed bodies.
import Foundation
import PioneerTesting
import Testing

@Suite("pioneer plugins and plugin test", .timeLimit(.minutes(5)))
struct PluginCommandEndToEndTests {
    static let root = PioneerBinary.packageRoot
    static let payloads = "Tests/PluginTests/Payloads"

    static func pioneer(_ arguments: [String], in directory: String = root.path) async throws -> PioneerBinary.Run {
        try await PioneerBinary.run(arguments, in: directory)
    }

    // MARK: plugins

    @Test func listsTheBuiltInPluginsWithTheirSummaries() async throws {
        let run = try await Self.pioneer(["plugins"])
        #expect(run.status == 0, "\(run.stderr)")
        let names = run.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(names == ["care-home-deaths", "csv", "json", "rate", "survey"], "\(run.stdout)")
        #expect(run.stdout.contains("json              A number from a JSON feed"), "\(run.stdout)")
    }

    @Test func listsASitesOwnPluginsFromTheirFolders() async throws {
        let run = try await Self.pioneer(["plugins", "--site", "sites/tower-hamlets"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("care-process-target  practices reaching the care-process target (Python) (sites/tower-hamlets/plugins/care-process-target)"), "\(run.stdout)")
        #expect(run.stdout.contains("lowest-network"))
    }

    /// Found by a tester: a declared, working plugin whose folder had no README.md was left
    /// out of the list, and `plugins show` called it unknown.
    @Test func aDeclaredPluginWithoutAReadmeIsListedAndShowSaysWhatIsMissing() async throws {
        try await withTemporaryFolder(prefix: "pioneer-plugins-list") { folder in
            let site = folder.appending(path: "quiet")
            try FileManager.default.createDirectory(at: site.appending(path: "bin"), withIntermediateDirectories: true)
            try """
            site: { id: quiet, name: Quiet, region: Test, wave: Test, focus: [tests] }
            feeds:
              bi: { base_url: "http://127.0.0.1:9" }
            plugins:
              tally: { kind: exec, command: bin/tally.py }
            indicators: []
            """.write(to: site.appending(path: "site.yaml"), atomically: true, encoding: .utf8)
            let list = try await Self.pioneer(["plugins", "--site", site.path])
            #expect(list.status == 0, "\(list.stderr)")
            #expect(list.stdout.contains("tally             declared in \(site.path)/site.yaml: bin/tally.py (no README.md beside it)"), "\(list.stdout)")
            let show = try await Self.pioneer(["plugins", "show", "tally", "--site", site.path])
            #expect(show.status == 1)
            #expect(show.stderr.contains("`tally` is declared in \(site.path)/site.yaml (command bin/tally.py), but has no README.md"), "\(show.stderr)")
        }
    }

    @Test func showsABuiltInPluginsReadmeOnce() async throws {
        let run = try await Self.pioneer(["plugins", "show", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let readme = try String(contentsOf: Self.root.appending(path: "Plugins/JSON/README.md"), encoding: .utf8)
        #expect(run.stdout == readme, "the README is printed as it is, and its Configuration block already holds the sample")
    }

    @Test func showsOnlyTheSampleForCopying() async throws {
        let run = try await Self.pioneer(["plugins", "show", "survey", "--sample"])
        let sample = try String(contentsOf: Self.root.appending(path: "Plugins/Survey/sample.yaml"), encoding: .utf8)
        #expect(run.status == 0)
        #expect(run.stdout == sample)
    }

    @Test func showsASitePluginWithItsSample() async throws {
        let run = try await Self.pioneer(["plugins", "show", "lowest-network", "--site", "sites/tower-hamlets"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("# `lowest-network`"))
        #expect(run.stdout.contains("## Sample (sites/tower-hamlets/plugins/lowest-network/sample.yaml)\n\n```yaml\n- id: lowest-network-care-processes"))
    }

    @Test func anUnknownPluginIsNamedWithTheClosestOne() async throws {
        let run = try await Self.pioneer(["plugins", "show", "jsno"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("error: unknown plugin `jsno` (did you mean `json`?); known plugins: `care-home-deaths`, `csv`"), "\(run.stderr)")
        #expect(run.stderr.contains("add --site DIR"))
    }

    /// The binary copied out of the build folder and run elsewhere still finds the READMEs in
    /// the checkout it was built from.
    @Test func showWorksFromACopyOfTheBinaryFarFromTheCheckout() async throws {
        let binary = try #require(PioneerBinary.url())
        try await withTemporaryFolder(prefix: "pioneer-copy") { folder in
            let copy = folder.appending(path: "pioneer")
            // Copied by cp, not in this process: a descriptor open for writing here would be
            // inherited by any child another test forks meanwhile (a server that runs for
            // minutes), and the copy would refuse to start ("text file busy") while it lives.
            let copied = try await ChildProcess.run("/bin/cp", [binary.path, copy.path], timeout: 60)
            try #require(copied.status == 0, "cp failed: \(copied.stderr)")
            // A binary just written can still refuse to start for a moment: try again for a few seconds.
            var attempt = 0
            var started: ChildProcess?
            while started == nil {
                attempt += 1
                do {
                    started = try await ChildProcess.run(copy.path, ["plugins", "show", "csv", "--sample"], in: folder, timeout: 30)
                } catch where attempt < 20 {
                    try await Task.sleep(for: .milliseconds(250))
                }
            }
            let run = try #require(started)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("plugin: csv"))
        }
    }

    // MARK: plugin test

    @Test func runsABuiltInPluginOnARecordedBody() async throws {
        let run = try await Self.pioneer(["plugin", "test", "json", "--config", "Plugins/JSON/sample.yaml",
                                          "--feed", "document=\(Self.payloads)/bi-admissions.json", "--period", "2026-06"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.components(separatedBy: "\n")
        #expect(lines.first?.hasPrefix("PERIOD") == true)
        #expect(lines.dropFirst().first?.hasPrefix("2026-06    789    789") == true, "\(run.stdout)")
        #expect(run.stdout.contains("2026-06  document (feed bi) http://bi.test/admissions?month=2026-06&age_band=65%2B <- \(Self.payloads)/bi-admissions.json"), "\(run.stdout)")
    }

    /// Found by a tester: 1e20 showed as `100000000000000000000.`, 1e308 as 309 digits.
    @Test func aValueTooLargeOrSmallForDecimalsShowsInItsShortestForm() async throws {
        try await withTemporaryFolder(prefix: "pioneer-recorded") { folder in
            for (month, total) in [("2026-04", "1e20"), ("2026-05", "1e308")] {
                try #"{"data": [{"age_band": "65+", "admissions": \#(total)}]}"#
                    .write(to: folder.appending(path: "adm-\(month).json"), atomically: true, encoding: .utf8)
            }
            let run = try await Self.pioneer(["plugin", "test", "json", "--config", "Plugins/JSON/sample.yaml",
                                              "--feed", "document=\(folder.path)/adm-{period}.json",
                                              "--period", "2026-04", "--period", "2026-05"])
            #expect(run.status == 0, "\(run.stderr)")
            let rows = run.stdout.components(separatedBy: "\n")
            #expect(rows.contains { $0.hasPrefix("2026-04") && $0.contains(" 1e+20  ") }, "\(run.stdout)")
            #expect(rows.contains { $0.hasPrefix("2026-05") && $0.contains(" 1e+308  ") }, "\(run.stdout)")
            #expect(rows.allSatisfy { $0.count < 200 }, "\(run.stdout)")
        }
    }

    @Test func printsEachPeriodAsJSONWithAFilePerPeriod() async throws {
        try await withTemporaryFolder(prefix: "pioneer-recorded") { folder in
            for (month, total) in [("2026-04", 10), ("2026-05", 14)] {
                try #"{"data": [{"age_band": "65+", "admissions": \#(total)}]}"#
                    .write(to: folder.appending(path: "adm-\(month).json"), atomically: true, encoding: .utf8)
            }
            let run = try await Self.pioneer(["plugin", "test", "json", "--config", "Plugins/JSON/sample.yaml",
                                              "--feed", "document=\(folder.path)/adm-{period}.json",
                                              "--period", "2026-04", "--period", "2026-05", "--format", "json"])
            #expect(run.status == 0, "\(run.stderr)")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
            #expect(rows.map { $0["period"] as? String } == ["2026-04", "2026-05"])
            #expect(rows.map { $0["value"] as? Double } == [10, 14])
        }
    }

    @Test func aProportionShowsItsPartsAndInterval() async throws {
        let run = try await Self.pioneer(["plugin", "test", "survey", "--config", "Plugins/Survey/sample.yaml",
                                          "--feed", "responses=\(Self.payloads)/survey-responses.json",
                                          "--period", "FY2026-27 Q1", "--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]], "\(run.stderr)")
        let row = try #require(rows.first)
        #expect(row["numerator"] != nil && row["denominator"] != nil, "\(row)")
        #expect(row["interval"] != nil || row["not_available"] != nil, "\(row)")
    }

    @Test func aSitesFeedsGiveTheURLs() async throws {
        try await withTemporaryFolder(prefix: "pioneer-plugin-test") { folder in
            let config = folder.appending(path: "care.yaml")
            try """
                - id: diabetes-care-processes
                  name: People with diabetes who received all eight care processes
                  kind: process
                  value_type: proportion
                  unit: "% of the diabetes register"
                  period: month
                  better: higher
                  config:
                    numerator:
                      csv: { feed: gp, path: "/extracts/ltc-registers.csv?month={period}", aggregate: sum, column: diabetes_all_8_care_processes }
                    denominator:
                      csv: { feed: gp, path: "/extracts/ltc-registers.csv?month={period}", aggregate: sum, column: diabetes_register }
                """.write(to: config, atomically: true, encoding: .utf8)
            let extract = "sites/tower-hamlets/plugins/care-process-target/testdata/ltc-registers-2025-06.csv"
            let run = try await Self.pioneer(["plugin", "test", "rate", "--site", "sites/tower-hamlets", "--config", config.path,
                                              "--feed", "numerator=\(extract)", "--feed", "denominator=\(extract)", "--period", "2025-06"])
            #expect(run.status == 0, "\(run.stderr)")
            // 3,740 of 4,896 on the 8 practices of the recorded extract: 76.4%.
            #expect(run.stdout.contains("3740") && run.stdout.contains("4896") && run.stdout.contains("76.4%"), "\(run.stdout)")
            #expect(run.stdout.contains("http://127.0.0.1:8470/tower-hamlets/gp/extracts/ltc-registers.csv?month=2025-06"), "\(run.stdout)")
        }
    }

    @Test func aRequestWithNoFeedGivenNamesTheKeyAndThePath() async throws {
        let run = try await Self.pioneer(["plugin", "test", "json", "--config", "Plugins/JSON/sample.yaml", "--period", "2026-06"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("error: 2026-06: the plugin asked for `document` (feed `bi`, /admissions?month={period} → http://bi.test/admissions?month=2026-06&age_band=65%2B) but no --feed was given; add --feed document=FILE"), "\(run.stderr)")
    }

    @Test func anUnknownPluginSuggestsTheClosest() async throws {
        let run = try await Self.pioneer(["plugin", "test", "survy", "--config", "Plugins/Survey/sample.yaml", "--period", "2026-06"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("unknown plugin `survy` (did you mean `survey`?)"), "\(run.stderr)")
    }

    @Test func configErrorsAreReportedAtTheirLineAndColumn() async throws {
        try await withTemporaryFolder(prefix: "pioneer-plugin-test") { folder in
            let file = folder.appending(path: "broken.yaml")
            try """
                - id: admissions
                  name: Admissions
                  kind: outcome
                  value_type: count
                  unit: admissions
                  period: month
                  better: lower
                  plugin: json
                  config:
                    feed: bi
                    path: /admissions?month={period}
                    select: $.total
                    aggregate: summ
                """.write(to: file, atomically: true, encoding: .utf8)
            let run = try await Self.pioneer(["plugin", "test", "json", "--config", file.path, "--feed", "document=x.json", "--period", "2026-06"])
            #expect(run.status == 1)
            #expect(run.stderr.contains("\(file.path):13:16: error:") && run.stderr.contains("summ"), "\(run.stderr)")
        }
    }

    @Test func anEntryNamingAnotherPluginIsRefusedAtItsPluginLine() async throws {
        let run = try await Self.pioneer(["plugin", "test", "csv", "--config", "Plugins/JSON/sample.yaml", "--period", "2026-06"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("Plugins/JSON/sample.yaml:9:11: error:") && run.stderr.contains("names plugin `json`, but the command tests `csv`"), "\(run.stderr)")
    }

    @Test func aPeriodThatIsNotOneIsAUsageError() async throws {
        let run = try await Self.pioneer(["plugin", "test", "json", "--config", "Plugins/JSON/sample.yaml",
                                          "--feed", "document=\(Self.payloads)/bi-admissions.json", "--period", "2026-13"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("error: --period 2026-13:") && run.stderr.contains("counted by month, e.g."), "\(run.stderr)")
        // The help pointer names the whole command (it said `pioneer test --help`, which does not exist).
        #expect(run.stderr.contains("See 'pioneer plugin test --help' for more information."), "\(run.stderr)")
    }

    @Test func aFeedOptionWithoutAFileIsAUsageError() async throws {
        let run = try await Self.pioneer(["plugin", "test", "json", "--config", "Plugins/JSON/sample.yaml", "--feed", "document", "--period", "2026-06"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("expected KEY=FILE"), "\(run.stderr)")
    }

    @Test func aPeriodThePluginCannotReadExits3WithTheMessage() async throws {
        try await withTemporaryFolder(prefix: "pioneer-plugin-test") { folder in
            let body = folder.appending(path: "bad.json")
            try #"{"data": [{"age_band": "65+", "admissions": "n/a"}]}"#.write(to: body, atomically: true, encoding: .utf8)
            let run = try await Self.pioneer(["plugin", "test", "json", "--config", "Plugins/JSON/sample.yaml",
                                              "--feed", "document=\(body.path)", "--period", "2026-06"])
            #expect(run.status == 3)
            #expect(run.stdout.contains("error: ") && run.stdout.contains("n/a"), "\(run.stdout)")
        }
    }

    @Test func textFromAFeedCannotAddLinesOrControlTheTerminal() async throws {
        try await withTemporaryFolder(prefix: "pioneer-plugin-test") { folder in
            let body = folder.appending(path: "forged.json")
            // A string with a line break forging a row of the table, and an escape sequence
            // that would clear the screen and turn the text red.
            try #"{"data": [{"age_band": "65+", "admissions": "n/a\n2026-07      42     42\u001b[2J\u001b[31m"}]}"#
                .write(to: body, atomically: true, encoding: .utf8)
            let run = try await Self.pioneer(["plugin", "test", "json", "--config", "Plugins/JSON/sample.yaml",
                                              "--feed", "document=\(body.path)", "--period", "2026-06"])
            #expect(run.status == 3)
            #expect(run.stdout.contains(#"is a string `n/a\n2026-07      42     42\u001b[2J\u001b[31m`"#), "\(run.stdout)")
            #expect(!run.stdout.contains("\u{1B}") && !run.stderr.contains("\u{1B}"))
            #expect(!run.stdout.split(separator: "\n").contains { $0.hasPrefix("2026-07") }, "\(run.stdout)")
        }
    }


    @Test func anObservationCollectWouldRefuseFailsPluginTestToo() async throws {
        try await withTemporaryFolder(prefix: "pioneer-plugin-test") { folder in
            let body = folder.appending(path: "negative.json")
            try #"{"data": [{"age_band": "65+", "admissions": -5}]}"#.write(to: body, atomically: true, encoding: .utf8)
            let run = try await Self.pioneer(["plugin", "test", "json", "--config", "Plugins/JSON/sample.yaml",
                                              "--feed", "document=\(body.path)", "--period", "2026-06"])
            #expect(run.status == 3, "\(run.stdout)")
            #expect(run.stdout.contains("collect would refuse the observation: count -5 is negative"), "\(run.stdout)")
        }
    }


    @Test func aFeedThePluginNeverAskedForIsWarnedAbout() async throws {
        let run = try await Self.pioneer(["plugin", "test", "json", "--config", "Plugins/JSON/sample.yaml",
                                          "--feed", "document=\(Self.payloads)/bi-admissions.json",
                                          "--feed", "documnet=\(Self.payloads)/bi-admissions.json", "--period", "2026-06"])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stderr.contains("warning: --feed documnet=\(Self.payloads)/bi-admissions.json: the plugin asked for no request with key `documnet` (did you mean `document`?); it was not used"), "\(run.stderr)")
    }

}
