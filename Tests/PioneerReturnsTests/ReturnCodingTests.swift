// The canonical encoding and its digest: stable, sensitive to any change, checkable from the file alone.
import Foundation
import PioneerTesting
import PioneerReturns
import Testing

@Suite("Return coding")
struct ReturnCodingTests {
    @Test func theCanonicalFormHasSortedKeysNoWhitespaceAndNoDigest() throws {
        let signed = try ReturnCoding.signed(SampleReturn.value)
        let text = String(decoding: try ReturnCoding.canonical(signed), as: UTF8.self)
        #expect(text.hasPrefix(#"{"complete":true,"generatedAt":"2026-04-10T08:00:00.000Z","generator":{"name":"pioneer","version":"0.10.0"},"goals":[{"#), "\(text.prefix(200))")
        #expect(!text.contains("\"digest\""))
        #expect(!text.contains("\n"))
        #expect(text.contains(#""url":"https://bi.example.nhs.uk/api/admissions?month=2026-03""#), "slashes are left unescaped")
        #expect(text.contains(#""runId":3"#))
        #expect(text.contains(#""narrative":"Falls service / frailty hub \"live\"""#))
        // An absent optional is left out, not written as null.
        #expect(!text.contains("null"))
    }

    @Test func theDigestIsTheSHA256OfTheCanonicalBytes() async throws {
        let canonical = try ReturnCoding.canonical(SampleReturn.value)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pioneer-canonical-\(UUID().uuidString).json")
        try canonical.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        // An independent SHA-256: the system's sha256sum over the same bytes.
        let output = try await ChildProcess.run("/usr/bin/env", ["sha256sum", file.path]).stdout
        let expected = String(output.prefix(64))
        #expect(try ReturnCoding.digest(of: SampleReturn.value) == expected)
        #expect(expected.count == 64)
    }

    @Test func aSignedReturnVerifiesAndKeepsItsDigestThroughAPrettyPrintedFile() throws {
        let signed = try ReturnCoding.signed(SampleReturn.value)
        #expect(signed.digest?.algorithm == "sha256")
        #expect(try ReturnCoding.verify(signed) == .valid)
        let pretty = try ReturnCoding.pretty(signed)
        #expect(String(decoding: pretty, as: UTF8.self).contains("\n  \"complete\" : true,"))
        let read = try ReturnReader.read(data: pretty, file: "torbay-2026Q1.json")
        #expect(read == signed)
        #expect(try ReturnCoding.verify(read) == .valid)
    }

    @Test func theDigestDoesNotDependOnTheDigestField() throws {
        var signed = try ReturnCoding.signed(SampleReturn.value)
        let digest = signed.digest?.value
        signed.digest = Digest(value: String(repeating: "0", count: 64))
        #expect(try ReturnCoding.digest(of: signed) == digest)
    }

    @Test func anyChangedValueIsAMismatch() throws {
        let signed = try ReturnCoding.signed(SampleReturn.value)
        var edited = signed
        edited.indicators[0].measures[0].numerator = 611
        guard case .mismatch(let expected, let found) = try ReturnCoding.verify(edited) else {
            Issue.record("an edited numerator verified")
            return
        }
        #expect(expected == signed.digest?.value)
        #expect(found == (try ReturnCoding.digest(of: edited)))
        var renamed = signed
        renamed.site.name = "Torbay"
        #expect(try ReturnCoding.verify(renamed) != .valid)
        var lastDigit = signed
        lastDigit.indicators[0].measures[0].value = 20.123456788
        #expect(try ReturnCoding.verify(lastDigit) != .valid)
    }

    @Test func aReturnWithoutADigestOrWithAnotherAlgorithmIsMissing() throws {
        #expect(try ReturnCoding.verify(SampleReturn.value) == .missing)
        var other = try ReturnCoding.signed(SampleReturn.value)
        other.digest?.algorithm = "md5"
        #expect(try ReturnCoding.verify(other) == .missing)
    }

    @Test func numbersReadBackExactly() throws {
        var value = SampleReturn.value
        let awkward: [Double] = [0.1, 1.0 / 3.0, 1e-9, 123_456_789.123_456_78, 5e300, -0.0, 0.30000000000000004]
        value.indicators[0].measures = awkward.map { number in
            var measure = SampleReturn.value.indicators[0].measures[0]
            measure.value = number
            return measure
        }
        let signed = try ReturnCoding.signed(value)
        let read = try ReturnReader.read(data: try ReturnCoding.pretty(signed), file: "awkward.json")
        #expect(read.indicators[0].measures.map(\.value) == awkward)
        #expect(try ReturnCoding.verify(read) == .valid)
    }

    @Test func aNumberJSONCannotHoldIsRefusedWithItsPath() throws {
        var value = SampleReturn.value
        value.indicators[1].measures[0].value = .nan
        #expect {
            try ReturnCoding.canonical(value)
        } throws: { error in
            "\(error)" == "the return cannot be written as JSON: $.indicators[1].measures[0].value is nan, which JSON has no number for"
        }
    }
}
