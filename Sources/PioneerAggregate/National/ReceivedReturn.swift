// A return as the programme office received it: the decoded return and where it came from.
public import PioneerReturns

/// A return read from a file, with the file's name for messages.
public struct ReceivedReturn: Sendable, Hashable {
    /// The file it was read from, as given.
    public var source: String
    public var content: SiteReturn

    public init(source: String, content: SiteReturn) {
        self.source = source
        self.content = content
    }
}

/// A return left out of the aggregate, and why. Never dropped in silence: every one is listed.
public struct RejectedReturn: Sendable, Hashable, Codable {
    public var source: String
    public var site: String
    public var period: String
    public var reason: String

    public init(source: String, site: String, period: String, reason: String) {
        self.source = source
        self.site = site
        self.period = period
        self.reason = reason
    }
}
