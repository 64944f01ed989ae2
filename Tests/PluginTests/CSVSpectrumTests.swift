// The csv-spectrum acid test (Payloads/csv-spectrum, BSD-2-Clause): every CSV case
// parsed by CSVTable must equal its JSON rendering, field for field.
import Foundation
import PioneerKit
import PioneerExtraction
import Testing

@Suite("csv-spectrum")
struct CSVSpectrumTests {
    static let folder = "Payloads/csv-spectrum"

    /// The case names, from the files present, so an added case is run without a code change.
    static let cases: [String] = {
        guard let directory = Bundle.module.url(forResource: "csvs", withExtension: nil, subdirectory: folder),
              let files = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        return files.filter { $0.hasSuffix(".csv") }.map { String($0.dropLast(4)) }.sorted()
    }()

    @Test func allElevenCasesArePresent() {
        #expect(Self.cases == [
            "comma_in_quotes", "empty", "empty_crlf", "escaped_quotes", "json", "newlines", "newlines_crlf",
            "quotes_and_newlines", "simple", "simple_crlf", "utf8",
        ])
    }

    @Test func theCRLFCasesReallyHaveCRLFLineEnds() throws {
        for name in Self.cases where name.hasSuffix("_crlf") {
            let bytes = try Data(contentsOf: try Self.url(name, "csv"))
            #expect(bytes.contains(0x0D), "\(name).csv has lost its CR bytes; see \(Self.folder)/NOTICE.md")
        }
    }

    @Test(arguments: cases)
    func parsesLikeItsJSON(_ name: String) throws {
        let text = String(decoding: try Data(contentsOf: try Self.url(name, "csv")), as: UTF8.self)
        let table = try CSVTable(parsing: text, delimiter: .comma)
        let parsed = table.rows.map { row in Dictionary(uniqueKeysWithValues: zip(table.header, row)) }
        let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: try Self.url(name, "json")))
        let expected = try #require(json as? [[String: String]], "\(name).json is not a list of string objects")
        #expect(parsed == expected, "csv-spectrum case \(name)")
    }

    /// The streaming reader that CSVTable is built on, fed the file a few bytes at a time (so
    /// quotes, CRLF pairs and UTF-8 sequences are split across pieces), gives the same rows.
    @Test(arguments: cases)
    func streamedInPiecesParsesLikeItsJSON(_ name: String) throws {
        let bytes = try Data(contentsOf: try Self.url(name, "csv"))
        for pieceSize in [1, 2, 3, 7] {
            var reader = CSVRecordReader(delimiter: .comma)
            var rows: [[String]] = []
            let keep = { (record: CSVRecord) in rows.append((0..<record.count).map(record.field)) }
            for start in stride(from: 0, to: bytes.count, by: pieceSize) {
                try bytes[start..<min(start + pieceSize, bytes.count)].withUnsafeBytes { try reader.consume($0, onRecord: keep) }
            }
            try reader.finish(onRecord: keep)
            let header = try #require(reader.header)
            let parsed = rows.map { row in Dictionary(uniqueKeysWithValues: zip(header, row)) }
            let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: try Self.url(name, "json")))
            let expected = try #require(json as? [[String: String]], "\(name).json is not a list of string objects")
            #expect(parsed == expected, "csv-spectrum case \(name) in pieces of \(pieceSize) bytes")
        }
    }

    static func url(_ name: String, _ kind: String) throws -> URL {
        let subdirectory = "\(folder)/\(kind == "csv" ? "csvs" : "json")"
        guard let url = Bundle.module.url(forResource: name, withExtension: kind, subdirectory: subdirectory) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "\(subdirectory)/\(name).\(kind)"])
        }
        return url
    }
}
