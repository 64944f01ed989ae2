// The one-pass reader of JSON returns: whatever it takes it reads exactly as JSONDecoder
// does, and whatever it does not take is left to JSONDecoder, so ReturnReader's answers
// (values and errors) do not depend on which path read a file.
import Foundation
import Testing
@testable import PioneerReturns

@Suite("Return bytes decoder")
struct ReturnBytesDecoderTests {
    static func fast(_ data: Data) -> SiteReturn? {
        data.withUnsafeBytes { ReturnBytesDecoder.decode($0) }
    }

    static func decoded(_ data: Data) -> SiteReturn? {
        try? JSONDecoder().decode(SiteReturn.self, from: data)
    }

    @Test func pioneersOwnWritingIsReadByTheFastPathAsJSONDecoderReadsIt() throws {
        let signed = try ReturnCoding.signed(SampleReturn.value)
        for data in [try ReturnCoding.pretty(signed), try ReturnCoding.canonical(signed)] {
            let fast = try #require(Self.fast(data))
            #expect(fast == Self.decoded(data))
        }
        #expect(Self.fast(try ReturnCoding.pretty(signed)) == signed)
    }

    @Test func escapesUnicodeNullsAndExponentsReadAsJSONDecoderReadsThem() throws {
        var edited = String(decoding: try ReturnCoding.pretty(try ReturnCoding.signed(SampleReturn.value)), as: UTF8.self)
        let edits = [
            (#""name" : "Torbay and South Devon""#, #""name" : "Torbay \"and\" South\nDevon \u00e9 \ud83d\ude91 \/ caf\u00C9 ü""#),
            (#""lower" : 18.6"#, #""lower" : 1.86E1"#),
            (#""numerator" : 612"#, #""numerator" : -0.0"#),
        ]
        for (old, new) in edits {
            #expect(edited.contains(old), "the sample has no \(old)")
            edited = edited.replacingOccurrences(of: old, with: new)
        }
        let data = Data(edited.utf8)
        let fast = try #require(Self.fast(data))
        let reference = try #require(Self.decoded(data))
        #expect(fast == reference)
        #expect(fast.site.name == "Torbay \"and\" South\nDevon é 🚑 / cafÉ ü")
    }

    /// Keys are matched from their bytes when plain ASCII; a key spelt with escapes is decoded
    /// first and read as JSONDecoder reads it.
    @Test func keysWithEscapesReadAsJSONDecoderReadsThem() throws {
        var edited = String(decoding: try ReturnCoding.pretty(try ReturnCoding.signed(SampleReturn.value)), as: UTF8.self)
        let edits = [
            (#""name" : "Torbay and South Devon""#, #""n\u0061me" : "Torbay and South Devon""#),
            (#""region" : "South West""#, #""\u0072egion" : "South West""#),
        ]
        for (old, new) in edits {
            #expect(edited.contains(old), "the sample has no \(old)")
            edited = edited.replacingOccurrences(of: old, with: new)
        }
        let data = Data(edited.utf8)
        let fast = try #require(Self.fast(data))
        #expect(fast == (try #require(Self.decoded(data))))
        #expect(fast.site.name == "Torbay and South Devon" && fast.site.region == "South West")
    }

    /// Found by a tester: a member added to a signed return (`"evil"`, or a measure's
    /// `"numeratorCorrected"`) was read past, so the edited return kept its digest and counted.
    @Test(arguments: [
        (#""region" : "South West""#, #""region" : "South West", "unknown" : {"a" : [1, 2.5e3, true]}"#, "$.site.unknown"),
        (#""name" : "Torbay and South Devon""#, #""name" : "Torbay and South Devon", "café ü" : 1"#, #"$.site["café ü"]"#),
        (#""numerator" : 612"#, #""numerator" : 612, "numeratorCorrected" : 999"#, "$.indicators[0].measures[0].numeratorCorrected"),
    ])
    func aMemberTheSchemaDoesNotDefineIsRefusedNamingItsPath(old: String, new: String, path: String) throws {
        let signed = String(decoding: try ReturnCoding.pretty(try ReturnCoding.signed(SampleReturn.value)), as: UTF8.self)
        #expect(signed.contains(old), "the sample has no \(old)")
        let data = Data(signed.replacingOccurrences(of: old, with: new).utf8)
        #expect(Self.fast(data) == nil)
        #expect {
            _ = try ReturnReader.read(data: data, file: "edited.json")
        } throws: { error in
            (error as? ReturnReadError)?.description.contains("\(path): the return schema (version 1) has no such member") == true
        }
        // A null member is no member: as the schema reads an absent optional.
        let withNull = Data(signed.replacingOccurrences(of: #""region" : "South West""#, with: #""region" : "South West", "extra" : null"#).utf8)
        #expect((try? ReturnReader.read(data: withNull, file: "null.json")) != nil)
    }

    @Test func randomReturnsRoundTripThroughTheFastPath() throws {
        var random = SplitMix(seed: 20261129)
        for _ in 0..<200 {
            var value = SampleReturn.value
            value.site.name = random.text()
            value.indicators = value.indicators.map { indicator in
                var indicator = indicator
                indicator.unit = random.text()
                indicator.measures = indicator.measures.map { measure in
                    var measure = measure
                    measure.value = random.flag() ? random.double() : nil
                    measure.numerator = random.double()
                    measure.denominator = random.flag() ? nil : random.double()
                    measure.sampleSize = random.flag() ? Int(random.next() % 1_000_000) - 500_000 : nil
                    return measure
                }
                return indicator
            }
            let signed = try ReturnCoding.signed(value)
            // The canonical text is the content without its digest.
            let pretty = random.flag()
            let data = pretty ? try ReturnCoding.pretty(signed) : try ReturnCoding.canonical(signed)
            let fast = try #require(Self.fast(data))
            #expect(fast == (pretty ? signed : value))
            #expect(fast == Self.decoded(data))
        }
    }

    @Test func whatTheFastPathDoesNotTakeIsLeftToJSONDecoder() throws {
        let pretty = String(decoding: try ReturnCoding.pretty(try ReturnCoding.signed(SampleReturn.value)), as: UTF8.self)
        let variants = [
            // A whole number written with a fraction, a lone surrogate. (A duplicate key is not
            // the fast path's either, and the reader refuses it: ReturnReaderTests.)
            pretty.replacingOccurrences(of: #""decimals" : 1,"#, with: #""decimals" : 1.0,"#),
            pretty.replacingOccurrences(of: #""region" : "South West""#, with: #""region" : "South \udc00West""#),
            // A missing required field and text after the document.
            pretty.replacingOccurrences(of: #""wave" : "#, with: #""waves" : "#),
            pretty + " {}",
        ]
        for variant in variants {
            #expect(variant != pretty)
            let data = Data(variant.utf8)
            #expect(Self.fast(data) == nil)
            let reference = Self.decoded(data)
            let read = try? ReturnReader.read(data: data, file: "r.json")
            #expect(read == reference)
        }
        let invalidUTF8 = Data(pretty.utf8).replacing(Data("South West".utf8), with: Data([0x53, 0xFF, 0x57]))
        #expect(Self.fast(invalidUTF8) == nil)
    }
}

/// A small seeded generator, so a failure can be reproduced.
private struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func flag() -> Bool { next() & 1 == 0 }

    /// Any finite double: random bits, or a "nice" decimal, as measures mostly are.
    mutating func double() -> Double {
        if flag() {
            let bits = Double(bitPattern: next())
            return bits.isFinite ? bits : 0
        }
        return Double(Int64(next() % 2_000_000) - 1_000_000) / 100
    }

    /// Text with quotes, backslashes, control characters, accents and characters outside the BMP.
    mutating func text() -> String {
        let pieces = ["a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\u{01}", "\u{1F}", "é", "ü", "€", "🚑", "𝔸", "'", "<", "&"]
        return String((0..<Int(next() % 24)).map { _ in pieces[Int(next() % UInt64(pieces.count))] }.joined())
    }
}
