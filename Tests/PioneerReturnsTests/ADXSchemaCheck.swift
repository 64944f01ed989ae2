// Every ADX document a test makes is checked against schemas/adx/adx.xsd by xmllint
// (libxml2-utils, installed by scripts/install-system-packages.sh).
import Foundation
import PioneerTesting

enum ADXSchemaCheck {
    /// xmllint's complaints about `xml`; empty when it is valid.
    static func problems(_ xml: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pioneer-adx-\(UUID().uuidString).xml")
        try Data(xml.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try problems(files: [file.path])
    }

    static func problems(files: [String]) throws -> String {
        let run = try ChildProcess.runBlocking("/usr/bin/env", ["xmllint", "--noout", "--schema",
                             ReturnSchemaCheck.packageRoot.appendingPathComponent("schemas/adx/adx.xsd").path] + files)
        let text = run.stdout
        return run.status == 0 ? "" : (text.isEmpty ? "xmllint exited \(run.status)" : text)
    }
}
