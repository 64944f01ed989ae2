// The helpers that parse a body whole refuse one over 64 MB, naming the URL and the way to
// read it; `csvRecords` reads any size a record at a time, with the same messages as `csv()`.
import Foundation
import PioneerExtraction
import PioneerKit
import PioneerTesting
import Testing

@Suite struct WholeBodyTests {
    /// A file body of `size` bytes that takes no disk space (a sparse file).
    private static func sparse(_ size: Int, in folder: URL) throws -> FeedResponse {
        let file = folder.appending(path: "extract")
        FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: UInt64(size))
        try handle.close()
        return FeedResponse(key: "export", feed: "bi", url: "http://bi.test/extract", body: .file(file))
    }

    @Test func csvAndJSONRefuseABodyTooLargeToHoldWholeSayingWhatReadsIt() throws {
        try withTemporaryFolder(prefix: "pioneer-whole-body") { folder in
            let response = try Self.sparse(FeedResponse.wholeBodyLimit + (6 << 20), in: folder)
            #expect(throws: PluginError("the body of http://bi.test/extract is 70 MB, more than the 64 MB a plugin may read whole as a CSV table (`csv()`) (parsed, it takes several times its size); ask the system for a narrower extract (fewer columns, or one period: `{from}`/`{to}` in the feed's path), or in a plugin of your own, read it a row at a time with `csvRecords`, as the built-in `csv` plugin does")) {
                _ = try response.csv()
            }
            let jsonMessage = "the body of http://bi.test/extract is 70 MB, more than the 64 MB a plugin may read whole as a JSON tree (`json()`, `jsonRecords(at:)`) (parsed, it takes several times its size); ask the system for a narrower extract (fewer columns, or one period: `{from}`/`{to}` in the feed's path), or in a plugin of your own, read it a record at a time with `jsonRecords(at:) { record in … }`; the built-in `json` plugin reads a path that descends to an array an element at a time"
            #expect(throws: PluginError(jsonMessage)) { _ = try response.json() }
            #expect(throws: PluginError(jsonMessage)) { _ = try response.jsonRecords(at: try JSONPath(parsing: "$.data[*]")) }
        }
    }

    @Test func aBodyAtTheLimitIsStillReadWhole() throws {
        try withTemporaryFolder(prefix: "pioneer-whole-body") { folder in
            var text = "id,admissions\n"
            text += String(repeating: "1,2\n", count: 10)
            let file = folder.appending(path: "small.csv")
            try Data(text.utf8).write(to: file)
            let table = try FeedResponse(key: "export", feed: "bi", url: "http://bi.test/small.csv", body: .file(file)).csv()
            #expect(table.rows.count == 10)
        }
    }

    @Test func csvRecordsReadAFileBodyAPieceAtATimeAsCSVReadsItWhole() throws {
        try withTemporaryFolder(prefix: "pioneer-csv-records") { folder in
            // About 3 MB: several of the 1 MB pieces, with records cut at their edges.
            var text = "id;band;admissions\n"
            for index in 0..<120_000 { text += "\(index);\(index % 4 == 0 ? "85+" : "\"65-74\"");\(index % 10)\n" }
            let file = folder.appending(path: "extract.csv")
            try Data(text.utf8).write(to: file)
            let inFile = FeedResponse(key: "export", feed: "bi", url: "http://bi.test/extract.csv", body: .file(file))
            var rows = 0, aged85 = 0, total = 0
            let header = try inFile.csvRecords { record in
                rows += 1
                if record.field(1) == "85+" { aged85 += 1 }
                total += Int(record.field(2)) ?? 0
            }
            #expect(header == ["id", "band", "admissions"])
            let table = try FeedResponse(key: "export", feed: "bi", url: "http://bi.test/extract.csv", body: Data(text.utf8)).csv()
            #expect(rows == table.rows.count)
            #expect(aged85 == table.rows.filter { $0[1] == "85+" }.count)
            #expect(total == table.rows.reduce(0) { $0 + (Int($1[2]) ?? 0) })
        }
    }

    @Test func csvRecordsNameTheURLAndTheRowOfABadRecordDeepInside() throws {
        try withTemporaryFolder(prefix: "pioneer-csv-records") { folder in
            var text = "id,admissions\n"
            for index in 0..<200_000 { text += "\(index),\(index % 10)\n" }
            text += "200000,3,extra\n"
            let file = folder.appending(path: "extract.csv")
            try Data(text.utf8).write(to: file)
            let response = FeedResponse(key: "export", feed: "bi", url: "http://bi.test/extract.csv", body: .file(file))
            var seen = 0
            #expect(throws: PluginError("the CSV from http://bi.test/extract.csv could not be read: row 200002: has 3 fields but the header has 2 columns (separator `,`)")) {
                try response.csvRecords { _ in seen += 1 }
            }
            #expect(seen == 200_000)
        }
    }

    @Test func csvRecordsPassOnWhatTheirConsumerThrows() {
        let response = FeedResponse(key: "export", feed: "bi", url: "http://bi.test/a.csv", body: Data("id\n1\n2\n".utf8))
        #expect(throws: PluginError("row 2 has no date")) {
            try response.csvRecords { record throws(PluginError) in throw PluginError("row \(record.row) has no date") }
        }
    }
}
