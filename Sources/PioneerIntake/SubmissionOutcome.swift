// What a submission came to, in the terms the HTTP layer answers in.

/// The summary of a submission and the kind of answer it calls for.
public struct SubmissionOutcome: Sendable, Hashable {
    public let summary: ImportSummary
    /// Tells the HTTP layer the status code.
    public let kind: Kind
    /// `summary` as the API answers it (``ImportSummary/jsonText``), made once.
    public let summaryJSON: String

    public enum Kind: String, Sendable, Hashable {
        /// A new version was stored: 201.
        case created
        /// The same bytes as an earlier version for the site and period: 200, that version's summary.
        case duplicate
        /// Not JSON or XML, or not a return at all: 400.
        case malformed
        /// A site token sending another site's return: 403.
        case forbidden
        /// Read, but refused on content (schema version, digest mismatch, site or period not
        /// expected, values that break the rules): 422.
        case unprocessable
    }

    public init(summary: ImportSummary, kind: Kind) {
        self.init(summary: summary, kind: kind, summaryJSON: summary.jsonText)
    }

    /// With `summaryJSON` already made from `summary` (by the store, which writes it).
    init(summary: ImportSummary, kind: Kind, summaryJSON: String) {
        self.summary = summary
        self.kind = kind
        self.summaryJSON = summaryJSON
    }
}
