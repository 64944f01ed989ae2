// `pioneer return` on the demo's stores, as the programme office would receive it: the file
// reads back to the stored values exactly, one edited value breaks the digest, missing
// measures refuse the return unless allowed, and the file is written whole or not at all.
import Foundation
import PioneerKit
import PioneerReturns
import PioneerStore
import PioneerTesting
import Testing

@Suite(.serialized, .timeLimit(.minutes(5)))
struct ReturnEndToEndTests {
    static let sites = PioneerBinary.packageRoot.appendingPathComponent("sites").path
    static let torbay = sites + "/torbay"

    struct Run {
        var status: Int32
        var output: String
        var errors: String
    }

    static func pioneer(_ arguments: [String]) async throws -> Run {
        let run = try await PioneerBinary.run(arguments)
        return Run(status: run.status, output: run.stdout, errors: run.stderr)
    }

    /// The demo's stores in `folder`/stores, one per example site.
    static func demoStores(in folder: URL) async throws -> String {
        let stores = folder.appendingPathComponent("stores").path
        let demo = try await pioneer(["demo", "--root", sites, "--store-dir", stores])
        try #require(demo.status == 0, "pioneer demo failed:\n\(demo.output)\n\(demo.errors)")
        return stores
    }

    @Test func aReturnReadsBackToTheStoredValuesAndAnEditBreaksItsDigest() async throws {
        try await withTemporaryFolder(prefix: "pioneer-return-e2e") { folder in
            let stores = try await Self.demoStores(in: folder)
            let file = folder.appendingPathComponent("torbay-FY2025-26.json").path
            let run = try await Self.pioneer(["return", Self.torbay, "--period", "FY2025-26", "--store-dir", stores, "--output", file])
            #expect(run.status == 0, "\(run.errors)")
            #expect(run.output.isEmpty, "with --output nothing goes to stdout: \(run.output)")
            try await ReturnSchemaValidation.expectValid([file])
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".partial") }
            #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")

            let read = try ReturnReader.read(file: file)
            #expect(try ReturnCoding.verify(read) == .valid)
            #expect(read.complete && read.missing.isEmpty)
            #expect(read.site.id == "torbay")
            #expect(read.period == ReturnPeriod(label: "FY2025-26", type: "fy-year", start: "2025-04-01", end: "2026-03-31"))
            #expect(read.generator.name == "pioneer")
            #expect(read.indicators.map(\.id).contains("care-home-admissions-65"))
            #expect(!read.goals.isEmpty)

            // Every measure in the return is the store's current one, exactly.
            let store = try MeasureStore(readingAt: stores + "/torbay.sqlite")
            let stored = try store.measures(MeasureQuery(site: "torbay", overlapping: CalendarDate(year: 2025, month: 4, day: 1)!...CalendarDate(year: 2026, month: 3, day: 31)!))
            var compared = 0
            for indicator in read.indicators {
                for measure in indicator.measures {
                    let match = try #require(stored.first { $0.measure.indicatorID == indicator.id && $0.measure.period.label == measure.period.label })
                    let observation = match.measure.observation.published
                    #expect(measure.value == observation.value, "\(indicator.id) \(measure.period.label)")
                    #expect(measure.numerator == observation.numerator)
                    #expect(measure.denominator == observation.denominator)
                    #expect(measure.sampleSize == observation.sampleSize)
                    #expect(measure.interval?.lower == observation.interval?.lower)
                    #expect(measure.interval?.upper == observation.interval?.upper)
                    #expect(measure.provenance.runID == match.runID)
                    compared += 1
                }
            }
            #expect(read.indicators.first { $0.id == "emergency-admissions-65" }?.measures.count == 12)
            #expect(compared == stored.filter { ReturnBuilder.periods(of: $0.measure.period.type, in: .financialYear(2025)).contains($0.measure.period) }.count)
            #expect(compared > 60)
            #expect(!(try String(contentsOfFile: file, encoding: .utf8)).contains("@127.0.0.1"))

            // One changed value: the file still reads, and the digest says it was edited.
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let admissions = try #require(read.indicators.first { $0.id == "emergency-admissions-65" }?.measures.first?.numerator)
            let original = "\"numerator\" : \(ReturnCSV.number(admissions))"
            #expect(text.contains(original))
            let tampered = folder.appendingPathComponent("tampered.json").path
            try text.replacingOccurrences(of: original, with: "\"numerator\" : \(ReturnCSV.number(admissions - 1))")
                .write(toFile: tampered, atomically: true, encoding: .utf8)
            guard case .mismatch(let expected, let found) = try ReturnCoding.verify(try ReturnReader.read(file: tampered)) else {
                Issue.record("an edited return verified")
                return
            }
            #expect(expected == read.digest?.value)
            #expect(found != expected)
        }
    }

    @Test func missingMeasuresRefuseTheReturnUnlessAllowedAndAQuarterGoesToStdoutAsJSONOrCSV() async throws {
        try await withTemporaryFolder(prefix: "pioneer-return-e2e") { folder in
            let stores = try await Self.demoStores(in: folder)
            let json = try await Self.pioneer(["return", Self.torbay, "--period", "FY2025-26 Q4", "--store-dir", stores])
            #expect(json.status == 0, "\(json.errors)")
            let file = folder.appendingPathComponent("stdout.json")
            try json.output.write(to: file, atomically: true, encoding: .utf8)
            try await ReturnSchemaValidation.expectValid([file.path])
            let read = try ReturnReader.read(file: file.path)
            #expect(try ReturnCoding.verify(read) == .valid)
            // Monthly indicators give three months; the financial quarter itself is there once.
            #expect(read.indicators.first { $0.id == "emergency-admissions-65" }?.measures.map(\.period.label) == ["2026-01", "2026-02", "2026-03"])
            #expect(read.indicators.first { $0.id == "still-at-home-91-days" }?.measures.map(\.period.label) == ["FY2025-26 Q4"])
            #expect(!read.indicators.contains { $0.id == "care-home-admissions-65" }, "a yearly indicator is not in a quarter's return")

            let csv = try await Self.pioneer(["return", Self.torbay, "--period", "FY2025-26 Q4", "--store-dir", stores, "--format", "csv"])
            #expect(csv.status == 0, "\(csv.errors)")
            let rows = csv.output.split(separator: "\r\n")
            #expect(rows.count == 1 + read.indicators.reduce(0) { $0 + $1.measures.count })
            let march = try #require(rows.first { $0.hasPrefix("torbay,FY2025-26 Q4,true,emergency-admissions-65,") && $0.contains(",2026-03,month,") })
            let measure = try #require(read.indicators.first { $0.id == "emergency-admissions-65" }?.measures.last)
            #expect(march.contains(",reported,\(ReturnCSV.number(measure.value)),\(ReturnCSV.number(measure.numerator)),\(ReturnCSV.number(measure.denominator)),"), "\(march)")
            // Its own digest: the CSV run made its own return, at its own time.
            let digest = march.split(separator: ",").last ?? ""
            #expect(digest.count == 64 && digest.allSatisfy { "0123456789abcdef".contains($0) }, "\(march)")

            let dhis2File = folder.appendingPathComponent("torbay-dhis2.json").path
            let dhis2 = try await Self.pioneer(["return", Self.torbay, "--period", "FY2025-26 Q4", "--store-dir", stores,
                                                "--format", "dhis2", "--output", dhis2File])
            #expect(dhis2.status == 0, "\(dhis2.errors)")
            try await ReturnSchemaValidation.expectValid([dhis2File], schema: "dhis2-datavalueset.schema.json")
            let payload = try JSONDecoder().decode(DHIS2DataValueSet.self, from: Data(contentsOf: URL(fileURLWithPath: dhis2File)))
            #expect(payload.orgUnit == "PIONEER_TORBAY")
            #expect(payload.completeDate != nil)
            let marchValue = try #require(payload.dataValues.first {
                $0.dataElement == "PIONEER_EMERGENCY_ADMISSIONS_65" && $0.period == "202603" && $0.categoryOptionCombo == "PIONEER_NUMERATOR"
            })
            #expect(marchValue.value == ReturnCSV.number(measure.numerator))
            #expect(payload.dataValues.contains { $0.dataElement == "PIONEER_STILL_AT_HOME_91_DAYS" && $0.period == "2026Q1" })

            let adxFile = folder.appendingPathComponent("torbay.adx.xml").path
            let adx = try await Self.pioneer(["return", Self.torbay, "--period", "FY2025-26 Q4", "--store-dir", stores,
                                              "--format", "adx", "--output", adxFile])
            #expect(adx.status == 0, "\(adx.errors)")
            #expect(try await ReturnSchemaValidation.adxProblems(files: [adxFile]) == "")
            let adxText = try String(contentsOfFile: adxFile, encoding: .utf8)
            #expect(adxText.contains("<group orgUnit=\"torbay\" period=\"2026-03-01/P1M\" dataSet=\"PIONEER_RETURN\" complete=\"true\">"))
            #expect(adxText.contains("<group orgUnit=\"torbay\" period=\"2026-01-01/P3M\" dataSet=\"PIONEER_RETURN\" complete=\"true\">"))
            #expect(adxText.contains("<dataValue dataElement=\"emergency-admissions-65\" PART=\"NUMERATOR\" definitionVersion=\"\(read.indicators[0].definitionVersion)\" value=\"\(ReturnCSV.number(measure.numerator))\"/>"), "\(adxText.prefix(600))")

            // The demo simulates April 2023 on, so 2023Q1 has nothing.
            let earlier = folder.appendingPathComponent("torbay-2023Q1.json").path
            try "the office's earlier copy".write(toFile: earlier, atomically: true, encoding: .utf8)
            let refused = try await Self.pioneer(["return", Self.torbay, "--period", "2023Q1", "--store-dir", stores, "--output", earlier])
            #expect(refused.status == 1)
            #expect(refused.errors.hasPrefix("error: the return of torbay for 2023Q1 is incomplete: "), "\(refused.errors)")
            #expect(refused.errors.contains("\n  emergency-admissions-65 2023-01: nothing collected\n"), "\(refused.errors)")
            #expect(refused.errors.contains("\n  still-at-home-91-days FY2022-23 Q4: nothing collected\n"), "\(refused.errors)")
            #expect(refused.errors.contains("pass --allow-incomplete"))
            #expect(try String(contentsOfFile: earlier, encoding: .utf8) == "the office's earlier copy")

            let allowed = try await Self.pioneer(["return", Self.torbay, "--period", "2023Q1", "--store-dir", stores,
                                                  "--output", earlier, "--allow-incomplete"])
            #expect(allowed.status == 0, "\(allowed.errors)")
            try await ReturnSchemaValidation.expectValid([earlier])
            let incomplete = try ReturnReader.read(file: earlier)
            #expect(!incomplete.complete)
            #expect(incomplete.missing.contains(MissingMeasure(indicator: "emergency-admissions-65", period: "2023-02", reason: "nothing collected")))
            #expect(try ReturnCoding.verify(incomplete) == .valid)

            let emptyADX = try await Self.pioneer(["return", Self.torbay, "--period", "2023Q1", "--store-dir", stores,
                                                   "--allow-incomplete", "--format", "adx"])
            #expect(emptyADX.status == 1)
            #expect(emptyADX.errors == "error: cannot write the return as adx: the return of torbay for 2023Q1 has no values, and an ADX document needs at least one; every required measure is missing (see --format json)\n", "\(emptyADX.errors)")

            let incompleteCSV = try await Self.pioneer(["return", Self.torbay, "--period", "2023Q1", "--store-dir", stores,
                                              "--allow-incomplete", "--format", "csv"])
            #expect(incompleteCSV.status == 0, "\(incompleteCSV.errors)")
            let incompleteRows = incompleteCSV.output.split(separator: "\r\n")
            #expect(incompleteRows.first?.hasPrefix("site,reporting_period,complete,indicator,") == true)
            #expect(incompleteRows.count == incomplete.missing.count + 1, "one row per missing indicator-period")
            #expect(incompleteRows.dropFirst().allSatisfy { $0.hasPrefix("torbay,2023Q1,false,") && $0.contains(",missing,") })
        }
    }

    /// A store with nothing collected, in `folder`/stores/torbay.sqlite: enough for an incomplete return.
    static func emptyStores(in folder: URL) throws -> String {
        let stores = folder.appendingPathComponent("stores")
        _ = try MeasureStore(path: stores.appendingPathComponent("torbay.sqlite").path)
        return stores.path
    }

    @Test func anUnwritableOutputIsNamedAndLeavesNothing() async throws {
        try await withTemporaryFolder(prefix: "pioneer-return-e2e") { folder in
            let stores = try Self.emptyStores(in: folder)
            let notAFolder = folder.appendingPathComponent("plain-file")
            try "x".write(to: notAFolder, atomically: true, encoding: .utf8)
            let target = notAFolder.path + "/torbay.json"
            let run = try await Self.pioneer(["return", Self.torbay, "--period", "2026-03", "--store-dir", stores, "--allow-incomplete", "--output", target])
            #expect(run.status == 1)
            #expect(run.errors == "error: cannot write the return to \(target): \(notAFolder.path) is a file, not a folder\n", "\(run.errors)")
            let absent = folder.appendingPathComponent("no-such-folder/torbay.json").path
            let missing = try await Self.pioneer(["return", Self.torbay, "--period", "2026-03", "--store-dir", stores, "--allow-incomplete", "--output", absent])
            #expect(missing.status == 1)
            #expect(missing.errors == "error: cannot write the return to \(absent): the folder \(folder.path)/no-such-folder does not exist\n", "\(missing.errors)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["plain-file", "stores"])
        }
    }

    @Test func aKilledRunLeavesTheEarlierFileOrAWholeReturnNeverHalfOne() async throws {
        let executable = try #require(PioneerBinary.url())
        try await withTemporaryFolder(prefix: "pioneer-return-e2e") { folder in
            let stores = try Self.emptyStores(in: folder)
            let output = folder.appendingPathComponent("torbay.json").path
            try "the earlier copy".write(toFile: output, atomically: true, encoding: .utf8)
            var whole = 0
            // Killed at 20 moments from start-up to the end of the write.
            for step in 0..<20 {
                let process = Process()
                process.executableURL = executable
                process.arguments = ["return", Self.torbay, "--period", "2026-03", "--store-dir", stores,
                                     "--allow-incomplete", "--output", output]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                let child = try StartedProcess.start(process)
                try await Task.sleep(for: .milliseconds(step * 15))
                child.signal(SIGKILL)
                _ = await child.exit(within: 60)
                let text = try String(contentsOfFile: output, encoding: .utf8)
                if text != "the earlier copy" {
                    let read = try ReturnReader.read(file: output)
                    #expect(try ReturnCoding.verify(read) == .valid, "after a kill at \(step * 15) ms")
                    whole += 1
                }
            }
            // The next run finishes, and clears what killed runs left behind.
            let run = try await Self.pioneer(["return", Self.torbay, "--period", "2026-03", "--store-dir", stores,
                                              "--allow-incomplete", "--output", output])
            #expect(run.status == 0, "\(run.errors)")
            #expect(try ReturnCoding.verify(try ReturnReader.read(file: output)) == .valid)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["stores", "torbay.json"])
            #expect(whole < 20, "every run finished before it was killed: the kills tested nothing")
        }
    }

    @Test func badPeriodsAreUsageErrorsThatSayWhatAReturnIsFor() async throws {
        let month = try await Self.pioneer(["return", Self.torbay, "--period", "2026-13"])
        #expect(month.status == 2)
        #expect(month.errors.contains("`2026-13` is not a period: a month is 01 to 12"), "\(month.errors)")
        let week = try await Self.pioneer(["return", Self.torbay, "--period", "2026-W05"])
        #expect(week.status == 2)
        #expect(week.errors.contains("--period: a return is for a month (`2026-03`), a quarter (`2026Q1`, `FY2025-26 Q4`) or a financial year (`FY2025-26`), not an ISO week (`2026-W05`)"), "\(week.errors)")
        let date = try await Self.pioneer(["return", Self.torbay, "--period", "2026-03-31"])
        #expect(date.status == 2)
        #expect(date.errors.contains("that is a date"), "\(date.errors)")
        let format = try await Self.pioneer(["return", Self.torbay, "--period", "2026-03", "--format", "xml"])
        #expect(format.status == 2)
    }

    @Test func aPeriodNotOverOrAMissingStoreIsRefused() async throws {
        try await withTemporaryFolder(prefix: "pioneer-return-e2e") { folder in
            let stores = try Self.emptyStores(in: folder)
            let run = try await Self.pioneer(["return", Self.torbay, "--period", "2099-01", "--store-dir", stores])
            #expect(run.status == 1)
            #expect(run.errors.hasPrefix("error: 2099-01 has not ended yet (it ends 2099-01-31, today is "), "\(run.errors)")
            let elsewhere = folder.appendingPathComponent("elsewhere").path
            let noStore = try await Self.pioneer(["return", Self.torbay, "--period", "2026-03", "--store-dir", elsewhere])
            #expect(noStore.status == 1)
            #expect(noStore.errors.hasPrefix("error: measure store \(elsewhere)/torbay.sqlite: no measures collected for site `torbay` in --store-dir \(elsewhere)"), "\(noStore.errors)")
        }
    }
}
