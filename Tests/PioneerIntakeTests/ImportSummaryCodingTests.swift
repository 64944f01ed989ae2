// The JSON the intake answers with and stores: the names the OpenAPI document and the
// sites' clients rely on.
import Foundation
import PioneerIntake
import Testing

@Suite("Import summary JSON")
struct ImportSummaryCodingTests {
    @Test func theStatusIsWrittenWithTheHyphenatedNamesTheAPIDocuments() throws {
        let summary = ImportSummary(
            status: .acceptedWithWarnings, submission: "a1", site: "torbay", period: "2026-03", version: 2,
            duplicate: false, late: true, receivedAt: "2026-04-20T09:00:00Z", digest: "sha256:ab", problems: ["late"],
            values: [ValueOutcome(indicator: "admissions", period: "2026-03", status: "warning", reason: "estimated")],
            accepted: 0, rejected: 0, warnings: 1)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(summary), as: UTF8.self)
        #expect(text.contains(#""status":"accepted-with-warnings""#))
        #expect(text.contains(#""receivedAt":"2026-04-20T09:00:00Z""#))
        #expect(try JSONDecoder().decode(ImportSummary.self, from: Data(text.utf8)) == summary)
    }
}
