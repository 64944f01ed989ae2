// `pioneer progress` on what the demo collected: every goal with a status, the SPC words,
// the site's own view beside it, in the three formats; and its errors.
import Foundation
import PioneerTesting
import Testing

@Suite("pioneer progress")
struct ProgressEndToEndTests {
    static let sites = PioneerBinary.packageRoot.appendingPathComponent("sites").path
    static let statuses: Set<String> = ["achieved", "on track", "at risk", "off track", "no data"]

    /// Runs the demo into a temporary store folder, then the body with that folder.
    static func withDemoStores(_ body: (String) async throws -> Void) async throws {
        try await withTemporaryFolder(prefix: "pioneer-progress-test") { scratch in
            let stores = scratch.appendingPathComponent("stores").path
            let demo = try await PioneerBinary.run(["demo", "--root", sites, "--store-dir", stores])
            #expect(demo.status == 0, "\(demo.stdout)\n\(demo.stderr)")
            #expect(demo.stdout.contains("pioneer progress --root \(sites) --store-dir \(stores)"), "\(demo.stdout)")
            #expect(demo.stdout.contains("pioneer report \(sites)/torbay --store-dir \(stores) --output torbay-report.html"), "\(demo.stdout)")
            try await body(stores)
        }
    }

    @Test func progressShowsEveryGoalOfEverySiteInEachFormat() async throws {
        try await Self.withDemoStores { stores in
            // JSON: every goal of every site, with a status from the five, SPC and the site's view.
            let json = try await PioneerBinary.run(["progress", "--root", Self.sites, "--store-dir", stores, "--format", "json"])
            #expect(json.status == 0, "\(json.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            let sites = try #require(object?["sites"] as? [[String: Any]])
            #expect(sites.map { $0["id"] as? String } .compactMap { $0 }.sorted() == ["cambridge", "northumbria", "torbay", "tower-hamlets"])
            var goals: [String: [String: Any]] = [:]
            for site in sites {
                for goal in site["goals"] as? [[String: Any]] ?? [] {
                    goals["\(site["id"] ?? "")/\(goal["id"] ?? "")"] = goal
                }
            }
            #expect(goals.count >= 8, "\(goals.keys.sorted())")
            for (key, goal) in goals {
                if let status = goal["status"] as? String {
                    #expect(Self.statuses.contains(status), "\(key): \(status)")
                }
                #expect(goal["agreement"] is String, "\(key)")
                #expect((goal["recent"] as? [Any])?.isEmpty == false, "\(key) has no recent values")
            }
            // Torbay rates its admissions goal green with high confidence; the evidence must
            // be set beside that rating, whatever it says.
            let admissions = try #require(goals["torbay/fewer-emergency-admissions"])
            let own = admissions["self_assessment"] as? [String: Any]
            #expect(own?["rag"] as? String == "green")
            #expect(admissions["variation"] is String, "a three-year monthly series has SPC limits")

            // The table: grouped by kind, with the column headings and no colour when piped.
            let table = try await PioneerBinary.run(["progress", "--root", Self.sites, "--store-dir", stores])
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.stdout.contains("Torbay and South Devon (torbay): "))
            #expect(table.stdout.contains("  outcome\n"))
            #expect(table.stdout.contains("  experience\n"), "patient experience is shown beside the other kinds")
            #expect(table.stdout.contains("goal"), "\(table.stdout)")
            #expect(table.stdout.contains("site says"))
            #expect(!table.stdout.contains("\u{1B}["), "no colour codes when stdout is not a terminal")
            // On a terminal (util-linux's `script` gives the command one): colour, unless NO_COLOR.
            let binary = try #require(PioneerBinary.url()).path
            let command = "\(binary) progress \(Self.sites)/torbay --store-dir \(stores)"
            var environment = ProcessInfo.processInfo.environment
            environment["NO_COLOR"] = nil
            environment["TERM"] = "xterm"
            let coloured = try await Self.onTerminal(command, environment: environment)
            #expect(coloured.contains("\u{1B}["), "no colour on a terminal:\n\(coloured)")
            environment["NO_COLOR"] = "1"
            let plain = try await Self.onTerminal(command, environment: environment)
            #expect(plain.contains("Torbay and South Devon (torbay)"), "\(plain)")
            #expect(!plain.contains("\u{1B}["), "colour despite NO_COLOR:\n\(plain)")
            #expect(table.stdout.contains(where: { "▁▂▃▄▅▆▇█".contains($0) }), "no sparkline")
            #expect(!table.stdout.contains("hidden to fit"), "piped output keeps every column")

            // A narrow terminal (COLUMNS, as a shell sets it) loses the least needed columns, and
            // says so; --wide keeps them all.
            var narrow = ProcessInfo.processInfo.environment
            narrow["COLUMNS"] = "100"
            let fitted = try await PioneerBinary.run(["progress", Self.sites + "/torbay", "--store-dir", stores], environment: narrow)
            #expect(fitted.status == 0, "\(fitted.stderr)")
            let tableLines = fitted.stdout.split(separator: "\n").filter { $0.hasPrefix("    ") }
            #expect(!tableLines.isEmpty && tableLines.allSatisfy { $0.count <= 100 }, "\(fitted.stdout)")
            #expect(tableLines.first?.contains("variation") == true && tableLines.first?.contains("site says") == false, "\(fitted.stdout)")
            #expect(fitted.stdout.contains("(hidden to fit 100 columns: last 24, site says"), "\(fitted.stdout)")
            let wide = try await PioneerBinary.run(["progress", Self.sites + "/torbay", "--store-dir", stores, "--wide"], environment: narrow)
            #expect(wide.stdout.contains("site says") && !wide.stdout.contains("hidden to fit"), "\(wide.stdout)")

            // CSV: a header and one row per goal.
            let csv = try await PioneerBinary.run(["progress", "--root", Self.sites, "--store-dir", stores, "--format", "csv"])
            #expect(csv.status == 0, "\(csv.stderr)")
            let lines = csv.stdout.split(separator: "\n")
            #expect(lines.first?.hasPrefix("site,goal,indicator,kind,latest_period,latest_value") == true)
            #expect(lines.count == goals.count + 1)

            // One indicator's series, SPC label per point.
            let series = try await PioneerBinary.run(["progress", Self.sites + "/torbay", "--store-dir", stores,
                                                   "--indicator", "emergency-admissions-65", "--format", "json"])
            #expect(series.status == 0, "\(series.stderr)")
            let seriesObject = try JSONSerialization.jsonObject(with: Data(series.stdout.utf8)) as? [String: Any]
            let points = try #require(seriesObject?["points"] as? [[String: Any]])
            #expect(points.count >= 24)
            #expect(points.allSatisfy { $0["period"] is String })
            #expect(points.contains { $0["point_type"] as? String != nil })
            let unknown = try await PioneerBinary.run(["progress", Self.sites + "/torbay", "--store-dir", stores,
                                                      "--indicator", "emergency-admissions-66"])
            #expect(unknown.status == 2)
            #expect(unknown.stderr.contains("--indicator: the site has no indicator `emergency-admissions-66` (did you mean `emergency-admissions-65`?)"), "\(unknown.stderr)")
            let seriesTable = try await PioneerBinary.run(["progress", Self.sites + "/torbay", "--store-dir", stores,
                                                        "--indicator", "emergency-admissions-65"])
            #expect(seriesTable.stdout.contains("lower limit"))
            #expect(seriesTable.stdout.contains("SPC: "))

            // As at an earlier period: nothing later is used.
            let earlier = try await PioneerBinary.run(["progress", Self.sites + "/torbay", "--store-dir", stores,
                                                    "--period", "2025-06", "--format", "json"])
            #expect(earlier.status == 0, "\(earlier.stderr)")
            let earlierObject = try JSONSerialization.jsonObject(with: Data(earlier.stdout.utf8)) as? [String: Any]
            let earlierGoals = (earlierObject?["sites"] as? [[String: Any]])?.first?["goals"] as? [[String: Any]] ?? []
            #expect(earlierGoals.count == 3)
            for goal in earlierGoals {
                let latest = (goal["latest"] as? [String: Any])?["period"] as? String ?? ""
                // Months compare as text; the survey's financial quarters end by June 2025 too.
                #expect(latest <= "2025-06" || latest.hasPrefix("FY2025-26 Q1") || latest.hasPrefix("FY2024"), "\(goal["id"] ?? ""): latest \(latest)")
            }

            // --fail-on: exit 4 only when a goal is at or beyond the status named.
            let anyOffTrack = goals.values.contains { $0["status"] as? String == "off track" }
            let failOn = try await PioneerBinary.run(["progress", "--root", Self.sites, "--store-dir", stores, "--fail-on", "off-track"])
            #expect(failOn.status == (anyOffTrack ? 4 : 0), "\(failOn.stderr)")
            // Another site's store given by mistake: named, not read as "nothing collected".
            let torbayStore = stores + "/torbay.sqlite"
            for command in ["progress", "measures", "runs"] {
                let wrong = try await PioneerBinary.run([command, Self.sites + "/cambridge", "--store", torbayStore])
                #expect(wrong.status == 1, "\(command): \(wrong.stdout)")
                #expect(wrong.stderr.contains("measure store \(torbayStore): the store holds the measures of site `torbay`, not of `cambridge`; give cambridge's own store"),
                        "\(command): \(wrong.stderr)")
            }

            // A manager who may read the store but not write its folder (root runs the tests;
            // `setpriv` runs pioneer as nobody): every read command works. It said "read-only".
            if getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), let binary = PioneerBinary.url() {
                let shared = URL(fileURLWithPath: stores).deletingLastPathComponent().appendingPathComponent("shared")
                try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
                let copy = shared.appendingPathComponent("pioneer"), store = shared.appendingPathComponent("torbay.sqlite")
                try FileManager.default.copyItem(at: binary, to: copy)
                try FileManager.default.copyItem(atPath: torbayStore, toPath: store.path)
                try FileManager.default.copyItem(atPath: Self.sites + "/torbay", toPath: shared.appendingPathComponent("torbay").path)
                for (path, mode) in [(shared.path, 0o755), (store.path, 0o644), (copy.path, 0o755)] {
                    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
                }
                for command in ["measures", "progress", "runs"] {
                    let run = try await ChildProcess.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", copy.path, command,
                                                                              shared.appendingPathComponent("torbay").path, "--store", store.path],
                                                         in: shared, timeout: 120)
                    #expect(run.status == 0, "\(command) as nobody: \(run.stderr)")
                    #expect(!run.stdout.isEmpty, "\(command)")
                }
                #expect(try FileManager.default.contentsOfDirectory(atPath: shared.path).sorted() == ["pioneer", "torbay", "torbay.sqlite"],
                        "nothing written beside the store")
            }

            // Two goals on one indicator: each row says which goal it is, and the notes name
            // goals as the rows do (they gave ids the table never showed).
            let twoGoals = URL(fileURLWithPath: stores).deletingLastPathComponent().appendingPathComponent("two-goals/torbay")
            try FileManager.default.createDirectory(at: twoGoals.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Self.sites + "/torbay", toPath: twoGoals.path)
            let yaml = try String(contentsOf: twoGoals.appendingPathComponent("site.yaml"), encoding: .utf8) + """
                  - id: admissions-stretch
                    indicator: emergency-admissions-65
                    title: A stretch goal for admissions
                    baseline: { period: 2023-04, value: 23.5 }
                    target: { period: 2027-03, value: 12.0 }

                """
            try yaml.write(to: twoGoals.appendingPathComponent("site.yaml"), atomically: true, encoding: .utf8)
            let two = try await PioneerBinary.run(["progress", twoGoals.path, "--store", torbayStore], environment: ["NO_COLOR": "1", "PATH": "/usr/bin:/bin"])
            #expect(two.status == 0, "\(two.stderr)")
            #expect(two.stdout.contains("Emergency admissions, aged 65+ (fewer-emergency-admissions)"), "\(two.stdout)")
            #expect(two.stdout.contains("Emergency admissions, aged 65+ (admissions-stretch)"), "\(two.stdout)")
            #expect(two.stdout.contains("  Emergency admissions, aged 65+ (admissions-stretch): the last 12 points project"), "\(two.stdout)")
            #expect(!two.stdout.contains("\n  tell-my-story-once:"), "\(two.stdout)")

            // As at a period before any data, no goal can be judged: the check cannot pass.
            let nothing = try await PioneerBinary.run(["progress", Self.sites + "/torbay", "--store-dir", stores,
                                                    "--period", "2020-01", "--fail-on", "off-track"])
            #expect(nothing.status == 4, "\(nothing.stdout)")
            #expect(nothing.stderr == "--fail-on off-track: no goal could be judged (none has data), so the check fails\n", "\(nothing.stderr)")

            // As at a period not begun, every goal would read as overdue for data not yet due.
            for command in [["progress", Self.sites + "/torbay", "--store-dir", stores],
                            ["report", Self.sites + "/torbay", "--store-dir", stores, "--output", "-"]] {
                let future = try await PioneerBinary.run(command + ["--period", "2999-01"])
                #expect(future.status == 2, "\(future.stderr)")
                #expect(future.stderr.hasPrefix("error: --period 2999-01 has not begun (today is "), "\(future.stderr)")
                #expect(future.stdout.isEmpty)
            }
        }
    }

    /// Runs a shell command with a pseudo-terminal as its stdout, through util-linux's
    /// `script`, and returns what it wrote.
    static func onTerminal(_ command: String, environment: [String: String]) async throws -> String {
        try await withTemporaryFolder(prefix: "pioneer-tty") { folder in
            let log = folder.appendingPathComponent("typescript")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-q", "-e", "-c", command, log.path]
            process.environment = environment
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            let end = try await StartedProcess.start(process).exit(within: 300)
            #expect(end.status == 0 && !end.timedOut, "`\(command)` on a terminal exited \(end.status)")
            return try String(contentsOf: log, encoding: .utf8)
        }
    }

    @Test func progressWithoutAStoreSaysHowToMakeOne() async throws {
        try await withTemporaryFolder(prefix: "pioneer-progress-empty") { scratch in
            let run = try await PioneerBinary.run(["progress", Self.sites + "/torbay", "--store-dir", scratch.path])
            #expect(run.status == 1)
            #expect(run.stderr.contains("measure store \(scratch.path)/torbay.sqlite: no measures collected for site `torbay` in --store-dir \(scratch.path)"), "\(run.stderr)")
        }
    }

    @Test func progressRefusesOptionsThatNeedOneSite() async throws {
        let store = try await PioneerBinary.run(["progress", "--root", Self.sites, "--store", "/tmp/x.sqlite"])
        #expect(store.status == 2)
        #expect(store.stderr.contains("--store names one site's store file"), "\(store.stderr)")
        let indicator = try await PioneerBinary.run(["progress", "--root", Self.sites, "--indicator", "x"])
        #expect(indicator.status == 2)
        #expect(indicator.stderr.contains("--indicator shows one site's indicator"), "\(indicator.stderr)")
        let both = try await PioneerBinary.run(["progress", Self.sites + "/torbay", "--indicator", "x", "--fail-on", "at-risk"])
        #expect(both.status == 2)
        #expect(both.stderr.contains("--fail-on judges every goal of the sites; it does not go with --indicator"), "\(both.stderr)")
        let failOn = try await PioneerBinary.run(["progress", "--fail-on", "late"])
        #expect(failOn.status == 2)
        #expect(failOn.stderr.contains("off-track"), "\(failOn.stderr)")
    }
}
