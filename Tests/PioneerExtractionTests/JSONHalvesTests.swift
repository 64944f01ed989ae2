// A JSON body in a file read as two halves at once gives what one pass in order gives: the
// same figures when the second half starts at an element, and, by reading on in order, when
// the guess at an element start falls inside a string, when either half meets an error (named
// at the same line and column, also after the array, past the bytes the first half jumped),
// when a selected value is not a number, and when nothing matches.
import Foundation
@testable import PioneerExtraction
import PioneerKit
import Testing

@Suite struct JSONHalvesTests {
    private let period = Period.month(2026, 6)

    /// The extraction's answer (or error) over `text` read in order from memory, and read in
    /// halves from a file in pieces of `piece` bytes.
    private func bothWays(_ select: String, _ aggregate: JSONExtraction.Aggregate = .sum, _ text: String,
                          piece: Int = 256) throws -> (inOrder: String, halves: String) {
        let config = JSONExtraction(feed: "f", path: "/x", select: try JSONPath(parsing: select), aggregate: aggregate)
        return try inMemoryAndInFile(text, extension: "json") { memory, file in
            (answerText { try config.extract(memory, period: period) },
             answerText { try config.extract(file, period: period, halvesThreshold: 1, piece: piece) })
        }
    }

    /// `{"generated": …, "data": [ … ], "after": …}` with `count` rows, `row(i)` replacing row i when not empty.
    private func admissions(_ count: Int, after: String = "{\"note\": \"é\"}", row: (Int) -> String = { _ in "" }) -> String {
        var text = "{\"generated\": \"2026-07-01\",\n \"data\": [\n"
        for index in 0..<count {
            let special = row(index)
            text += special.isEmpty
                ? "{\"id\": \(index), \"band\": \"\(["18-64", "75-84", "85+"][index % 3])\", \"ward\": \"W\(index % 7)\", \"admissions\": \(index % 9)}"
                : special
            text += index + 1 < count ? ",\n" : "\n"
        }
        return text + "],\n \"after\": \(after)}\n"
    }

    private let select = "$.data[?@.band == '75-84' || @.band == '85+'].admissions"

    @Test func anElementOverTheHoldLimitIsRefusedWhereItStartsReadEitherWay() throws {
        // The 40th element holds a note of 5,000 bytes against a limit of 4,096 (64 MB in use),
        // in a body read from a file in 512-byte pieces, in order and in halves.
        let text = admissions(80) { $0 == 39 ? "  {\"band\": \"85+\", \"note\": \"" + String(repeating: "a", count: 5000) + "\", \"admissions\": 3}" : "" }
        let config = JSONExtraction(feed: "f", path: "/x", select: try JSONPath(parsing: select), aggregate: .sum)
        let expected = "`\(select)` in http://127.0.0.1/x.json: the value that starts at line 42, column 3 is larger than 4096 bytes, "
            + "and pioneer holds one array element or selected value at a time, up to 4096 bytes; "
            + "each element is held whole to be judged, so no path can read one this large; ask the system for smaller records"
        let (inOrder, halves) = try inMemoryAndInFile(text, extension: "json") { _, file in
            (answerText { try config.extract(file, period: period, halvesThreshold: .max, piece: 512, holdLimit: 4096) },
             answerText { try config.extract(file, period: period, halvesThreshold: 1, piece: 512, holdLimit: 4096) })
        }
        #expect(inOrder == "error: " + expected)
        #expect(halves == inOrder)
    }

    @Test func aFilterOnAMemberInsideEachElementGivesTheSameSum() throws {
        // FHIR-like: `{"resource": {"status": …, "class": {"code": …}}, "admissions": n}`.
        var text = "{\"entry\": [\n"
        for index in 0..<3_000 {
            let status = ["finished", "in-progress", "cancelled"][index % 3]
            let code = index % 4 == 0 ? "\"class\": \"EMER\"" : "\"class\": {\"code\": \"\(["EMER", "IMP"][index % 2])\"}"
            text += "{\"resource\": {\"status\": \"\(status)\", \(code)}, \"admissions\": \(index % 9)}"
            text += index + 1 < 3_000 ? ",\n" : "\n"
        }
        text += "]}\n"
        for select in ["$.entry[?@.resource.status == 'finished' && @.resource.class.code == 'EMER'].admissions",
                       "$.entry[?@.resource.class.code != 'IMP'].admissions"] {
            let (inOrder, halves) = try bothWays(select, .sum, text)
            #expect(halves == inOrder, "\(select)")
            #expect(!inOrder.hasPrefix("error"), "\(inOrder)")
            let whole = try JSONPath(parsing: select).nodes(in: try JSONValue(parsing: Data(text.utf8))).compactMap(\.value.numberValue)
            #expect(inOrder.hasPrefix("\(whole.reduce(0, +)) (\(whole.count))"), "\(inOrder)")
        }
        // Counting the elements themselves.
        let (inOrder, halves) = try bothWays("$.entry[?@.resource.class.code == 'EMER']", .count, text)
        #expect(halves == inOrder)
        #expect(inOrder.hasPrefix("750.0 (750)"), "\(inOrder)")
    }

    @Test func aPlainArrayGivesTheSameSumCountMeanMinAndMax() throws {
        let text = admissions(3_000)
        for aggregate in [JSONExtraction.Aggregate.sum, .count, .mean, .min, .max] {
            for piece in [256, 4096] {
                let (inOrder, halves) = try bothWays(select, aggregate, text, piece: piece)
                #expect(halves == inOrder, "\(aggregate), pieces of \(piece)")
                #expect(!inOrder.hasPrefix("error"))
            }
        }
    }

    @Test func aGuessInsideAStringIsReadOnInOrder() throws {
        // Every element near the middle holds a string with `, {` in it, where the guess lands.
        let text = admissions(3_000) { index in
            (1_400..<1_700).contains(index)
                ? "{\"id\": \(index), \"band\": \"85+\", \"admissions\": 2, \"note\": \"\(String(repeating: "a, {b} ", count: 40))\"}" : ""
        }
        let (inOrder, halves) = try bothWays(select, .sum, text)
        #expect(halves == inOrder)
        #expect(!inOrder.hasPrefix("error"))
    }

    @Test func errorsInEitherHalfOrAfterTheArrayNameTheSameLineAndColumn() throws {
        let inSecondHalf = admissions(3_000) { $0 == 2_500 ? "{\"id\": 2500, \"band\": \"85+\", \"admissions\": 01}" : "" }
        let inFirstHalf = admissions(3_000) { $0 == 100 ? "{\"id\": 100, \"band\": \"85+\" \"admissions\": 1}" : "" }
        let afterTheArray = admissions(3_000, after: "{\"note\": \"é\", \"x\": tru}")
        for text in [inSecondHalf, inFirstHalf, afterTheArray] {
            let (inOrder, halves) = try bothWays(select, .sum, text)
            #expect(inOrder.contains("line "))
            #expect(halves == inOrder)
        }
        // After the array the line and column are counted across the bytes the first half jumped.
        let message = try bothWays(select, .sum, afterTheArray).halves
        #expect(message.contains("line 3004, column 33"), "\(message)")
    }

    @Test func aValueThatIsNotANumberInTheSecondHalfIsNamedAsInOrder() throws {
        let text = admissions(3_000) { $0 == 2_600 ? "{\"id\": 2600, \"band\": \"85+\", \"admissions\": \"n/a\"}" : "" }
        let (inOrder, halves) = try bothWays(select, .sum, text)
        #expect(inOrder.contains("$['data'][2600]['admissions']"))
        #expect(halves == inOrder)
    }

    @Test func nothingMatchedExplainsItselfAsInOrder() throws {
        let (inOrder, halves) = try bothWays("$.data[?@.band == '90+'].admissions", .sum, admissions(3_000))
        #expect(inOrder.hasPrefix("no data (0)"))
        #expect(halves == inOrder)
    }
}
