// `jsonRecords(at:) { record in … }` hands over the records a path selects one at a time as the
// body streams past, the same records the whole-document reader lists, with the same messages.
import Foundation
@testable import PioneerExtraction
import PioneerKit
import PioneerTesting
import Testing

@Suite struct JSONRecordStreamTests {
    /// About 3 MB of responses in a file: several of the 1 MB pieces the stream reads, with
    /// records cut at their edges.
    static func export(in folder: URL, rows: Int = 30_000, after: String = "") throws -> FeedResponse {
        var text = "{\"survey\": \"tell-once\", \"responses\": [\n"
        for index in 0..<rows {
            if index > 0 { text += ",\n" }
            text += "{\"id\": \(index), \"ward\": \"\(index % 3 == 0 ? "A" : "B")\", \"q1\": \"\(index % 4 == 0 ? "Agree" : "Disagree")\", \"note\": \"\(String(repeating: "n", count: 60))\"}"
        }
        text += "\n]\(after)}\n"
        let file = folder.appending(path: "export.json")
        try Data(text.utf8).write(to: file)
        return FeedResponse(key: "responses", feed: "survey", url: "http://survey.test/export.json", body: .file(file))
    }

    static func streamed(_ response: FeedResponse, _ path: String, explainWithin: Int = FeedResponse.explainedWholeLimit) throws -> [JSONRecord] {
        var records: [JSONRecord] = []
        try response.jsonRecords(at: try JSONPath(parsing: path), explainWithin: explainWithin) { (record) throws(PluginError) in
            records.append(record)
        }
        return records
    }

    @Test func streamedRecordsAreTheRecordsTheWholeReaderLists() throws {
        try withTemporaryFolder(prefix: "pioneer-json-records") { folder in
            let response = try Self.export(in: folder)
            for path in ["$.responses[*]", "$.responses", "$.responses[?@.ward == 'A']", "$['responses'][?@.id < 10]"] {
                let streamed = try Self.streamed(response, path)
                let whole = try response.jsonRecords(at: try JSONPath(parsing: path))
                #expect(streamed == whole, "\(path)")
                #expect(!streamed.isEmpty, "\(path)")
            }
            #expect(try Self.streamed(response, "$.responses").count == 30_000)
            #expect(try Self.streamed(response, "$.responses[*]")[29_999].path == "$['responses'][29999]")
        }
    }

    @Test func aPathToOneObjectGivesThatObjectAsTheOneRecord() throws {
        let response = FeedResponse(key: "r", feed: "survey", url: "http://survey.test/one.json",
                                    body: Data(#"{"summary": {"agree": 3, "n": 9}, "responses": []}"#.utf8))
        let records = try Self.streamed(response, "$.summary")
        #expect(records.count == 1)
        #expect(records.first?.path == "$['summary']")
        #expect(try records.first?.integer("n") == 9)
        #expect(try Self.streamed(response, "$.responses").isEmpty)
        // A body over the whole limit is read a record at a time: one object is too large a record.
        #expect(throws: PluginError("`$.summary` selects one object in http://survey.test/one.json, read as a single record, and the body is 50 bytes; a body over 10 bytes is read a record at a time, from an array of records")) {
            try response.jsonRecords(at: try JSONPath(parsing: "$.summary"), explainWithin: 0, wholeLimit: 10) { (_) throws(PluginError) in }
        }
    }

    /// `"responses": "n/a"` has no records: a body too large to read again whole said nothing
    /// and gave no records; it now says what the whole reader says, whatever the body's size.
    @Test func aScalarWhereTheRecordsShouldBeIsSaidAsTheWholeReaderSaysIt() throws {
        let response = FeedResponse(key: "r", feed: "survey", url: "http://survey.test/na.json",
                                    body: Data(#"{"survey": "tell-once", "responses": "n/a"}"#.utf8))
        for path in ["$.responses", "$.responses[*]", "$.responses[?@.ward == 'A']"] {
            var whole: PluginError?
            do { _ = try response.jsonRecords(at: try JSONPath(parsing: path)) } catch { whole = error as? PluginError }
            let expected = try #require(whole, "\(path): the whole reader refuses it")
            // Read again whole to explain (a small body), and not (as a large one is).
            for explainWithin in [FeedResponse.explainedWholeLimit, 0] {
                #expect(throws: expected, "\(path), explained within \(explainWithin) bytes") {
                    _ = try Self.streamed(response, path, explainWithin: explainWithin)
                }
            }
        }
        #expect(throws: PluginError("record `$['responses']` selected by `$.responses` in http://survey.test/na.json is a string `n/a`, expected an object")) {
            _ = try Self.streamed(response, "$.responses", explainWithin: 0)
        }
        #expect(throws: PluginError("`$.responses[*]` selects nothing in http://survey.test/na.json: `$['responses']` is a string `n/a`, not an array or object of records")) {
            _ = try Self.streamed(response, "$.responses[*]", explainWithin: 0)
        }
    }

    /// A path that needs the whole document (`..`, a slice) is read whole up to the whole-body
    /// limit; over it, the message says so and what to write instead.
    @Test func aPathThatNeedsTheWholeDocumentIsRefusedOverTheWholeBodyLimit() throws {
        let response = FeedResponse(key: "r", feed: "survey", url: "http://survey.test/deep.json",
                                    body: Data(#"{"responses": [{"id": 1}, {"id": 2}]}"#.utf8))
        var whole: [JSONRecord] = []
        try response.jsonRecords(at: try JSONPath(parsing: "$..responses[*]"), explainWithin: 0, wholeLimit: 1_000) { (record) throws(PluginError) in
            whole.append(record)
        }
        #expect(whole.count == 2)
        #expect(throws: PluginError("`$..responses[*]` needs the whole document in memory, and the body of http://survey.test/deep.json is 37 bytes, over the 10 bytes allowed for that; write a path that descends to an array and filters its elements (`$.data[?@.band == '65+'].admissions`), which runs over a body of any size")) {
            try response.jsonRecords(at: try JSONPath(parsing: "$..responses[*]"), explainWithin: 0, wholeLimit: 10) { (_) throws(PluginError) in }
        }
    }

    @Test func aPathThatReachesNothingSaysWhereItStopped() throws {
        try withTemporaryFolder(prefix: "pioneer-json-records") { folder in
            let response = try Self.export(in: folder, rows: 50)
            // A body small enough is read again to say exactly why, as the whole reader does.
            #expect(throws: PluginError("`$.respones[*]` selects nothing in http://survey.test/export.json: `$` has no member `respones` (did you mean `responses`?); its members are `responses`, `survey`")) {
                _ = try Self.streamed(response, "$.respones[*]")
            }
            // A larger one says where the path stopped, without reading it whole.
            #expect(throws: PluginError("`$.respones[*]` selects nothing in http://survey.test/export.json: the document has nothing at the place the path names before its `[*]` or filter")) {
                _ = try Self.streamed(response, "$.respones[*]", explainWithin: 0)
            }
            #expect(throws: PluginError("`$.respones` selects nothing in http://survey.test/export.json: the document has nothing at the place the path names")) {
                _ = try Self.streamed(response, "$.respones", explainWithin: 0)
            }
            // A filter that no response passes is no records, not an error.
            #expect(try Self.streamed(response, "$.responses[?@.ward == 'Z']", explainWithin: 0).isEmpty)
        }
    }

    @Test func badJSONDeepInsideIsReportedAtItsLineAndColumn() throws {
        try withTemporaryFolder(prefix: "pioneer-json-records") { folder in
            var text = "{\"responses\": [\n"
            for index in 0..<40_000 { text += "{\"id\": \(index), \"q1\": \"Agree\"},\n" }
            text += "{\"id\": 40000, \"q1\": Agree}]}\n"
            let file = folder.appending(path: "bad.json")
            try Data(text.utf8).write(to: file)
            let response = FeedResponse(key: "r", feed: "survey", url: "http://survey.test/bad.json", body: .file(file))
            var seen = 0
            let path = try JSONPath(parsing: "$.responses[*]")
            do throws(PluginError) {
                try response.jsonRecords(at: path) { (_) throws(PluginError) in seen += 1 }
                Issue.record("bad JSON was read")
            } catch {
                #expect(error.message.contains("http://survey.test/bad.json"), "\(error.message)")
                #expect(error.message.contains("line 40002, column 21"), "\(error.message)")
            }
            #expect(seen == 40_000)
        }
    }

    @Test func aSelectedValueThatIsNotAnObjectIsNamedByItsPlace() throws {
        let response = FeedResponse(key: "r", feed: "survey", url: "http://survey.test/mixed.json",
                                    body: Data(#"{"responses": [{"q1": "Agree"}, {"q1": "Agree"}, "Agree"]}"#.utf8))
        var seen = 0
        #expect(throws: PluginError("record `$['responses'][2]` selected by `$.responses[*]` in http://survey.test/mixed.json is a string `Agree`, expected an object")) {
            try response.jsonRecords(at: try JSONPath(parsing: "$.responses[*]")) { (_) throws(PluginError) in seen += 1 }
        }
        #expect(seen == 2)
    }

    @Test func whatTheConsumerThrowsIsPassedOnAsItIs() throws {
        try withTemporaryFolder(prefix: "pioneer-json-records") { folder in
            let response = try Self.export(in: folder, rows: 100)
            #expect(throws: PluginError("record `$['responses'][7]` from http://survey.test/export.json is wrong")) {
                try response.jsonRecords(at: try JSONPath(parsing: "$.responses[*]")) { (record) throws(PluginError) in
                    if try record.integer("id") == 7 { throw PluginError("\(record) is wrong") }
                }
            }
        }
    }
}
