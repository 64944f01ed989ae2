// The canonical bytes of a return and the SHA-256 digest over them: what lets the
// programme office tell a return as the site made it from one corrupted or edited since.
public import Foundation
import Crypto
import PioneerKit

/// The result of checking a return's digest.
public enum DigestCheck: Sendable, Hashable {
    /// The digest matches the content.
    case valid
    /// The content is not what was digested: edited or corrupted.
    case mismatch(expected: String, found: String)
    /// The return carries no digest, or one of an algorithm other than SHA-256.
    case missing
}

/// Canonical encoding, digests and their check.
///
/// The canonical form is `JSONEncoder` with sorted keys, no whitespace and `/` left
/// unescaped, of the return with `digest` nil (so the key is absent); absent optionals
/// are left out, numbers are written in their shortest form that reads back exactly.
/// Decoding a return and encoding it again gives the same bytes, so a reader can
/// recompute the digest from the file alone.
public enum ReturnCoding {
    /// The digest's algorithm name in ``Digest/algorithm``.
    public static let algorithm = "sha256"

    /// The canonical JSON of `siteReturn` with its digest left out.
    public static func canonical(_ siteReturn: SiteReturn) throws(ReturnEncodingError) -> Data {
        var content = siteReturn
        content.digest = nil
        return try encode(content, formatting: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// The JSON people read: the same content, indented, digest included.
    public static func pretty(_ siteReturn: SiteReturn) throws(ReturnEncodingError) -> Data {
        var data = try encode(siteReturn, formatting: [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted])
        data.append(0x0A)
        return data
    }

    /// The lowercase hex SHA-256 of the canonical encoding.
    public static func digest(of siteReturn: SiteReturn) throws(ReturnEncodingError) -> String {
        HexText.lowercase(SHA256.hash(data: try canonical(siteReturn)))
    }

    /// `siteReturn` with its digest set.
    public static func signed(_ siteReturn: SiteReturn) throws(ReturnEncodingError) -> SiteReturn {
        var result = siteReturn
        result.digest = Digest(algorithm: algorithm, value: try digest(of: siteReturn))
        return result
    }

    /// Whether the return's digest matches its content.
    public static func verify(_ siteReturn: SiteReturn) throws(ReturnEncodingError) -> DigestCheck {
        guard let recorded = siteReturn.digest, recorded.algorithm.lowercased() == algorithm else { return .missing }
        let computed = try digest(of: siteReturn)
        return recorded.value.lowercased() == computed ? .valid : .mismatch(expected: recorded.value, found: computed)
    }

    /// Whether the return's digest matches its content, checked first against `encoded`, the
    /// bytes the return was read from: when they are pioneer's own writing (canonical or
    /// indented), their text without whitespace and without the digest is what was digested,
    /// and one pass over them settles it. Otherwise the return is encoded again, as
    /// ``verify(_:)`` does, and that decides.
    public static func verify(_ siteReturn: SiteReturn, encoded: [UInt8]) throws(ReturnEncodingError) -> DigestCheck {
        guard let recorded = siteReturn.digest, recorded.algorithm.lowercased() == algorithm else { return .missing }
        if let text = CanonicalText.withoutDigest(encoded), HexText.lowercase(SHA256.hash(data: text)) == recorded.value.lowercased() {
            return .valid
        }
        return try verify(siteReturn)
    }

    private static func encode(_ siteReturn: SiteReturn, formatting: JSONEncoder.OutputFormatting) throws(ReturnEncodingError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = formatting
        do {
            return try encoder.encode(siteReturn)
        } catch let EncodingError.invalidValue(value, context) {
            throw ReturnEncodingError(path: JSONPathText.path(context.codingPath), value: "\(value)")
        } catch {
            throw ReturnEncodingError(path: "$", value: "\(error)")
        }
    }
}

/// A return that cannot be written as JSON: a number that is not finite.
public struct ReturnEncodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The JSON path of the value: `$.indicators[2].measures[0].value`.
    public var path: String
    public var value: String

    public var description: String {
        "the return cannot be written as JSON: \(path) is \(value), which JSON has no number for"
    }
}
