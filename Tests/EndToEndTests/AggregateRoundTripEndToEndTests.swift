// Return → JSON → aggregate: the demo's stores, `pioneer return` for every example site, then
// `pioneer aggregate` over the files gives each site's stored values exactly, and pools them
// as Σ numerators ÷ Σ denominators where the sites define an indicator alike.
import Foundation
import PioneerReturns
import PioneerTesting
import Testing

@Suite(.serialized, .timeLimit(.minutes(5)))
struct AggregateRoundTripEndToEndTests {
    static let sites = PioneerBinary.packageRoot.appendingPathComponent("sites").path

    /// The example programme with deadlines loose enough for returns made today.
    static let programme = """
    programme:
      id: integrated-care-pioneers
      name: Integrated Care Pioneers
    sites: [torbay, tower-hamlets, cambridge, northumbria]
    reporting:
      periods: [month, quarter]
      due: { soft: 24 months, hard: 36 months }
    """

    /// The parts of `--format json` this test reads, decoded as JSONDecoder decodes numbers
    /// (exactly; JSONSerialization can be a unit off in the last place).
    struct Report: Decodable {
        struct Row: Decodable {
            var site: String
            var value: Double?
            var numerator: Double?
            var denominator: Double?
        }
        struct Pooled: Decodable {
            var value: Double?
        }
        struct Indicator: Decodable {
            var id: String
            var valueType: String
            var factor: Int?
            var sites: [Row]
            var pooled: Pooled?
            var notPooled: String?
        }
        struct Rejected: Decodable {
            var source: String
        }
        var accepted: [String]
        var rejected: [Rejected]
        var indicators: [Indicator]
    }

    @Test func theAggregateOfTheSitesReturnsGivesTheirStoredValuesExactly() async throws {
        try await withTemporaryFolder(prefix: "pioneer-round-trip") { folder in
            let stores = folder.appendingPathComponent("stores").path
            let demo = try await PioneerBinary.run(["demo", "--root", Self.sites, "--store-dir", stores])
            try #require(demo.status == 0, "pioneer demo failed:\n\(demo.stdout)\n\(demo.stderr)")
            let returnsFolder = folder.appendingPathComponent("returns")
            try FileManager.default.createDirectory(at: returnsFolder, withIntermediateDirectories: true)
            var returns: [SiteReturn] = []
            for site in ["torbay", "tower-hamlets", "cambridge", "northumbria"] {
                let file = returnsFolder.appendingPathComponent("\(site).json").path
                let run = try await PioneerBinary.run(["return", "\(Self.sites)/\(site)", "--period", "2026-03", "--store-dir", stores,
                                                       "--allow-incomplete", "--output", file])
                try #require(run.status == 0, "pioneer return \(site) failed:\n\(run.stderr)")
                returns.append(try ReturnReader.read(file: file))
            }
            let programme = folder.appendingPathComponent("programme.yaml")
            try Data(Self.programme.utf8).write(to: programme)

            let run = try await PioneerBinary.run(["aggregate", returnsFolder.path, "--period", "2026-03", "--programme", programme.path,
                                                   "--format", "json"])
            #expect(run.status == 0, "\(run.stderr)")
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            let report = try decoder.decode(Report.self, from: Data(run.stdout.utf8))
            #expect(report.rejected.isEmpty)
            #expect(report.accepted == ["torbay", "tower-hamlets", "cambridge", "northumbria"])
            #expect(report.indicators.count >= 8, "only \(report.indicators.count) indicators have a measure for 2026-03")

            var compared = 0
            for indicator in report.indicators {
                var numerators = 0.0, denominators = 0.0, total = 0.0
                for row in indicator.sites {
                    let siteReturn = try #require(returns.first { $0.site.id == row.site })
                    let measure = try #require(siteReturn.indicators.first { $0.id == indicator.id }?.measures.first { $0.period.label == "2026-03" })
                    // Exactly the stored values, as the return carries them.
                    #expect(row.value == measure.value, "\(row.site) \(indicator.id)")
                    #expect(row.numerator == measure.numerator, "\(row.site) \(indicator.id)")
                    #expect(row.denominator == measure.denominator, "\(row.site) \(indicator.id)")
                    numerators += measure.numerator ?? 0
                    denominators += measure.denominator ?? 0
                    total += measure.value ?? 0
                    compared += 1
                }
                guard let value = indicator.pooled?.value else {
                    #expect(indicator.notPooled != nil, "\(indicator.id) is neither pooled nor says why")
                    continue
                }
                switch indicator.valueType {
                case "count", "amount":
                    #expect(abs(value - total) <= 1e-9 * max(1, abs(total)), "\(indicator.id)")
                default:
                    let expected = numerators / denominators * (indicator.valueType == "rate" ? Double(indicator.factor ?? 1) : 1)
                    #expect(abs(value - expected) <= 1e-12 * max(1, abs(expected)), "\(indicator.id): \(value) against \(expected)")
                }
            }
            #expect(compared >= 8)

            // A quarter's returns carry the monthly indicators' months: the table said only that
            // nothing had a measure for the quarter, not where the months are.
            let quarterFolder = folder.appendingPathComponent("quarter")
            try FileManager.default.createDirectory(at: quarterFolder, withIntermediateDirectories: true)
            for site in ["torbay", "cambridge"] {
                let file = quarterFolder.appendingPathComponent("\(site).json")
                let made = try await PioneerBinary.run(["return", "\(Self.sites)/\(site)", "--period", "2026Q1", "--store-dir", stores,
                                                        "--allow-incomplete", "--output", file.path])
                try #require(made.status == 0, "pioneer return \(site) 2026Q1 failed:\n\(made.stderr)")
                // Monthly indicators only (the sites' financial quarters share the quarter's days).
                var content = try ReturnReader.read(file: file.path)
                content.indicators.removeAll { indicator in indicator.measures.contains { $0.period.type != "month" } }
                try ReturnCoding.pretty(try ReturnCoding.signed(content)).write(to: file)
            }
            let quarter = try await PioneerBinary.run(["aggregate", quarterFolder.path, "--period", "2026Q1", "--programme", programme.path])
            #expect(quarter.stdout.contains("no indicator has a measure for 2026Q1 in the accepted returns; a return for a calendar quarter "
                                            + "carries each indicator's own periods inside it (its months, for monthly indicators), "
                                            + "pooled period by period in --history (JSON) and --format html"), "\(quarter.stdout)")
        }
    }
}
