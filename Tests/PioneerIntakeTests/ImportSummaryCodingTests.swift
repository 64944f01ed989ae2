// The JSON the intake answers with and stores: the names the OpenAPI document and the
// sites' clients rely on, and the summary's own writer, which must be the bytes JSONEncoder writes.
import Foundation
@testable import PioneerIntake
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

    static func encoderText(_ summary: ImportSummary) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(summary), as: UTF8.self)
    }

    static let awkward = "a \"quoted\" \\ back/slash\n\t\r\u{01}\u{1F} é € 🚑 \u{2028}"

    static let summaries: [ImportSummary] = [
        ImportSummary(status: .accepted, submission: "0f1e", site: "torbay", period: "2026-03", version: 3, duplicate: false,
                      late: false, receivedAt: "2026-04-10T08:00:00.000Z", digest: "sha256:ab", problems: [],
                      values: [ValueOutcome(indicator: "admissions", period: "2026-03", status: "accepted"),
                               ValueOutcome(indicator: "plans", period: "2026-03", status: "warning", reason: "no value: suppressed")],
                      accepted: 1, rejected: 0, warnings: 1),
        ImportSummary(status: .rejected, submission: nil, site: nil, period: nil, version: nil, duplicate: true, late: true,
                      receivedAt: "2026-04-10T08:00:00.000Z", digest: "sha256:cd", problems: [awkward, "second"],
                      values: [], accepted: 0, rejected: 0, warnings: 0),
        ImportSummary(status: .acceptedWithWarnings, submission: awkward, site: awkward, period: awkward, version: 0,
                      duplicate: false, late: true, receivedAt: awkward, digest: awkward, problems: [""],
                      values: [ValueOutcome(indicator: awkward, period: awkward, status: awkward, reason: awkward)],
                      accepted: -1, rejected: Int.max, warnings: Int.min),
    ]

    @Test(arguments: summaries)
    func theSummarysOwnJSONIsWhatJSONEncoderWrites(_ summary: ImportSummary) throws {
        #expect(summary.jsonText == (try Self.encoderText(summary)))
        #expect(try JSONDecoder().decode(ImportSummary.self, from: Data(summary.jsonText.utf8)) == summary)
    }

    /// The store writes a summary without its version and answers with the version added to
    /// that text, rather than writing the values twice: the same text as the summary's own.
    @Test(arguments: summaries)
    func theStoredTextWithItsVersionAddedIsTheSummarysOwnText(_ summary: ImportSummary) {
        var stored = summary
        stored.version = nil
        var versioned = summary
        versioned.version = summary.version ?? 7
        #expect(ImportSummary.addingVersion(versioned.version ?? 0, to: stored.jsonText) == versioned.jsonText)
    }
}
