// Every ADX document a test makes is checked against schemas/adx/adx.xsd by xmllint
// (libxml2-utils, installed by scripts/install-system-packages.sh).
import Foundation
import PioneerTesting

enum ADXSchemaCheck {
    /// xmllint's complaints about `xml`; empty when it is valid.
    static func problems(_ xml: String) async throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pioneer-adx-\(UUID().uuidString).xml")
        try Data(xml.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await problems(files: [file.path])
    }

    static func problems(files: [String]) async throws -> String {
        let run = try await ChildProcess.run("/usr/bin/env", ["xmllint", "--noout", "--schema",
                             ReturnSchemaCheck.packageRoot.appendingPathComponent("schemas/adx/adx.xsd").path] + files, timeout: 300)
        let text = run.stdout + run.stderr
        return run.status == 0 ? "" : (text.isEmpty ? "xmllint exited \(run.status)" : text)
    }
}
