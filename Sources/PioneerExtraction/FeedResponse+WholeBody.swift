// The helpers that parse a body whole (`csv()`, `json()`, `jsonRecords(at:)`) hold it as text
// and as a table or tree, several times its size: they refuse a body over a limit, naming the
// URL and the way to read a large one, rather than let a 2 GB extract exhaust the memory.
public import PioneerKit

extension FeedResponse {
    /// The largest body that `csv()`, `json()` and `jsonRecords(at:)` read whole: 64 MB, as
    /// for a JSON path that needs the whole document (``JSONExtraction/wholeDocumentLimit``).
    public static let wholeBodyLimit = JSONExtraction.wholeDocumentLimit

    /// Throws when the body is larger than ``wholeBodyLimit``; `what` is how it would be read
    /// ("a CSV table"), `instead` what reads a large one.
    func requireReadableWhole(as what: String, instead: String) throws(PluginError) {
        guard let size = body.size, size > Self.wholeBodyLimit else { return }
        throw PluginError("the body of \(url) is \(Self.megabytes(size)), more than the \(Self.megabytes(Self.wholeBodyLimit)) "
                          + "a plugin may read whole as \(what) (parsed, it takes several times its size); \(instead)")
    }

    /// `710 MB`: whole megabytes (of 2^20 bytes), at least 1.
    static func megabytes(_ bytes: Int) -> String {
        "\(max(1, (bytes + (1 << 19)) >> 20)) MB"
    }
}
