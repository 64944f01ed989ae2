// Every return a test makes is checked against schemas/return-v1.schema.json by a real JSON
// Schema validator (Python's jsonschema, run by scripts/check-json-schema.py), not by hand.
import Foundation
import PioneerTesting
import PioneerReturns
import Testing

enum ReturnSchemaCheck {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The validator's complaints about the JSON `files`; empty when they are valid.
    static func problems(files: [String], schema: String = "return-v1.schema.json") async throws -> String {
        let run = try await ChildProcess.run("/usr/bin/env", ["python3", packageRoot.appendingPathComponent("scripts/check-json-schema.py").path,
                             packageRoot.appendingPathComponent("schemas/" + schema).path] + files, timeout: 300)
        let said = run.stdout + run.stderr
        if run.status != 0 && said.isEmpty { return "the validator exited \(run.status)" }
        return run.status == 0 ? "" : said
    }

    /// Writes `siteReturn` as JSON and records an issue for each way it breaks the schema.
    static func expectValid(_ siteReturn: SiteReturn, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pioneer-return-\(UUID().uuidString).json")
        try ReturnCoding.pretty(siteReturn).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let problems = try await problems(files: [file.path])
        #expect(problems.isEmpty, "the return breaks schemas/return-v1.schema.json:\n\(problems)", sourceLocation: sourceLocation)
    }
}
