// A response body held in a file reads the same as one held in memory, and a file that
// cannot be read gives a message naming the URL and the file.
import Foundation
import PioneerKit
import PioneerTesting
import Testing

@Suite struct FeedResponseBodyTests {
    static let text = "\u{FEFF}month,admissions\n2026-06,731\n"

    @Test func aBodyInAFileReadsTheSameBytesAndTextAsOneInMemory() throws {
        try withTemporaryFolder(prefix: "pioneer-body") { folder in
            let file = folder.appending(path: "a.csv")
            try Data(Self.text.utf8).write(to: file)

            let inMemory = FeedResponse(key: "k", feed: "bi", url: "http://bi.test/a.csv", body: Data(Self.text.utf8))
            let inFile = FeedResponse(key: "k", feed: "bi", url: "http://bi.test/a.csv", body: .file(file))
            #expect(inFile.body.fileURL == file)
            #expect(inMemory.body.fileURL == nil)
            #expect(try inFile.bytes() == inMemory.bytes())
            #expect(try inFile.text() == "month,admissions\n2026-06,731\n")
            #expect(try inFile.text() == inMemory.text())
            let counted = try inFile.withContiguousBytes { $0.count }
            #expect(counted == Data(Self.text.utf8).count)
        }
    }

    @Test func aBodyWhoseFileIsGoneNamesTheURLAndTheFile() throws {
        let file = FileManager.default.temporaryDirectory.appending(path: "pioneer-missing-\(UUID().uuidString).json")
        let response = FeedResponse(key: "k", feed: "bi", url: "http://bi.test/admissions", body: .file(file))
        #expect {
            try response.text()
        } throws: { error in
            let message = (error as? PluginError)?.message ?? ""
            return message.hasPrefix("the body of http://bi.test/admissions: the file \(file.path) could not be read: ")
        }
    }
}
