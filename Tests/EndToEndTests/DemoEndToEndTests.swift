// The real `pioneer` binary on the example sites: `validate` accepts them, and `demo` collects
// their whole simulated history without a failure and without writing into sites/.
import Foundation
import PioneerTesting
import Testing

@Suite(.serialized, .timeLimit(.minutes(3)))
struct DemoEndToEndTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sites = packageRoot.appendingPathComponent("sites").path

    @Test func validateAcceptsEveryExampleSite() async throws {
        let run = try await PioneerRun.run(["validate", "--root", Self.sites], environment: ["TORBAY_BI_TOKEN": "any"])
        #expect(run.status == 0, "pioneer validate failed:\n\(run.output)\n\(run.errors)")
        for site in ["torbay", "tower-hamlets", "cambridge", "northumbria"] {
            #expect(run.output.contains(site), "validate's table does not mention \(site):\n\(run.output)")
        }
    }

    @Test func demoCollectsEverySiteWithoutFailures() async throws {
        try await withTemporaryFolder(prefix: "pioneer-demo-test") { scratch in
            // A folder not there yet: the demo makes it.
            let storeDir = scratch.appendingPathComponent("stores")
            let siteStores = ["torbay", "tower-hamlets", "cambridge", "northumbria"].map {
                URL(fileURLWithPath: Self.sites).appendingPathComponent($0).appendingPathComponent(".pioneer").path
            }
            let storesBefore = Set(siteStores.filter { FileManager.default.fileExists(atPath: $0) })
            // No time asserted: a loaded machine stretches it (the suite's time limit catches a hang).
            let run = try await PioneerRun.run(["demo", "--root", Self.sites, "--store-dir", storeDir.path])
            #expect(run.status == 0, "pioneer demo exited \(run.status):\n\(run.output)\n\(run.errors)")

            #expect(run.output.hasPrefix("Demo feeds at http://127.0.0.1:"))
            #expect(run.output.contains("simulating 2023-04 to 2026-03"))
            for header in ["Torbay and South Devon (torbay)", "Tower Hamlets (tower-hamlets)",
                           "Cambridge and South Cambridgeshire (cambridge)", "Northumbria (northumbria)"] {
                #expect(run.output.contains(header), "no section for \(header)")
            }
            let total = try #require(run.output.split(separator: "\n").first { $0.hasPrefix("Demo: ") }, "no totals line:\n\(run.output)")
            #expect(total.hasPrefix("Demo: 4 sites, "))
            #expect(total.hasSuffix(" not available, 0 failed."), "\(total)")
            let collected = Int(total.split(separator: " ")[3]) ?? 0
            #expect(collected > 600, "\(total)")
            // A goal's target and the site's own rating sit beside the latest value.
            #expect(run.output.contains("emergency-admissions-65"))
            #expect(run.output.contains("goal 18.7 by 2027-03, site says green"))
            #expect(run.output.contains("goal 24.0% by 2026-03, site says green"))
            // Torbay's cost per patient, from a finance feed whose amounts are text ("4,644,924.12").
            #expect(run.output.contains("  cost-per-patient         cost        2026-03       £340.99"), "\(run.output)")
            #expect(run.output.contains("Measures stored in \(storeDir.path)/<site-id>.sqlite."))

            for site in ["torbay", "tower-hamlets", "cambridge", "northumbria"] {
                #expect(FileManager.default.fileExists(atPath: storeDir.appendingPathComponent("\(site).sqlite").path))
            }
            for siteStore in siteStores where !storesBefore.contains(siteStore) {
                #expect(!FileManager.default.fileExists(atPath: siteStore), "the demo wrote into \(siteStore)")
            }

            // The commands that read stores find each site's file in the folder the demo wrote.
            let measures = try await PioneerRun.run(["measures", Self.sites + "/torbay", "--store-dir", storeDir.path,
                                                     "--indicator", "emergency-admissions-65", "--format", "csv"])
            #expect(measures.status == 0, "\(measures.errors)")
            #expect(measures.output.split(separator: "\n").count > 24, "\(measures.output)")
            let runs = try await PioneerRun.run(["runs", Self.sites + "/cambridge", "--store-dir", storeDir.path])
            #expect(runs.status == 0, "\(runs.errors)")
            let both = try await PioneerRun.run(["measures", Self.sites + "/torbay", "--store-dir", storeDir.path,
                                                 "--store", storeDir.appendingPathComponent("torbay.sqlite").path])
            #expect(both.status != 0)
            #expect(both.errors.contains("give --store (one file) or --store-dir (a folder of <site-id>.sqlite files), not both"), "\(both.errors)")
            let elsewhere = try await PioneerRun.run(["measures", Self.sites + "/torbay", "--store-dir", scratch.path])
            #expect(elsewhere.status == 1)
            #expect(elsewhere.errors.contains("measure store \(scratch.path)/torbay.sqlite: no measures collected for site `torbay` in --store-dir \(scratch.path)"), "\(elsewhere.errors)")
        }
    }

    @Test func demoRefusesAStoreInsideTheSites() async throws {
        let run = try await PioneerRun.run(["demo", "--root", Self.sites, "--store-dir", Self.sites + "/torbay/stores"])
        #expect(run.status == 2)
        #expect(run.errors.contains("is inside the sites folder"))
        #expect(run.errors.contains("the demo never writes into the sites, so choose a folder elsewhere"))
        #expect(!FileManager.default.fileExists(atPath: Self.sites + "/torbay/stores"))
    }

    @Test func demoWithoutASitesFolderSaysSo() async throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-sites-\(UUID().uuidString)").path
        let run = try await PioneerRun.run(["demo", "--root", missing])
        #expect(run.status == 1)
        #expect(run.errors.contains("the sites folder does not exist"))
    }

    @Test func demoFeedsRejectsAnImpossiblePort() async throws {
        let run = try await PioneerRun.run(["demo-feeds", "--port", "70000"])
        #expect(run.status == 2)
        #expect(run.errors.contains("--port must be between 0 and 65535, got 70000"))
        let token = try await PioneerRun.run(["demo-feeds", "--torbay-token", "two words"])
        #expect(token.status == 2)
        #expect(token.errors.contains("--torbay-token must be non-empty and without spaces"))
    }
}

/// One run of the built `pioneer` binary, with its exit status and output.
private struct PioneerRun {
    var status: Int32
    var output: String
    var errors: String

    /// Runs `pioneer arguments` with this process's environment plus `extra`.
    static func run(_ arguments: [String], environment extra: [String: String] = [:]) async throws -> PioneerRun {
        let run = try await PioneerBinary.run(
            arguments, environment: ProcessInfo.processInfo.environment.merging(extra) { _, new in new })
        return PioneerRun(status: run.status, output: run.stdout, errors: run.stderr)
    }
}
