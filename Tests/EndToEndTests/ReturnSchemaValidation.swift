// Checks return files with real validators: JSON against schemas/*.schema.json with Python's
// jsonschema (scripts/check-json-schema.py), ADX against schemas/adx/adx.xsd with xmllint.
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

    /// xmllint's complaints about the ADX `files` against schemas/adx/adx.xsd; empty when they are valid.
    static func adxProblems(files: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xmllint", "--noout", "--schema",
                             PioneerBinary.packageRoot.appendingPathComponent("schemas/adx/adx.xsd").path] + files
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 ? "" : (text.isEmpty ? "xmllint exited \(process.terminationStatus)" : text)
    }
}
