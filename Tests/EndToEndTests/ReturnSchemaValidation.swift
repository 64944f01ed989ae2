// Checks return files with real validators: JSON against schemas/*.schema.json with Python's
// jsonschema (scripts/check-json-schema.py), ADX against schemas/adx/adx.xsd with xmllint.
import Foundation
import PioneerTesting
import Testing

enum ReturnSchemaValidation {
    /// The validator's complaints about the JSON `files`; empty when they are valid.
    static func problems(files: [String], schema: String = "return-v1.schema.json") async throws -> String {
        let root = PioneerBinary.packageRoot
        let run = try await ChildProcess.run("/usr/bin/env", ["python3", root.appendingPathComponent("scripts/check-json-schema.py").path,
                                                               root.appendingPathComponent("schemas/" + schema).path] + files, timeout: 300)
        let said = run.stdout + run.stderr
        if run.status != 0 && said.isEmpty { return "the validator exited \(run.status)" }
        return run.status == 0 ? "" : said
    }

    static func expectValid(_ files: [String], schema: String = "return-v1.schema.json",
                            sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let problems = try await problems(files: files, schema: schema)
        #expect(problems.isEmpty, "breaks schemas/\(schema):\n\(problems)", sourceLocation: sourceLocation)
    }

    /// xmllint's complaints about the ADX `files` against schemas/adx/adx.xsd; empty when they are valid.
    static func adxProblems(files: [String]) async throws -> String {
        let run = try await ChildProcess.run("/usr/bin/env", ["xmllint", "--noout", "--schema",
                                                               PioneerBinary.packageRoot.appendingPathComponent("schemas/adx/adx.xsd").path] + files, timeout: 300)
        let said = run.stdout + run.stderr
        return run.status == 0 ? "" : (said.isEmpty ? "xmllint exited \(run.status)" : said)
    }
}
