// json() and csv() read a response body held in a file as they read one held in memory.
import Foundation
import PioneerExtraction
import PioneerKit
import PioneerTesting
import Testing

@Suite struct FileBodyExtractionTests {
    @Test func jsonAndCSVReadABodyHeldInAFile() throws {
        try withTemporaryFolder(prefix: "pioneer-file-bodies") { folder in
            let json = folder.appending(path: "a.json"), csv = folder.appending(path: "a.csv")
            try Data(#"{"data": [{"admissions": 731}, {"admissions": 524}]}"#.utf8).write(to: json)
            try Data("band,admissions\n65-74,731\n75+,524\n".utf8).write(to: csv)

            let document = try FeedResponse(key: "a", feed: "bi", url: "http://bi.test/a", body: .file(json)).json()
            let path = try JSONPath(parsing: "$.data[*].admissions")
            #expect(path.evaluate(document) == [.number(731), .number(524)])

            let table = try FeedResponse(key: "b", feed: "bi", url: "http://bi.test/b.csv", body: .file(csv)).csv()
            #expect(table.header == ["band", "admissions"])
            #expect(table.rows.map { $0[1] } == ["731", "524"])
        }
    }
}
