// `pioneer return --format fhir` on a demo store, checked by scripts/check-fhir.py (the
// fhir.resources models, references resolving inside the bundle, proportions within 0..1),
// and the checker itself shown to catch what it is there to catch.
import Foundation
import PioneerReturns
import PioneerTesting
import Testing

@Suite(.serialized, .timeLimit(.minutes(5)))
struct FHIRReturnEndToEndTests {
    /// check-fhir.py's complaints about `files`; empty when they pass.
    static func problems(_ files: [String]) async throws -> String {
        let run = try await ChildProcess.run("/usr/bin/env", ["python3", PioneerBinary.packageRoot.appendingPathComponent("scripts/check-fhir.py").path] + files, timeout: 300)
        let said = run.stdout + run.stderr
        return run.status == 0 ? "" : (said.isEmpty ? "check-fhir.py exited \(run.status)" : said)
    }

    static func entries(_ file: String) throws -> [[String: Any]] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any]
        return try #require(json?["entry"] as? [[String: Any]])
    }

    @Test func aFHIRReturnFromADemoStoreParsesWithFHIRResourcesAndItsReferencesResolve() async throws {
        try await withTemporaryFolder(prefix: "pioneer-fhir-e2e") { folder in
            let stores = try await ReturnEndToEndTests.demoStores(in: folder)
            var files: [String] = []
            for run in 1...2 {
                let file = folder.appendingPathComponent("torbay-\(run).fhir.json").path
                let fhir = try await ReturnEndToEndTests.pioneer(["return", ReturnEndToEndTests.torbay, "--period", "FY2025-26 Q4",
                                                                  "--store-dir", stores, "--format", "fhir", "--output", file])
                #expect(fhir.status == 0, "\(fhir.errors)")
                files.append(file)
            }
            #expect(try await Self.problems(files) == "")

            let entries = try Self.entries(files[0])
            let reports = entries.compactMap { $0["resource"] as? [String: Any] }.filter { $0["resourceType"] as? String == "MeasureReport" }
            let json = try await ReturnEndToEndTests.pioneer(["return", ReturnEndToEndTests.torbay, "--period", "FY2025-26 Q4",
                                                              "--store-dir", stores])
            let read = try ReturnReader.read(data: Data(json.output.utf8), file: "stdout")
            #expect(reports.count == read.indicators.reduce(0) { $0 + $1.measures.count })
            let admissions = try #require(read.indicators.first { $0.id == "emergency-admissions-65" })
            let march = try #require(reports.first {
                $0["measure"] as? String == "https://pioneer.example/fhir/Measure/emergency-admissions-65|\(admissions.definitionVersion)"
                    && ($0["period"] as? [String: String])?["start"] == "2026-03-01"
            })
            #expect(march["period"] as? [String: String] == ["start": "2026-03-01", "end": "2026-03-31"])
            #expect(march["status"] as? String == "complete")
            let population = try #require(((march["group"] as? [[String: Any]])?.first?["population"] as? [[String: Any]])?.first)
            let numerator = try #require(admissions.measures.last?.numerator)
            #expect(population["count"] as? Int == Int(numerator))

            // A second run makes the same ids: the office can match reports across resubmissions.
            #expect(try Self.entries(files[1]).map { $0["fullUrl"] as? String } == entries.map { $0["fullUrl"] as? String })
        }
    }

    @Test func theCheckerReportsABrokenReferenceAProportionAboveOneAndWhatTheLibraryRefuses() async throws {
        try await withTemporaryFolder(prefix: "pioneer-fhir-check") { folder in
            var value = SampleReturnForFHIR.proportion
            value.indicators[0].measures[0].value = 1.4
            let bytes = try FHIRMeasureReportBundle.json(value)
            var text = String(decoding: bytes, as: UTF8.self)
            let organization = FHIRMeasureReportBundle.uuid(name: "https://pioneer.example/fhir/site/torbay")
            text = text.replacingOccurrences(of: "\"reference\" : \"urn:uuid:\(organization)\"", with: "\"reference\" : \"urn:uuid:gone\"")
            let broken = folder.appendingPathComponent("broken.json")
            try text.write(to: broken, atomically: true, encoding: .utf8)
            let problems = try await Self.problems([broken.path])
            #expect(problems.contains("$.entry[1].resource.reporter.reference: urn:uuid:gone is not the fullUrl of any entry in the bundle"), "\(problems)")
            #expect(problems.contains("$.entry[1].resource.group[0].measureScore: proportion 1.4 is not between 0 and 1"), "\(problems)")

            let invalid = folder.appendingPathComponent("invalid.json")
            try String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\"count\" : 41", with: "\"count\" : 41.5")
                .write(to: invalid, atomically: true, encoding: .utf8)
            let refused = try await Self.problems([invalid.path])
            #expect(refused.contains("not a valid FHIR R4 Bundle") && refused.contains("entry.1.resource.group.0.population.0.count"), "\(refused)")

            let tally = folder.appendingPathComponent("tally.json")
            try String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\"type\" : \"summary\"", with: "\"type\" : \"tally\"")
                .write(to: tally, atomically: true, encoding: .utf8)
            #expect(try await Self.problems([tally.path]).contains("$.entry[1].resource.type: 'tally' is not one of individual, subject-list, summary, data-collection"))
        }
    }
}

/// A one-indicator return with a proportion, for the checker's own test.
enum SampleReturnForFHIR {
    static var proportion: SiteReturn {
        let period = ReturnPeriod(label: "2026Q1", type: "quarter", start: "2026-01-01", end: "2026-03-31")
        return SiteReturn(
            generator: Generator(version: "0.10.0"),
            site: SiteIdentity(id: "torbay", name: "Torbay and South Devon", region: "South West", wave: "1"),
            period: period, generatedAt: "2026-04-10T08:00:00.000Z", complete: true, missing: [],
            indicators: [ReturnIndicator(
                id: "involved-in-decisions", name: "Involved in decisions", kind: "experience", valueType: "proportion",
                unit: "%", factor: nil, better: "higher", decimals: 1,
                measures: [ReturnMeasure(period: period, value: 0.82, numerator: 41, denominator: 50,
                                         provenance: ReturnProvenance(plugin: "survey", runID: 1, collectedAt: "2026-04-02T09:14:07.512Z", sources: []))])],
            goals: [], runs: [])
    }
}
