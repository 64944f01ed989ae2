// A submission as the store keeps it: every version, accepted or not, with its summary.

/// The encoding a return was submitted in.
public enum SubmissionFormat: String, Codable, Sendable, CaseIterable {
    case json
    case adx
}

/// A stored submission (every version, accepted or not), without its bytes.
public struct SubmissionRecord: Codable, Sendable, Hashable {
    /// The submission's id: a UUID.
    public var id: String
    public var site: String?
    public var period: String?
    public var version: Int?
    public var format: SubmissionFormat
    /// `sha256:<hex>` of the bytes as received.
    public var digest: String
    /// The size of the bytes as received.
    public var size: Int
    /// ISO 8601, UTC, by the server's clock.
    public var receivedAt: String
    public var status: ImportStatus
    public var late: Bool
    /// Whether this is the latest accepted version for its site and period: the one the aggregate uses.
    public var counts: Bool
    public var summary: ImportSummary

    public init(id: String, site: String?, period: String?, version: Int?, format: SubmissionFormat, digest: String,
                size: Int, receivedAt: String, status: ImportStatus, late: Bool, counts: Bool, summary: ImportSummary) {
        self.id = id
        self.site = site
        self.period = period
        self.version = version
        self.format = format
        self.digest = digest
        self.size = size
        self.receivedAt = receivedAt
        self.status = status
        self.late = late
        self.counts = counts
        self.summary = summary
    }
}
