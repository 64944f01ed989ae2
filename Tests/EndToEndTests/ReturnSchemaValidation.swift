// Checks return files with real validators: JSON against schemas/*.schema.json with Python's
// jsonschema (scripts/check-json-schema.py), ADX against schemas/adx/adx.xsd with xmllint.
import Foundation
import PioneerTesting
import Testing

enum ReturnSchemaValidation {
    /// The validator's complaints about the JSON `files`; empty when they are valid.
    static func problems(files: [String], schema: String = "return-v1.schema.json") throws -> String {
        let root = PioneerBinary.packageRoot
        let run = try ChildProcess.runBlocking("/usr/bin/env", ["python3", root.appendingPathComponent("scripts/check-json-schema.py").path,
                                                               root.appendingPathComponent("schemas/" + schema).path] + files)
        if run.status != 0 && run.stdout.isEmpty { return "the validator exited \(run.status)" }
        return run.status == 0 ? "" : run.stdout
    }

    static func expectValid(_ files: [String], schema: String = "return-v1.schema.json",
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let problems = try problems(files: files, schema: schema)
        #expect(problems.isEmpty, "breaks schemas/\(schema):\n\(problems)", sourceLocation: sourceLocation)
    }

    /// xmllint's complaints about the ADX `files` against schemas/adx/adx.xsd; empty when they are valid.
    static func adxProblems(files: [String]) throws -> String {
        let run = try ChildProcess.runBlocking("/usr/bin/env", ["xmllint", "--noout", "--schema",
                                                               PioneerBinary.packageRoot.appendingPathComponent("schemas/adx/adx.xsd").path] + files)
        return run.status == 0 ? "" : (run.stdout.isEmpty ? "xmllint exited \(run.status)" : run.stdout)
    }
}
