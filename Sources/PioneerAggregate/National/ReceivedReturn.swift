// A return as the programme office received it: the decoded return and where it came from.
public import PioneerKit
public import PioneerReturns

/// A return read from a file, with the file's name for messages.
public struct ReceivedReturn: Sendable, Hashable {
    /// The file it was read from, as given.
    public var source: String
    public var content: SiteReturn
    /// The form it came in; an ADX return's integrity is checked from the ADX itself.
    public var format: ReceivedFormat
    /// The day the office received it (UTC), when a service recorded it by its own clock:
    /// deadlines are then judged on it rather than on the return's own `generatedAt`,
    /// which the site's machine wrote.
    public var receivedOn: CalendarDate?
    /// A JSON return's digest, already checked against the bytes it was read from
    /// (`ReturnCoding.verify(_:encoded:)`); nil: the aggregate checks it from the content.
    public var digestCheck: DigestCheck?

    public init(source: String, content: SiteReturn, format: ReceivedFormat = .json, receivedOn: CalendarDate? = nil,
                digestCheck: DigestCheck? = nil) {
        self.source = source
        self.content = content
        self.format = format
        self.receivedOn = receivedOn
        self.digestCheck = digestCheck
    }
}

/// The form a return was received in.
public enum ReceivedFormat: Sendable, Hashable {
    /// Pioneer JSON: the digest in the return is checked against its content.
    case json
    /// ADX, made into a return with definitions from the JSON returns: `contentDigest` is the
    /// check of the document's own digest, `unresolved` the indicators no JSON return defines.
    case adx(contentDigest: DigestCheck, unresolved: [UnresolvedDefinition])
}

/// A return left out of the aggregate, and why. Never dropped in silence: every one is listed.
public struct RejectedReturn: Sendable, Hashable, Codable {
    public var source: String
    public var site: String
    public var period: String
    public var reason: String
    /// True when another return from the same site, made later or the same return again, is
    /// counted in its place: the site is in the totals and nothing needs doing.
    public var superseded: Bool

    public init(source: String, site: String, period: String, reason: String, superseded: Bool = false) {
        self.source = source
        self.site = site
        self.period = period
        self.reason = reason
        self.superseded = superseded
    }
}
