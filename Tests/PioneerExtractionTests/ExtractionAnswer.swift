// An extraction's answer or error as one line of text, so that two ways of reading the same
// body (in order, and in two halves) can be compared whole: value, count, detail and message.
import Foundation
import PioneerExtraction
import PioneerKit

/// `run`'s value, count and detail, `error: …` for what it threw, or `not split` for nil.
func answerText(_ run: () throws -> ExtractedValue?) -> String {
    do {
        guard let value = try run() else { return "not split" }
        return "\(value.value.map { "\($0)" } ?? "no data") (\(value.count)): \(value.detail)"
    } catch {
        return "error: \(error)"
    }
}

/// Calls `body` with `text` as a response held in memory and as one whose body is a file
/// (named `*.extension`, removed afterwards), the two ways a body reaches an extraction.
func inMemoryAndInFile<T>(_ text: String, extension: String,
                          _ body: (_ memory: FeedResponse, _ file: FeedResponse) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory.appending(path: "pioneer-halves-\(UUID().uuidString).\(`extension`)")
    try Data(text.utf8).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    let address = "http://127.0.0.1/x.\(`extension`)"
    return try body(FeedResponse(key: "k", feed: "f", url: address, body: Data(text.utf8)),
                    FeedResponse(key: "k", feed: "f", url: address, body: .file(url)))
}
