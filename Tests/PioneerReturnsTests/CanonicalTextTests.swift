// The digest checked from the bytes a return arrived as: pioneer's own writing (canonical,
// indented, the digest anywhere among the root's members) settles it in one pass; a changed
// value is still a mismatch, and bytes written another way are checked by encoding again.
import Foundation
@testable import PioneerReturns
import Testing

@Suite("A return's digest checked from its bytes")
struct CanonicalTextTests {
    static func signed() throws -> SiteReturn { try ReturnCoding.signed(SampleReturn.value) }

    @Test func theIndentedFileWithoutWhitespaceAndDigestIsTheCanonicalText() throws {
        let signed = try Self.signed()
        let pretty = [UInt8](try ReturnCoding.pretty(signed))
        #expect(CanonicalText.withoutDigest(pretty) == [UInt8](try ReturnCoding.canonical(signed)))
        #expect(try ReturnCoding.verify(signed, encoded: pretty) == .valid)
    }

    @Test func theDigestMayBeTheFirstTheLastOrAMiddleMember() throws {
        let signed = try Self.signed()
        let canonical = [UInt8](try ReturnCoding.canonical(signed))
        let member = Array(#""digest":{"algorithm":"sha256","value":"\#(signed.digest?.value ?? "")"}"#.utf8)
        let body = canonical.dropFirst().dropLast()
        let first = [UInt8(ascii: "{")] + member + [UInt8(ascii: ",")] + body + [UInt8(ascii: "}")]
        let last = [UInt8(ascii: "{")] + body + [UInt8(ascii: ",")] + member + [UInt8(ascii: "}")]
        for bytes in [first, last] {
            #expect(CanonicalText.withoutDigest(bytes) == canonical)
        }
    }

    @Test func aChangedValueIsStillAMismatch() throws {
        let signed = try Self.signed()
        var text = String(decoding: try ReturnCoding.pretty(signed), as: UTF8.self)
        let range = try #require(text.range(of: "Falls service"))
        text.replaceSubrange(range, with: "Fall service")
        let edited = try ReturnReader.read(data: Data(text.utf8), file: "edited.json")
        guard case .mismatch = try ReturnCoding.verify(edited, encoded: Array(text.utf8)) else {
            Issue.record("an edited return passed its digest check")
            return
        }
    }

    @Test func bytesWrittenAnotherWayAreCheckedByEncodingAgain() throws {
        let signed = try Self.signed()
        // Keys in another order and numbers spelt differently: not the digested text, the same content.
        let object = try #require(try JSONSerialization.jsonObject(with: try ReturnCoding.pretty(signed)) as? [String: Any])
        let other = [UInt8](try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted]))
        let canonical = [UInt8](try ReturnCoding.canonical(signed))
        #expect(CanonicalText.withoutDigest(other) != canonical)
        let read = try ReturnReader.read(data: Data(other), file: "other.json")
        #expect(try ReturnCoding.verify(read, encoded: other) == .valid)
    }

    @Test func textInsideStringsIsLeftAlone() throws {
        let bytes = Array(#"{ "a" : "x, \"digest\": {y}" , "digest" : { "value" : "z" } , "b" : [ 1 , 2 ] }"#.utf8)
        #expect(CanonicalText.withoutDigest(bytes) == Array(#"{"a":"x, \"digest\": {y}","b":[1,2]}"#.utf8))
    }

    @Test func bytesThatAreNotOneObjectWithOneDigestGiveNothing() {
        for text in [#"[1,2]"#, #"{"a":1}"#, #"{"digest":1,"digest":2}"#, #"{"a":"unterminated}"#, #"{"a":1}}"#, ""] {
            #expect(CanonicalText.withoutDigest(Array(text.utf8)) == nil, "\(text)")
        }
    }
}
