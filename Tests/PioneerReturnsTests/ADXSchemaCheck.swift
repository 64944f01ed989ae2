// Every ADX document a test makes is checked against schemas/adx/adx.xsd by xmllint
// (libxml2-utils, installed by scripts/install-system-packages.sh).
import Foundation

enum ADXSchemaCheck {
    /// xmllint's complaints about `xml`; empty when it is valid.
    static func problems(_ xml: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pioneer-adx-\(UUID().uuidString).xml")
        try Data(xml.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try problems(files: [file.path])
    }

    static func problems(files: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xmllint", "--noout", "--schema",
                             ReturnSchemaCheck.packageRoot.appendingPathComponent("schemas/adx/adx.xsd").path] + files
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 ? "" : (text.isEmpty ? "xmllint exited \(process.terminationStatus)" : text)
    }
}
