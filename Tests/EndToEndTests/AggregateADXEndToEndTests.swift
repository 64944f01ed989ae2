// Return → ADX → aggregate with the real binary: the demo's stores, `pioneer return --format
// adx` for every example site, definitions from another month's JSON returns, and the same
// pooled values as return → JSON → aggregate; a changed ADX value, an unknown definition and
// unsafe XML (billion laughs, an external entity on a loopback server) listed and kept out.
import Foundation
import Hummingbird
import PioneerReturns
import PioneerTesting
import Testing

@Suite(.serialized, .timeLimit(.minutes(5)))
struct AggregateADXEndToEndTests {
    static let sites = PioneerBinary.packageRoot.appendingPathComponent("sites").path
    static let siteIDs = ["torbay", "tower-hamlets", "cambridge", "northumbria"]

    /// The parts of `--format json` these tests read.
    struct Report: Decodable {
        struct Row: Decodable, Equatable {
            var site: String
            var value: Double?
            var numerator: Double?
            var denominator: Double?
        }
        struct Pooled: Decodable, Equatable {
            var value: Double?
            var numerator: Double?
            var denominator: Double?
        }
        struct Indicator: Decodable {
            var id: String
            var sites: [Row]
            var pooled: Pooled?
        }
        struct Rejected: Decodable {
            var source: String
            var reason: String
        }
        var accepted: [String]
        var rejected: [Rejected]
        var otherPeriods: [Rejected]
        var indicators: [Indicator]
        var goalsNotCarried: [String]
    }

    static func report(_ stdout: String) throws -> Report {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Report.self, from: Data(stdout.utf8))
    }

    /// Writes each example site's return for `period` in `format` into `folder`.
    static func writeReturns(period: String, format: String, stores: String, into folder: URL) async throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for site in siteIDs {
            let file = folder.appendingPathComponent("\(site)-\(period).\(format == "adx" ? "xml" : "json")").path
            let run = try await PioneerBinary.run(["return", "\(sites)/\(site)", "--period", period, "--store-dir", stores,
                                                   "--allow-incomplete", "--format", format, "--output", file])
            try #require(run.status == 0, "pioneer return \(site) --format \(format) failed:\n\(run.stderr)")
        }
    }

    @Test func adxReturnsAggregateToTheSamePooledValuesAsJSONAndAChangedValueIsCaught() async throws {
        try await withTemporaryFolder(prefix: "pioneer-adx-round-trip") { folder in
            let stores = folder.appendingPathComponent("stores").path
            let demo = try await PioneerBinary.run(["demo", "--root", Self.sites, "--store-dir", stores])
            try #require(demo.status == 0, "pioneer demo failed:\n\(demo.stdout)\n\(demo.stderr)")
            let programme = folder.appendingPathComponent("programme.yaml")
            try Data(AggregateRoundTripEndToEndTests.programme.utf8).write(to: programme)

            let json = folder.appendingPathComponent("json")
            try await Self.writeReturns(period: "2026-03", format: "json", stores: stores, into: json)
            // ADX for March; the definitions come from February's JSON returns in the same folder.
            let adx = folder.appendingPathComponent("adx")
            try await Self.writeReturns(period: "2026-03", format: "adx", stores: stores, into: adx)
            try await Self.writeReturns(period: "2026-02", format: "json", stores: stores, into: adx)
            let written = try FileManager.default.contentsOfDirectory(atPath: adx.path).filter { $0.hasSuffix(".xml") }
                .map { adx.appendingPathComponent($0).path }
            #expect(try await ReturnSchemaValidation.adxProblems(files: written) == "")

            let fromJSON = try await PioneerBinary.run(["aggregate", json.path, "--period", "2026-03", "--programme", programme.path, "--format", "json"])
            #expect(fromJSON.status == 0, "\(fromJSON.stderr)")
            let fromADX = try await PioneerBinary.run(["aggregate", adx.path, "--period", "2026-03", "--programme", programme.path, "--format", "json"])
            #expect(fromADX.status == 0, "\(fromADX.stderr)")
            let jsonReport = try Self.report(fromJSON.stdout), adxReport = try Self.report(fromADX.stdout)
            #expect(adxReport.rejected.isEmpty, "\(adxReport.rejected.map(\.reason))")
            #expect(adxReport.accepted == Self.siteIDs)
            #expect(adxReport.otherPeriods.count == 4)
            #expect(adxReport.goalsNotCarried == Self.siteIDs)
            #expect(jsonReport.goalsNotCarried.isEmpty)
            #expect(adxReport.indicators.map(\.id) == jsonReport.indicators.map(\.id))
            #expect(adxReport.indicators.count >= 8)
            for (fromADX, fromJSON) in zip(adxReport.indicators, jsonReport.indicators) {
                #expect(fromADX.pooled == fromJSON.pooled, "\(fromADX.id)")
                #expect(fromADX.sites == fromJSON.sites, "\(fromADX.id)")
            }
            let table = try await PioneerBinary.run(["aggregate", adx.path, "--period", "2026-03", "--programme", programme.path])
            #expect(table.stdout.contains("ADX returns carry no goals: torbay, tower-hamlets, cambridge, northumbria (their goals are not counted above)"))

            // One numerator changed in Torbay's ADX: listed as a digest mismatch, kept out.
            let torbay = adx.appendingPathComponent("torbay-2026-03.xml")
            let original = try String(contentsOf: torbay, encoding: .utf8)
            let pattern = try #require(try Regex(#"PART="NUMERATOR" definitionVersion="[0-9a-f]{12}" value="[0-9]+"#).firstMatch(in: original))
            let line = String(original[pattern.range])
            let changed = original.replacingOccurrences(of: line, with: line + "1")
            try Data(changed.utf8).write(to: torbay)
            let tampered = try await PioneerBinary.run(["aggregate", adx.path, "--period", "2026-03", "--programme", programme.path, "--format", "json"])
            #expect(tampered.status == 3)
            let tamperedReport = try Self.report(tampered.stdout)
            #expect(tamperedReport.accepted == ["tower-hamlets", "cambridge", "northumbria"])
            #expect(tamperedReport.rejected.map(\.source) == [torbay.path])
            #expect(tamperedReport.rejected.first?.reason.hasPrefix("its ADX contentDigest does not match its content") == true)

            // Without the JSON returns, no definition is known: each ADX return is listed, none pooled.
            let alone = folder.appendingPathComponent("alone")
            try FileManager.default.createDirectory(at: alone, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: adx.appendingPathComponent("cambridge-2026-03.xml"), to: alone.appendingPathComponent("cambridge.xml"))
            let undefined = try await PioneerBinary.run(["aggregate", alone.path, "--period", "2026-03", "--programme", programme.path, "--format", "json"])
            #expect(undefined.status == 3)
            let undefinedReport = try Self.report(undefined.stdout)
            #expect(undefinedReport.accepted.isEmpty)
            #expect(undefinedReport.rejected.first?.reason.hasPrefix("ADX carries no indicator definitions, and no JSON return among the files given defines ") == true)
            #expect(undefined.stderr.contains("1 return was left out of the totals"))
        }
    }

    /// Counts requests, from the server's threads to the test's.
    final class Hits: @unchecked Sendable {
        // Invariant: `count` is only read or written with `lock` held.
        private let lock = NSLock()
        private var count = 0
        func add() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }

    @Test func billionLaughsAndExternalEntitiesAreRefusedUnexpandedAndUnfetched() async throws {
        let hits = Hits()
        let router = Router()
        router.get("**") { _, _ -> String in
            hits.add()
            return "torbay"
        }
        try await withLoopbackServer(router, label: "pioneer.adx-xxe-test") { port in
            try await withTemporaryFolder(prefix: "pioneer-adx-unsafe") { folder in
                let programme = folder.appendingPathComponent("programme.yaml")
                try Data(AggregateRoundTripEndToEndTests.programme.utf8).write(to: programme)
                let laughs = (1...9).map { level in
                    "  <!ENTITY lol\(level) \"" + String(repeating: "&lol\(level - 1);", count: 10) + "\">"
                }.joined(separator: "\n")
                let bomb = """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <!DOCTYPE adx [
                      <!ENTITY lol0 "lol">
                    \(laughs)
                    ]>
                    <adx xmlns="urn:ihe:qrph:adx:2015" exported="2026-04-10T08:00:00Z" site="&lol9;" reportingPeriod="2026-03" schemaVersion="1"/>
                    """
                let xxe = """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <!DOCTYPE adx [ <!ENTITY site SYSTEM "http://127.0.0.1:\(port)/site"> ]>
                    <adx xmlns="urn:ihe:qrph:adx:2015" exported="2026-04-10T08:00:00Z" site="&site;" reportingPeriod="2026-03" schemaVersion="1"/>
                    """
                let bombFile = folder.appendingPathComponent("bomb.xml"), xxeFile = folder.appendingPathComponent("xxe.xml")
                try Data(bomb.utf8).write(to: bombFile)
                try Data(xxe.utf8).write(to: xxeFile)
                let clock = ContinuousClock()
                let start = clock.now
                let run = try await PioneerBinary.run(["aggregate", bombFile.path, xxeFile.path, "--period", "2026-03",
                                                       "--programme", programme.path, "--format", "json"])
                #expect(clock.now - start < .seconds(20))
                #expect(run.status == 3, "\(run.stderr)")
                let report = try Self.report(run.stdout)
                let refusal = "has a DOCTYPE, which ADX does not use; it is refused unread so that no entity is expanded and nothing is fetched"
                #expect(report.rejected.map(\.reason) == [
                    "ADX return \(bombFile.path):2:1: \(refusal)",
                    "ADX return \(xxeFile.path):2:1: \(refusal)",
                ])
                #expect(hits.value == 0, "the external entity was fetched")
            }
        }
    }
}
