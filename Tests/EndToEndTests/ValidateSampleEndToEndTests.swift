// `pioneer validate --sample PERIOD` against a real loopback feed: a finance summary whose
// amounts are written for people is named with the `number_format:` that reads it, and the
// same site with the option reads the sample; nothing is stored.
import Foundation
import PioneerTesting
import Testing

@Suite("pioneer validate --sample", .serialized, .timeLimit(.minutes(5)))
struct ValidateSampleEndToEndTests {
    static let finance = #"{"month": "2026-03", "spend_gbp": "3,945,237.88", "patients_seen": "12,408"}"#

    static func site(baseURL: String, numberFormat: String?) -> String {
        let option = numberFormat.map { ", number_format: \($0)" } ?? ""
        return """
        site:
          id: testshire
          name: Testshire
          region: South West
          wave: Pioneer wave 1 (2013)
          focus: older people
        feeds:
          finance:
            base_url: \(baseURL)/finance
        indicators:
          - id: cost-per-patient
            name: Community services spend per patient seen
            kind: cost
            value_type: amount
            unit: £
            period: month
            better: lower
            decimals: 2
            plugin: rate
            config:
              numerator:
                json: { feed: finance, path: "/spend?month={period}", select: $.spend_gbp\(option) }
              denominator:
                json: { feed: finance, path: "/spend?month={period}", select: $.patients_seen\(option) }

        """
    }

    func validate(_ siteText: String, _ arguments: [String]) async throws -> PioneerBinary.Run {
        try await withTemporaryFolder(prefix: "pioneer-sample") { folder in
            let root = folder.path
            try FileManager.default.createDirectory(atPath: "\(root)/sites/testshire", withIntermediateDirectories: true)
            try Data(siteText.utf8).write(to: URL(fileURLWithPath: "\(root)/sites/testshire/site.yaml"))
            let run = try await PioneerBinary.run(["validate"] + arguments, in: root, environment: ["PATH": "/usr/bin:/bin"])
            #expect(!FileManager.default.fileExists(atPath: "\(root)/sites/testshire/.pioneer"), "validate --sample wrote a store into the site")
            return run
        }
    }

    @Test func aFormattedAmountWithoutTheOptionIsNamedWithTheOption() async throws {
        let server = LocalFeedServer(routes: ["/finance/spend": .json(Self.finance)])
        let run = try await server.run { baseURL in
            try await validate(Self.site(baseURL: baseURL, numberFormat: nil), ["sites/testshire", "--sample", "2026-03"])
        }
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("sites/testshire/site.yaml: error: sample 2026-03: cost-per-patient 2026-03: "), "\(run.stderr)")
        #expect(run.stderr.contains("`$.spend_gbp` in http://127.0.0.1:"), "\(run.stderr)")
        #expect(run.stderr.contains("/finance/spend?month=2026-03 should select numbers, but `$['spend_gbp']` is a string `3,945,237.88`; to read numbers written like this, add `number_format: readable` to the block"), "\(run.stderr)")
        #expect(run.stderr.contains("sites/testshire/site.yaml: sample 2026-03: 0 read, 1 failed"), "\(run.stderr)")
        #expect(run.stderr.contains("sites/testshire/site.yaml: configuration OK (1 indicator, 0 goals), but the sample of 2026-03 failed"), "\(run.stderr)")
        #expect(!run.stderr.contains("site.yaml: OK"), "\(run.stderr)")
        // The feed was fetched once for the two parts.
        #expect(await server.requests == ["/finance/spend?month=2026-03"])
    }

    @Test func withTheOptionTheSampleReads() async throws {
        let run = try await withLocalFeedServer(["/finance/spend": .json(Self.finance)]) { baseURL in
            try await validate(Self.site(baseURL: baseURL, numberFormat: "readable"), ["sites/testshire", "--sample", "2026-03"])
        }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("sites/testshire/site.yaml: OK (1 indicator, 0 goals)"), "\(run.stderr)")
        #expect(run.stderr.contains("sites/testshire/site.yaml: sample 2026-03: 1 read"), "\(run.stderr)")
        #expect(!run.stderr.contains("error"), "\(run.stderr)")
    }

    @Test func theSampleIsInTheJSONReport() async throws {
        let run = try await withLocalFeedServer(["/finance/spend": .json(Self.finance)]) { baseURL in
            try await validate(Self.site(baseURL: baseURL, numberFormat: nil), ["sites/testshire", "--sample", "2026-03", "--format", "json"])
        }
        #expect(run.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let site = try #require((report["sites"] as? [[String: Any]])?.first)
        let sample = try #require(site["sample"] as? [String: Any])
        #expect(sample["period"] as? String == "2026-03")
        #expect(sample["failed"] as? Bool == true)
        #expect(sample["failures"] as? Int == 1)
        let finding = try #require((sample["findings"] as? [[String: Any]])?.first)
        #expect(finding["outcome"] as? String == "failed")
        #expect((finding["message"] as? String)?.contains("add `number_format: readable` to the block") == true)
    }

    @Test func anUnreadableSamplePeriodIsAUsageError() async throws {
        let run = try await validate(Self.site(baseURL: "http://127.0.0.1:9", numberFormat: nil), ["sites/testshire", "--sample", "March"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("error: The value 'March' is invalid for '--sample <period>': "), "\(run.stderr)")
    }

    /// Twelve sites of twenty feeds sampled under a hard limit of 60 open files: one client
    /// serves them all, so the connections of the sites already sampled are the next site's,
    /// not kept open beside them (a client per site ran out of files by the fourth).
    @Test func manySitesAreSampledUnderALowLimitOnOpenFiles() async throws {
        let server = LocalFeedServer(routes: ["/finance/spend": .json(Self.finance)])
        let run = try await server.run { baseURL in
            try await withTemporaryFolder(prefix: "pioneer-sample-many") { folder in
                for number in 1...12 {
                    var text = """
                    site:
                      id: site\(number)
                      name: Site \(number)
                      region: South West
                      wave: Pioneer wave 1 (2013)
                      focus: older people
                    feeds:
                      finance:
                        base_url: \(baseURL)/finance
                    indicators:

                    """
                    for index in 1...20 {
                        text += """
                          - { id: seen-\(index), name: Patients seen \(index), kind: process, value_type: count, unit: patients,
                              period: month, better: higher, plugin: json,
                              config: { feed: finance, path: "/spend?month={period}&n=\(index)", select: $.patients_seen, number_format: readable } }

                        """
                    }
                    let site = folder.appending(path: "sites/site\(number)")
                    try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
                    try Data(text.utf8).write(to: site.appending(path: "site.yaml"))
                }
                let pioneer = try #require(PioneerBinary.url())
                return try await PioneerBinary.run(
                    process: URL(fileURLWithPath: "/bin/sh"),
                    ["-c", "ulimit -Sn 20 && ulimit -Hn 60 && exec \"$0\" \"$@\"", pioneer.path,
                     "validate", "--root", "sites", "--sample", "2026-03"], in: folder.path)
            }
        }
        #expect(run.status == 0, "\(run.stderr)")
        for number in 1...12 {
            #expect(run.stderr.contains("sites/site\(number)/site.yaml: sample 2026-03: 20 read"), "site\(number): \(run.stderr)")
        }
        #expect(!run.stderr.contains("files open"), "\(run.stderr)")
    }
}
