// The provenance column's hand-written JSON must be exactly what JSONEncoder wrote before
// it (stores already hold that), and must read back through the decoder unchanged.
import Foundation
import PioneerKit
@testable import PioneerStore
import Testing

@Suite struct ProvenanceCodingTests {
    static func provenance(plugin: String, url: String, collectedAt: Double, fetchedAt: Double, sources: Int = 1) -> Provenance {
        Provenance(plugin: plugin, sources: (0..<sources).map { index in
            FeedSource(feed: "bi-\(index)", url: url, fetchedAt: Date(timeIntervalSince1970: fetchedAt),
                       contentHash: "sha256:\(index)", status: 200 + index)
        }, collectedAt: Date(timeIntervalSince1970: collectedAt))
    }

    @Test(arguments: [
        ("json", "http://127.0.0.1:8080/api/admissions?month=2026-05&x=1", 1_780_000_001.5, 1_780_000_000.25, 1),
        ("care-home-deaths", "https://bi.example.nhs.uk/a/b", 0.0, 1.9996, 2),
        ("quote\"back\\slash", "http://h/p?q=\u{1}\u{8}\u{c}\n\r\t\u{1f}", 1_700_000_000.9999, -1.5, 1),
        ("ünïcødé ☃ \u{2028}", "http://h/é/日本", 951_782_400.123, 4_102_444_799.999, 3),
        ("none", "http://h", 1_780_000_000, 1_780_000_000, 0),
    ])
    func handWrittenJSONMatchesJSONEncoder(plugin: String, url: String, collectedAt: Double, fetchedAt: Double, sources: Int) throws {
        let value = Self.provenance(plugin: plugin, url: url, collectedAt: collectedAt, fetchedAt: fetchedAt, sources: sources)
        let reference = String(decoding: try ProvenanceCoding.referenceEncoder.encode(value), as: UTF8.self)
        #expect(ProvenanceCoding.json(value) == reference)
    }

    @Test func timestampsMatchISO8601FormatStyleAcrossManyDates() {
        var generator = SystemRandomNumberGenerator()
        var mismatches: [String] = []
        for step in 0..<20_000 {
            var seconds = Double.random(in: -2_000_000_000...4_000_000_000, using: &generator)
            if step % 3 == 0 { seconds = (seconds * 1000).rounded() / 1000 }
            if step % 7 == 0 { seconds = seconds.rounded() }
            let date = Date(timeIntervalSince1970: seconds)
            let expected = ProvenanceCoding.style.format(date)
            let written = ProvenanceCoding.timestamp(date)
            if written != expected, mismatches.count < 5 { mismatches.append("\(seconds): \(written) != \(expected)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        // Leap days and the ends of years and centuries.
        for text in ["2000-02-29T23:59:59.999Z", "1900-03-01T00:00:00.000Z", "2024-12-31T12:00:00.500Z", "1969-12-31T23:59:59.000Z"] {
            let date = try? ProvenanceCoding.style.parse(text)
            #expect(date.map(ProvenanceCoding.timestamp) == text)
        }
    }

    @Test func theDirectReaderReadsWhatJSONDecoderReadsAcrossManyDates() throws {
        var generator = SystemRandomNumberGenerator()
        var mismatches: [String] = []
        for step in 0..<5_000 {
            var seconds = Double.random(in: -2_000_000_000...4_000_000_000, using: &generator)
            // Near 2001-01-01, where Foundation's parser takes another path.
            if step % 5 == 0 { seconds = 978_307_200 + Double.random(in: -20_000_000...20_000_000, using: &generator) }
            let value = Self.provenance(plugin: "json", url: "http://h/p?month=2026-05", collectedAt: seconds,
                                        fetchedAt: seconds - 1.25, sources: step % 3)
            let text = ProvenanceCoding.json(value)
            let reference = try ProvenanceCoding.decoder.decode(Provenance.self, from: Data(text.utf8))
            let read = try ProvenanceCoding.decode(text)
            if read != reference, mismatches.count < 5 { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test(arguments: [
        // Escapes, another key order, a date without milliseconds: the decoder reads these.
        #"{"collected_at":"2026-07-03T09:14:07.512Z","plugin":"a\"b","sources":[]}"#,
        #"{"plugin":"json","collected_at":"2026-07-03T09:14:07.512Z","sources":[]}"#,
        #"{"collected_at":"2026-07-03T09:14:07Z","plugin":"json","sources":[{"content_hash":"sha256:0","feed":"bi","fetched_at":"2026-07-03T09:14:07Z","status":200,"url":"http:\/\/h"}]}"#,
    ])
    func otherwiseWrittenProvenanceReadsAsJSONDecoderReadsIt(text: String) throws {
        let reference = try ProvenanceCoding.decoder.decode(Provenance.self, from: Data(text.utf8))
        #expect(try ProvenanceCoding.decode(text) == reference)
    }

    @Test(arguments: ["", "{}", #"{"collected_at":"2026-13-03T09:14:07.512Z","plugin":"json","sources":[]}"#,
                      #"{"collected_at":"2026-07-03T09:14:07.512Z","plugin":"json","sources":[{"feed":"bi"}]}"#])
    func unreadableProvenanceIsAnError(text: String) {
        #expect(throws: (any Error).self) { try ProvenanceCoding.decode(text) }
    }

    @Test func writtenJSONReadsBackThroughTheDecoder() throws {
        let value = Self.provenance(plugin: "rate", url: "http://h/p?month=2026-05", collectedAt: 1_780_000_001.5,
                                    fetchedAt: 1_780_000_000.25, sources: 2)
        let decoded = try ProvenanceCoding.decoder.decode(Provenance.self, from: Data(ProvenanceCoding.json(value).utf8))
        #expect(decoded == value)
    }
}
