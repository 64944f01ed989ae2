// An ADX return as data: the root's attributes, its groups and data values. The writer
// (ADXDocument) makes one from a SiteReturn and the reader (ADXReader) makes one from XML, and
// both digest it through the same canonical form, so a value changed in the file is found.
public import Foundation
public import PioneerKit
import Crypto

/// An ADX document in Pioneer's code list.
public struct ADXReturn: Sendable, Hashable {
    /// The site (`adx/@site`).
    public var site: String
    /// The return's reporting period (`adx/@reportingPeriod`, Pioneer's label).
    public var reportingPeriod: Period
    /// Pioneer's return schema version (`adx/@schemaVersion`).
    public var schemaVersion: Int
    /// When the return was made (`adx/@exported`), ISO 8601 UTC.
    public var exported: String
    /// The digest of the JSON return it was made from, `sha256:<hex>` (`adx/@digest`), if given.
    public var returnDigest: String?
    /// The digest of this document's canonical content, `sha256:<hex>` (`adx/@contentDigest`), if given.
    public var contentDigest: String?
    public var groups: [ADXGroup]

    public init(site: String, reportingPeriod: Period, schemaVersion: Int = SiteReturn.currentSchemaVersion, exported: String,
                returnDigest: String?, contentDigest: String? = nil, groups: [ADXGroup]) {
        self.site = site
        self.reportingPeriod = reportingPeriod
        self.schemaVersion = schemaVersion
        self.exported = exported
        self.returnDigest = returnDigest
        self.contentDigest = contentDigest
        self.groups = groups
    }

    /// False when any group says it is incomplete.
    public var complete: Bool {
        groups.allSatisfy(\.complete)
    }

    /// The canonical form the content digest is taken over (docs/returns.md, "ADX content digest").
    ///
    /// UTF-8 text, one line per item ending in a line feed, fields separated by a tab:
    /// `adx`, site, reportingPeriod, schemaVersion, exported, digest (empty when absent); then
    /// for each group in document order `group`, orgUnit, period, dataSet, complete (`true` or
    /// `false`), followed by its data values in document order, `dataValue`, dataElement, PART,
    /// definitionVersion and the value written as ``ADXDocument/decimal(_:)`` writes it. In
    /// every field a backslash, tab, line feed and carriage return are written `\\`, `\t`,
    /// `\n`, `\r`. Attributes as XML reads them, so quoting and entity choices do not matter.
    public var canonicalContent: Data {
        var text = line(["adx", site, reportingPeriod.label, String(schemaVersion), exported, returnDigest ?? ""])
        for group in groups {
            text += line(["group", group.orgUnit, group.period.adxLabel, group.dataSet, group.complete ? "true" : "false"])
            for value in group.values {
                text += line(["dataValue", value.dataElement, value.part.rawValue, value.definitionVersion, ADXDocument.decimal(value.value)])
            }
        }
        return Data(text.utf8)
    }

    /// `sha256:` and the lowercase hex SHA-256 of ``canonicalContent``.
    public var computedContentDigest: String {
        "sha256:" + SHA256.hash(data: canonicalContent).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Whether ``contentDigest`` vouches for the content.
    public var contentDigestCheck: DigestCheck {
        guard let recorded = contentDigest, recorded.lowercased().hasPrefix("sha256:") else { return .missing }
        let computed = computedContentDigest
        let expected = String(recorded.dropFirst("sha256:".count))
        return recorded.lowercased() == computed ? .valid : .mismatch(expected: expected, found: String(computed.dropFirst("sha256:".count)))
    }

    private func line(_ fields: [String]) -> String {
        fields.map { field in
            var out = ""
            for character in field {
                switch character {
                case "\\": out += "\\\\"
                case "\t": out += "\\t"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                default: out.append(character)
                }
            }
            return out
        }.joined(separator: "\t") + "\n"
    }
}

/// One `group`: a site's values for one period.
public struct ADXGroup: Sendable, Hashable {
    public var orgUnit: String
    public var period: Period
    public var dataSet: String
    public var complete: Bool
    public var values: [ADXDataValue]

    public init(orgUnit: String, period: Period, dataSet: String = ADXDocument.dataSet, complete: Bool, values: [ADXDataValue]) {
        self.orgUnit = orgUnit
        self.period = period
        self.dataSet = dataSet
        self.complete = complete
        self.values = values
    }
}

/// One `dataValue`: one part of one indicator's measure.
public struct ADXDataValue: Sendable, Hashable {
    public var dataElement: String
    public var part: ADXPart
    public var definitionVersion: String
    public var value: Double

    public init(dataElement: String, part: ADXPart, definitionVersion: String, value: Double) {
        self.dataElement = dataElement
        self.part = part
        self.definitionVersion = definitionVersion
        self.value = value
    }
}

/// The part of a measure a data value carries: Pioneer's disaggregation code list (`PART`).
public enum ADXPart: String, Sendable, Hashable, CaseIterable {
    case value = "VALUE"
    case numerator = "NUMERATOR"
    case denominator = "DENOMINATOR"
    case sampleSize = "SAMPLE_SIZE"
}
