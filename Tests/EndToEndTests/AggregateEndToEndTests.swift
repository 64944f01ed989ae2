// `pioneer aggregate` as a programme office runs it: signed JSON returns in a folder, the
// programme file beside them, the national table, JSON and CSV, and what it refuses.
import Foundation
import PioneerKit
import PioneerReturns
import PioneerTesting
import Testing

@Suite("pioneer aggregate", .serialized)
struct AggregateEndToEndTests {
    static let programme = """
    programme:
      id: pioneers
      name: Integrated Care Pioneers
    sites: [torbay, tower-hamlets, cambridge, northumbria]
    reporting:
      periods: [month, quarter]
      due: { soft: 15 days, hard: 30 days }
    themes:
      care plans: [care-plans]
    """

    static let march = ReturnPeriod(label: "2026-03", type: "month", start: "2026-03-01", end: "2026-03-31")

    /// A signed return of one proportion (care plans) and one rate (admissions per 1,000).
    static func siteReturn(_ site: String, plans: (Double, Double), admissions: (Double, Double), made: String = "2026-04-10",
                           rag: String? = nil, status: String = "on track", agreement: String = "agrees") throws -> SiteReturn {
        let provenance = ReturnProvenance(plugin: "json", runID: 1, collectedAt: "2026-04-02T08:00:00.000Z", sources: [])
        let content = SiteReturn(
            generator: Generator(version: "0.1.0"),
            site: SiteIdentity(id: site, name: site.capitalized, region: "England", wave: "1"),
            period: march, generatedAt: "\(made)T09:00:00.000Z", complete: true, missing: [],
            indicators: [
                ReturnIndicator(id: "care-plans", name: "Shared care plans", kind: "process", valueType: "proportion", unit: "%",
                                factor: nil, better: "higher", decimals: 1,
                                measures: [ReturnMeasure(period: march, value: plans.0 / plans.1, numerator: plans.0, denominator: plans.1,
                                                         interval: ReturnInterval(lower: 0.1, upper: 0.9, level: 0.95, method: "wilson"),
                                                         provenance: provenance)]),
                ReturnIndicator(id: "admissions", name: "Emergency admissions", kind: "outcome", valueType: "rate", unit: "per 1,000",
                                factor: 1000, better: "lower", decimals: 2,
                                measures: [ReturnMeasure(period: march, value: admissions.0 / admissions.1 * 1000,
                                                         numerator: admissions.0, denominator: admissions.1, provenance: provenance)]),
            ],
            goals: [ReturnGoal(id: "care-plans", indicator: "care-plans", title: "Three in four with a care plan",
                               baseline: ReturnPeriodValue(period: "2025-03", value: 0.5), target: ReturnPeriodValue(period: "2027-03", value: 0.75),
                               status: status, selfAssessment: ReturnSelfAssessment(rag: rag), agreement: agreement)],
            runs: [])
        return try ReturnCoding.signed(content)
    }

    /// A folder with the programme file and returns/ holding `returns` (name → return JSON).
    func withOffice(_ returns: [String: Data], _ body: (URL) async throws -> Void) async throws {
        try await withTemporaryFolder(prefix: "pioneer-aggregate") { root in
            try Data(Self.programme.utf8).write(to: root.appendingPathComponent("programme.yaml"))
            let folder = root.appendingPathComponent("returns")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (name, data) in returns {
                try data.write(to: folder.appendingPathComponent(name))
            }
            try await body(root)
        }
    }

    static func standardReturns() throws -> [String: Data] {
        [
            "torbay.json": try ReturnCoding.pretty(try siteReturn("torbay", plans: (30, 100), admissions: (50, 20000))),
            "tower-hamlets.json": try ReturnCoding.pretty(try siteReturn("tower-hamlets", plans: (120, 300), admissions: (300, 60000), made: "2026-04-20")),
            "cambridge.json": try ReturnCoding.pretty(try siteReturn("cambridge", plans: (200, 1000), admissions: (90, 45000),
                                                                    rag: "green", status: "off track", agreement: "optimistic")),
        ]
    }

    static func run(_ arguments: [String], in root: URL) async throws -> PioneerBinary.Run {
        try await PioneerBinary.run(["aggregate", "returns", "--period", "2026-03", "--programme", "programme.yaml", "--as-of", "2026-05-10"] + arguments,
                                    in: root.path, environment: ["PATH": "/usr/bin:/bin"])
    }

    @Test func theTableShowsCompletenessThePooledValuesTheFunnelAndTheGoals() async throws {
        var returns = try Self.standardReturns()
        var february = try Self.siteReturn("torbay", plans: (1, 2), admissions: (1, 2), made: "2026-03-10")
        february.period = ReturnPeriod(label: "2026-02", type: "month", start: "2026-02-01", end: "2026-02-28")
        returns["torbay-2026-02.json"] = try ReturnCoding.pretty(try ReturnCoding.signed(february))
        try await withOffice(returns) { root in
            let run = try await Self.run(["--overdispersion", "none"], in: root)
            #expect(run.status == 0, "\(run.stderr)")
            let out = run.stdout
            #expect(out.hasPrefix("Integrated Care Pioneers: national aggregate for 2026-03 (as of 2026-05-10)"))
            #expect(out.contains("Completeness (on time to 2026-04-15, late to 2026-04-30)"))
            #expect(out.contains("1 return for 1 other period set aside (2026-02)"))
            #expect(out.contains("torbay         on time  2026-04-10  returns/torbay.json"), "\(out)")
            #expect(out.contains("tower-hamlets  late     2026-04-20"))
            #expect(out.contains("northumbria    missing"))
            #expect(out.contains("1 on time, 1 late, 0 incomplete, 0 awaited, 1 missing") == false)
            #expect(out.contains("2 on time, 1 late, 0 incomplete, 0 awaited, 1 missing"))
            // 350 of 1,400 = 25.0%, not the 30.0% mean of 30%, 40% and 20%.
            let plans = try #require(out.split(separator: "\n").first { $0.hasPrefix("care-plans ") && $0.contains("proportion") })
            #expect(plans.contains("25.0%"), "\(plans)")
            #expect(plans.contains("ratio of sums"))
            // 440 in 125,000 = 3.52 per 1,000.
            #expect(out.split(separator: "\n").contains { $0.hasPrefix("admissions ") && $0.contains("3.52") })
            #expect(out.contains("Outside the limits (named, not ranked): tower-hamlets (above the 99.8% limit), cambridge (below the 99.8% limit)"), "\(out)")
            #expect(out.contains("care plans"))
            #expect(out.contains("cambridge  care-plans  care plans  off track  green            optimistic"), "\(out)")
        }
    }

    /// A site that sent its return again, corrected, has done nothing wrong: the earlier one is
    /// listed apart, and the exit status is 0, so a script that aggregates a folder of every
    /// return received is not told that something is wrong.
    @Test func aSupersededReturnIsListedApartAndDoesNotFailTheRun() async throws {
        var returns = try Self.standardReturns()
        returns["torbay-first.json"] = try ReturnCoding.pretty(try Self.siteReturn("torbay", plans: (10, 100), admissions: (50, 20000), made: "2026-04-02"))
        try await withOffice(returns) { root in
            let run = try await Self.run([], in: root)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stderr.isEmpty, "\(run.stderr)")
            #expect(run.stdout.contains("Superseded returns (the site's later return, or the same one, is counted)\n"), "\(run.stdout)")
            #expect(!run.stdout.contains("Rejected returns"), "\(run.stdout)")
            #expect(run.stdout.contains("returns/torbay-first.json  torbay  2026-03  superseded by a later return from the same site (returns/torbay.json"),
                    "\(run.stdout)")

            let json = try await Self.run(["--format", "json"], in: root)
            #expect(json.status == 0, "\(json.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let rejected = try #require(report["rejected"] as? [[String: Any]])
            #expect(rejected.count == 1)
            #expect(rejected.first?["superseded"] as? Bool == true)
        }
    }

    @Test func jsonAndCSVCarryTheSameFiguresAndOutputIsWrittenAtomically() async throws {
        try await withOffice(try Self.standardReturns()) { root in
            let run = try await Self.run(["--format", "json", "--output", "national.json"], in: root)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.isEmpty)
            let data = try Data(contentsOf: root.appendingPathComponent("national.json"))
            let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(report["period"] as? String == "2026-03")
            let indicators = try #require(report["indicators"] as? [[String: Any]])
            let plans = try #require(indicators.first { $0["id"] as? String == "care-plans" })
            let pooled = try #require(plans["pooled"] as? [String: Any])
            #expect(pooled["value"] as? Double == 0.25)
            #expect(pooled["numerator"] as? Double == 350)
            let funnel = try #require(plans["funnel"] as? [String: Any])
            #expect(funnel["distribution"] as? String == "binomial")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.contains("partial") }
            #expect(leftovers.isEmpty)

            let csv = try await Self.run(["--format", "csv"], in: root)
            #expect(csv.status == 0)
            let lines = csv.stdout.split(separator: "\n")
            #expect(lines.first?.hasPrefix("period,indicator,value_type,factor,site,value,numerator,denominator") == true)
            #expect(lines.contains { $0.hasPrefix("2026-03,care-plans,proportion,,national,0.25,350,1400,") && $0.hasSuffix(",ratio of sums") })
            #expect(lines.contains { $0.hasPrefix("2026-03,admissions,rate,1000,torbay,2.5,50,20000,") })
        }
    }

    @Test func aTamperedReturnIsListedAsADigestMismatchAndLeftOutWithExitStatus3() async throws {
        var returns = try Self.standardReturns()
        // One changed value, the digest left as it was.
        let text = try #require(String(data: returns["torbay.json"]!, encoding: .utf8))
        returns["torbay.json"] = Data(text.replacingOccurrences(of: "\"numerator\" : 30", with: "\"numerator\" : 90").utf8)
        #expect(returns["torbay.json"] != Data(text.utf8), "the fixture's JSON layout changed; the tamper did nothing")
        returns["notes.json"] = Data("{ not json".utf8)
        returns["torbay.xml"] = Data("<adx/>".utf8)
        try await withOffice(returns) { root in
            // The folder's *.xml files are read as ADX: `<adx/>` is outside ADX's namespace.
            let run = try await Self.run([], in: root)
            #expect(run.status == 3, "\(run.stderr)")
            // Columns as single spaces: their widths follow the longest cell.
            let squeezed = run.stdout.replacingOccurrences(of: " +", with: " ", options: .regularExpression)
            #expect(squeezed.contains("returns/torbay.xml not readable not readable ADX return returns/torbay.xml:1:"), "\(run.stdout)")
            #expect(run.stdout.contains("the root element is `adx` in no namespace; an ADX return's root is `adx` in namespace urn:ihe:qrph:adx:2015"))
            #expect(run.stderr == "3 returns were left out of the totals; the reasons are listed in the aggregate\n")
            #expect(run.stdout.contains("Rejected returns, kept out of the totals"))
            #expect(squeezed.contains("returns/torbay.json torbay 2026-03 its digest does not match its content"), "\(run.stdout)")
            #expect(run.stdout.contains("returns/notes.json"))
            #expect(run.stdout.contains("torbay         missing"))
            #expect(run.stdout.contains("is not JSON: unexpected `n` where an object key (a quoted string) was expected (line 1, column 3)"))
            // 320 of 1,300 without torbay.
            #expect(run.stdout.split(separator: "\n").contains { $0.hasPrefix("care-plans ") && $0.contains("24.6%") })
        }
    }

    /// A site id with a line break (the return's digest made again) forged a line of the
    /// office's table, `FAKE  on time …`; shown escaped, it is one cell of one row.
    @Test func textFromAReturnCannotStartALineOrSendTheTerminalASequence() async throws {
        var returns = try Self.standardReturns()
        returns["evil.json"] = try ReturnCoding.pretty(try Self.siteReturn("evil\nFAKE  on time\u{1B}[2J", plans: (1, 2), admissions: (1, 2)))
        try await withOffice(returns) { root in
            let run = try await Self.run([], in: root)
            #expect(run.status == 3, "\(run.stderr)")
            #expect(run.stdout.contains("site `evil\\nFAKE  on time\\u001b[2J` is not one the programme expects"), "\(run.stdout)")
            #expect(!run.stdout.split(separator: "\n").contains { $0.hasPrefix("FAKE") }, "\(run.stdout)")
            #expect(!run.stdout.contains("\u{1B}"))
        }
    }

    @Test func badInputIsRefusedWithAPlainMessage() async throws {
        try await withOffice(try Self.standardReturns()) { root in
            let noProgramme = try await PioneerBinary.run(["aggregate", "returns", "--period", "2026-03"], in: root.path, environment: ["PATH": "/usr/bin:/bin"])
            #expect(noProgramme.status == 1)
            #expect(noProgramme.stderr == "sites/programme.yaml: error: the programme file does not exist; give one with --programme\n")

            let nowhere = try await PioneerBinary.run(["aggregate", "elsewhere", "--period", "2026-03", "--programme", "programme.yaml"],
                                                      in: root.path, environment: ["PATH": "/usr/bin:/bin"])
            #expect(nowhere.status == 1)
            #expect(nowhere.stderr == "error: elsewhere does not exist; give return files or folders holding them\n")

            let period = try await Self.run(["--period", "March"], in: root)
            #expect(period.status == 2)
            #expect(period.stderr.hasPrefix("error: "))

            // A kind of period the programme does not collect (monthly and quarterly here).
            let uncollected = try await PioneerBinary.run(["aggregate", "returns", "--period", "FY2025-26 Q4", "--programme", "programme.yaml"],
                                                          in: root.path)
            #expect(uncollected.status == 2, "\(uncollected.stdout)")
            #expect(uncollected.stderr.hasPrefix("error: --period FY2025-26 Q4 (NHS financial-year quarter) is not a reporting period of the programme"), "\(uncollected.stderr)")
            #expect(uncollected.stderr.contains("See 'pioneer aggregate --help'"), "\(uncollected.stderr)")

            let method = try await Self.run(["--overdispersion", "random"], in: root)
            #expect(method.status == 2)
            #expect(method.stderr.contains("`random` is not an overdispersion method; use `additive`, `multiplicative` or `none`"))

            let date = try await Self.run(["--as-of", "10/05/2026"], in: root)
            #expect(date.status == 2)
            #expect(date.stderr.contains("`10/05/2026` is not a date; write it as YYYY-MM-DD"))
        }
    }
}
