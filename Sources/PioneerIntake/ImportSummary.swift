// The answer to a submission: the overall verdict, what became of every value, and what
// was stored. The same JSON goes back to the site and into the store beside the bytes.
import PioneerKit

/// The verdict on a whole submission. Never a partial success: one rejected value makes
/// the submission `rejected`.
public enum ImportStatus: String, Codable, Sendable, CaseIterable {
    case accepted
    case acceptedWithWarnings = "accepted-with-warnings"
    case rejected
}

/// One value of the return, and what the import made of it.
public struct ValueOutcome: Codable, Sendable, Hashable {
    /// The indicator's id.
    public var indicator: String
    /// The measure's period label (`2026-03`).
    public var period: String
    /// `accepted`, `warning` or `rejected`.
    public var status: String
    /// Why, in plain English, for a warning or a rejection.
    public var reason: String?

    public init(indicator: String, period: String, status: String, reason: String? = nil) {
        self.indicator = indicator
        self.period = period
        self.status = status
        self.reason = reason
    }
}

/// The answer to a submission: the overall status, every value's outcome, what was stored.
public struct ImportSummary: Codable, Sendable, Hashable {
    public var status: ImportStatus
    /// The stored submission's id (nil only when nothing could be stored).
    public var submission: String?
    /// The site the return is for (nil when the bytes could not be read and no site token sent them).
    public var site: String?
    /// The return's period label (nil when unreadable).
    public var period: String?
    /// The version number for (site, period), 1-based, without gaps; nil when unreadable.
    public var version: Int?
    /// The same bytes as an earlier version: that version is answered again.
    public var duplicate: Bool
    /// Received after the soft deadline, by the server's clock.
    public var late: Bool
    /// When the server received it: ISO 8601, UTC.
    public var receivedAt: String
    /// `sha256:<hex>` of the bytes as received.
    public var digest: String
    /// Return-level reasons: why it was rejected, or its warnings.
    public var problems: [String]
    public var values: [ValueOutcome]
    /// How many values were accepted, rejected, or accepted with a warning.
    public var accepted: Int
    public var rejected: Int
    public var warnings: Int

    public init(status: ImportStatus, submission: String?, site: String?, period: String?, version: Int?,
                duplicate: Bool, late: Bool, receivedAt: String, digest: String, problems: [String],
                values: [ValueOutcome], accepted: Int, rejected: Int, warnings: Int) {
        self.status = status
        self.submission = submission
        self.site = site
        self.period = period
        self.version = version
        self.duplicate = duplicate
        self.late = late
        self.receivedAt = receivedAt
        self.digest = digest
        self.problems = problems
        self.values = values
        self.accepted = accepted
        self.rejected = rejected
        self.warnings = warnings
    }
}

extension ImportSummary {
    /// The summary as JSON with sorted keys and `/` unescaped: the same bytes `JSONEncoder`
    /// writes with `[.sortedKeys, .withoutEscapingSlashes]` (a test holds the two together),
    /// written directly because every submission's answer is one, stored and sent, and a
    /// 150-value summary through JSONEncoder was a tenth of the service's time per submission.
    public var jsonText: String {
        var out = ""
        out.reserveCapacity(256 + values.count * 96)
        out += #"{"accepted":"#
        out += String(accepted)
        out += #","digest":"#
        JSONText.appendString(digest, to: &out)
        out += #","duplicate":"#
        out += duplicate ? "true" : "false"
        out += #","late":"#
        out += late ? "true" : "false"
        if let period {
            out += #","period":"#
            JSONText.appendString(period, to: &out)
        }
        out += #","problems":["#
        for (index, problem) in problems.enumerated() {
            if index > 0 { out += "," }
            JSONText.appendString(problem, to: &out)
        }
        out += #"],"receivedAt":"#
        JSONText.appendString(receivedAt, to: &out)
        out += #","rejected":"#
        out += String(rejected)
        if let site {
            out += #","site":"#
            JSONText.appendString(site, to: &out)
        }
        out += #","status":"#
        JSONText.appendString(status.rawValue, to: &out)
        if let submission {
            out += #","submission":"#
            JSONText.appendString(submission, to: &out)
        }
        out += #","values":["#
        for (index, value) in values.enumerated() {
            if index > 0 { out += "," }
            out += #"{"indicator":"#
            JSONText.appendString(value.indicator, to: &out)
            out += #","period":"#
            JSONText.appendString(value.period, to: &out)
            if let reason = value.reason {
                out += #","reason":"#
                JSONText.appendString(reason, to: &out)
            }
            out += #","status":"#
            JSONText.appendString(value.status, to: &out)
            out += "}"
        }
        out += "]"
        if let version {
            out += #","version":"#
            out += String(version)
        }
        out += #","warnings":"#
        out += String(warnings)
        out += "}"
        return out
    }

    /// `json`, the ``jsonText`` of a summary without a version, with `version` added: the
    /// same text as the summary's with its version. `version` is the key just before
    /// `warnings`, always the last; no string in the text can hold `,"warnings":` unescaped.
    static func addingVersion(_ version: Int, to json: String) -> String {
        var bytes = Array(json.utf8)
        let key = Array(#","warnings":"#.utf8)
        guard bytes.count >= key.count,
              let start = (0...(bytes.count - key.count)).reversed().first(where: { bytes[$0..<($0 + key.count)].elementsEqual(key) })
        else { return json }
        bytes.insert(contentsOf: Array(#","version":"#.utf8) + Array(String(version).utf8), at: start)
        return String(decoding: bytes, as: UTF8.self)
    }
}
