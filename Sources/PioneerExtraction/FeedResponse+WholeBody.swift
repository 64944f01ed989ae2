// The helpers that parse a body whole (`csv()`, `json()`, `jsonRecords(at:)`) hold it as text
// and as a table or tree, several times its size: they refuse a body over a limit, naming the
// URL and the way to read a large one, rather than let a 2 GB extract exhaust the memory.
public import PioneerKit
import Foundation

extension FeedResponse {
    /// The largest body that `csv()`, `json()` and `jsonRecords(at:)` read whole: 64 MB, as
    /// for a JSON path that needs the whole document (``JSONExtraction/wholeDocumentLimit``).
    public static let wholeBodyLimit = JSONExtraction.wholeDocumentLimit

    /// Throws when the body is larger than ``wholeBodyLimit``; `what` is how it would be read
    /// ("a CSV table"), `instead` what reads a large one.
    func requireReadableWhole(as what: String, instead: String) throws(PluginError) {
        guard let size = body.size, size > Self.wholeBodyLimit else { return }
        // Said for both readers of the message: the site team that configured a plugin which
        // reads bodies whole (the built-in `survey`, say) and can only ask for less, and the
        // author of a plugin, who can read it another way.
        throw PluginError("the body of \(url) is \(ByteSizeText.megabytes(size)), more than the \(ByteSizeText.megabytes(Self.wholeBodyLimit)) "
                          + "a plugin may read whole as \(what) (parsed, it takes several times its size); ask the system for a "
                          + "narrower extract (fewer columns, or one period: `{from}`/`{to}` in the feed's path), or \(instead)")
    }
}

extension FeedResponse {
    /// The first `count` bytes of the body (fewer when it is shorter), read from its file
    /// without reading the rest: enough to tell what kind of data it holds.
    func firstBytes(_ count: Int) throws -> [UInt8] {
        guard let url = body.fileURL else { return Array(try bytes().prefix(count)) }
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        return Array(try handle.read(upToCount: count) ?? Data())
    }
}
