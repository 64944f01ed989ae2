// Checks return files against schemas/return-v1.schema.json with a real JSON Schema validator
// (Python's jsonschema, through scripts/check-json-schema.py).
import Foundation
import Testing

enum ReturnSchemaValidation {
    /// The validator's complaints about the JSON `files`; empty when they are valid.
    static func problems(files: [String], schema: String = "return-v1.schema.json") throws -> String {
        let root = PioneerBinary.packageRoot
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", root.appendingPathComponent("scripts/check-json-schema.py").path,
                             root.appendingPathComponent("schemas/" + schema).path] + files
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus != 0 && text.isEmpty { return "the validator exited \(process.terminationStatus)" }
        return process.terminationStatus == 0 ? "" : text
    }

    static func expectValid(_ files: [String], schema: String = "return-v1.schema.json",
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let problems = try problems(files: files, schema: schema)
        #expect(problems.isEmpty, "breaks schemas/\(schema):\n\(problems)", sourceLocation: sourceLocation)
    }
}
