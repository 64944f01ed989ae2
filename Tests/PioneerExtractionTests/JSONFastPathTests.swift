// The streamed JSON fast paths (an element read in one go from the bytes in hand, only the
// members the path reads built, a simple filter run on the element's bytes) select what the
// whole-document evaluation selects, with the same normalized paths, wherever the buffer
// ends; and an error inside an element is still reported with its line and column.
import Foundation
@testable import PioneerExtraction
import PioneerKit
import Testing

@Suite struct JSONFastPathTests {
    static let url = "http://127.0.0.1/exports/data.json"

    /// Elements that try the fast paths: escapes holding `]`, `}` and quotes, an escaped key,
    /// numbers in exponent form, non-objects, deep nesting in a skipped member, non-ASCII text,
    /// missing members. (A repeated key is refused wherever it is read: see below.)
    static let document = #"""
        {"generated": "2026-07-01", "skipped": {"a": [1, {"b": "]}\"["}], "c": [[[[[]]]]]},
         "data": [
          {"id": 1, "band": "85+", "n": 3, "note": "a ] and a } and a \" in text", "flag": true},
          {"id": 2, "b\u0061nd": "75-84", "n": 1e2, "meta": {"deep": [1, [2, [3, {"x": "}"}]]]}},
          {"id": 3, "band": "65-74", "n": -0.5E-1, "flag": false},
          {"id": 4, "band": "\u0038\u0035+", "n": 2.5, "note": "unicode ☃ é 日本"},
          17, "a string", null, [1, 2, {"band": "85+"}],
          {"id": 5, "n": 4, "flag": null},
          {"id": 6, "band": "８５+", "n": 12345678901234567890},
          {"id": 7, "band": "85+", "n": "7", "meta": null},
          {},
          {"id": 8, "band": "85+", "n": 0.1, "meta": {"band": "85+"}, "flag": [false]},
          {"id": 9, "band": "85+", "n": 9, "meta": {"band": "75-84", "deep": {"x": 1}}},
          {"id": 10, "n": 10, "meta": "85+"},
          {"id": 11, "n": 11, "meta": {"other": 1}},
          {"id": 12, "n": 12, "meta": {"b\u0061nd": "85+", "deep": {"x": null}}},
          {"id": 13, "n": 13, "meta": {"band": "65-74"}},
          {"id": 14, "n": 14, "meta": {"deep": {"x": "}", "y": [1, {"x": 2}]}, "band": "８５+"}},
          {"id": 15, "n": 15, "meta": {"deep": [{"x": 1}], "band": null}}
         ],
         "total": 12}
        """#

    static let paths = [
        "$.data[?@.band == '85+'].n",
        "$.data[?@.band != '85+' && @.n >= 2].n",
        "$.data[?'85+' == @.band || 1 < @.n].meta",
        "$.data[?!@.flag].id",
        "$.data[?@.flag].id",
        "$.data[?@.flag == true].id",
        "$.data[?@.flag == null || @.meta == null].id",
        "$.data[*].n",
        "$.data[*].band",
        "$.data[?@.band < '8'].band",
        "$.data[?@.band >= '85+' && @.band <= '９'].id",
        "$.data[?@.n > 2 && @.n < 1000].note",
        "$.data[?@.nothing == 'x'].n",
        "$.data[?@.band == 85].n",
        "$.data[?1 == 1].id",
        "$.data[?length(@.band) == 3].n",
        "$.data[?@.meta.deep].id",
        // Members inside members, read on the element's bytes too; and, where a filter needs
        // a member whole and a member inside it, or selects it, the general way.
        "$.data[?@.meta.band == '85+'].id",
        "$.data[?@.meta.band != '85+'].id",
        "$.data[?@.meta.deep.x].id",
        "$.data[?@.meta.deep.x == null].n",
        "$.data[?@.meta.band == '85+' || @.band == '75-84'].n",
        "$.data[?@.meta.band > '7' && @.n > 5].n",
        "$.data[?@.meta.deep && @.meta.band].id",
        "$.data[?@.meta.band == null].id",
        "$.data[?@.meta && @.meta.band == '85+'].id",
        "$.data[?@.meta.band == '85+'].meta",
        // The elements themselves, judged on their bytes and built only when they pass.
        "$.data[?@.band == '85+']",
        "$.data[?@.meta.band == '85+' || @.n > 100]",
        "$.data[?!@.band]",
        "$.data[*]",
    ]

    /// The nodes `expression` selects in `text`, streamed in buffers of `chunkSize` bytes.
    private func streamed(_ expression: String, _ text: String, chunkSize: Int) throws -> [JSONPath.Node] {
        let path = try JSONPath(parsing: expression)
        var nodes: [JSONPath.Node] = []
        let response = FeedResponse(key: "k", feed: "f", url: Self.url, body: Data(text.utf8))
        try path.forEachNode(in: response, chunkSize: chunkSize) { nodes.append($0) }
        return nodes
    }

    /// The fast paths judge an element on its bytes; a member it repeats must be refused there
    /// too, at the same place wherever the buffer ends, not read as its last value.
    @Test func aRepeatedMemberIsRefusedAtItsPlaceWhereverTheBufferEnds() throws {
        let text = #"{"data": [{"band": "85+", "n": 1},"# + "\n" + #" {"band": "75-84", "band": "85+", "n": 2}]}"#
        for path in ["$.data[?@.band == '85+'].n", "$.data[*].band", "$.data[?@.band == '85+']"] {
            for chunkSize in [4, 7, 16, 64, 4096] {
                #expect(throws: (any Error).self, "\(path), chunks of \(chunkSize)") {
                    _ = try streamed(path, text, chunkSize: chunkSize)
                }
                do {
                    _ = try streamed(path, text, chunkSize: chunkSize)
                } catch {
                    #expect("\(error)".contains("the member \"band\" appears twice in one object") && "\(error)".contains("(line 2, column 20)"),
                            "\(path), chunks of \(chunkSize): \(error)")
                }
            }
        }
    }

    @Test func streamedSelectionsMatchTheWholeDocumentWhereverTheBufferEnds() throws {
        let document = try JSONValue(parsing: Data(Self.document.utf8))
        for expression in Self.paths {
            let path = try JSONPath(parsing: expression)
            #expect(path.wholeDocumentReason == nil, "\(expression) should stream")
            let whole = path.nodes(in: document)
            for chunkSize in [64, 65, 67, 71, 97, 128, 1 << 20] {
                let nodes = try streamed(expression, Self.document, chunkSize: chunkSize)
                #expect(nodes.map(\.value) == whole.map(\.value), "\(expression), buffer of \(chunkSize)")
                #expect(nodes.map(\.path) == whole.map(\.path), "\(expression), buffer of \(chunkSize)")
            }
        }
        // The checks above compare something: the paths do select values.
        #expect(try streamed("$.data[?@.band == '85+'].n", Self.document, chunkSize: 64).map(\.value)
            == [.number(3), .number(2.5), .string("7"), .number(0.1), .number(9)])
        #expect(try streamed("$.data[?@.meta.band == '85+'].id", Self.document, chunkSize: 64).map(\.value)
            == [.number(8), .number(12)])
        #expect(try streamed("$.data[?@.meta.deep.x].id", Self.document, chunkSize: 64).map(\.value)
            == [.number(9), .number(12), .number(14)])
        #expect(try streamed("$.data[?@.band == '85+']", Self.document, chunkSize: 64).map(\.path)
            == ["$['data'][0]", "$['data'][3]", "$['data'][10]", "$['data'][12]", "$['data'][13]"])
    }

    @Test func countingTheElementsAFilterSelectsMatchesTheWholeDocumentWithoutBuildingThem() throws {
        let document = try JSONValue(parsing: Data(Self.document.utf8))
        let response = FeedResponse(key: "k", feed: "f", url: Self.url, body: Data(Self.document.utf8))
        for expression in ["$.data[?@.band == '85+']", "$.data[?@.meta.band == '85+' || @.n > 100]", "$.data[*]",
                           "$.data[?@.nothing]"] {
            let path = try JSONPath(parsing: expression)
            let expected = path.nodes(in: document).count
            let value = try JSONExtraction(feed: "f", path: "/x", select: path, aggregate: .count, ifEmpty: .zero)
                .extract(response, period: .month(2026, 6))
            #expect(value.value == Double(expected), "\(expression)")
            // The plan for a count does not build the elements its filter selects.
            let plan = try #require(path.streamingPlan).countingElements()
            var nodes: [JSONPath.Node] = []
            try JSONExtraction.scan(response) { scanner in
                try path.stream(&scanner, plan: plan, sampleUntilMatch: false) { nodes.append($0) }
            }
            #expect(nodes.count == expected, "\(expression)")
        }
        // A member selected after the filter is still built for a count's plan.
        let members = try JSONPath(parsing: "$.data[?@.band == '85+'].n")
        var values: [JSONValue] = []
        try JSONExtraction.scan(response) { scanner in
            try members.stream(&scanner, plan: try #require(members.streamingPlan).countingElements(), sampleUntilMatch: false) {
                values.append($0.value)
            }
        }
        #expect(values == [.number(3), .number(2.5), .string("7"), .number(0.1), .number(9)])
    }

    @Test func aSumOverAFilterThatMatchesNothingExplainsWhatTheElementsHold() throws {
        let config = JSONExtraction(feed: "f", path: "/x", select: try JSONPath(parsing: "$.data[?@.band == '90+'].n"),
                                    aggregate: .sum)
        let response = FeedResponse(key: "k", feed: "f", url: Self.url, body: Data(Self.document.utf8))
        let value = try config.extract(response, period: .month(2026, 6))
        #expect(value.value == nil)
        #expect(value.detail.hasPrefix("`$.data[?@.band == '90+'].n` matched nothing in \(Self.url)"))
        #expect(value.detail.contains("85+"), "the hint should list the bands found: \(value.detail)")
    }

    /// Before the first match the elements were kept whole to explain an empty result: 10,000
    /// of them, whatever their size (a care plan's history: gigabytes), and every member was
    /// then parsed strictly, so a repeated member the path never reads was an error only
    /// before the first match. Now the sample holds what the path reads, to a budget, and
    /// where an element lies never decides whether it is an error.
    @Test func theSampleBeforeAMatchHoldsWhatThePathReadsWithinABudget() throws {
        func document(repeatedAt: Int, matchAt: Int) -> String {
            var text = "{\"data\": ["
            for index in 0..<20 {
                let band = index == matchAt ? "85+" : "65-74"
                let notes = index == repeatedAt ? #""notes": "a", "notes": "b""# : #""notes": "c""#
                text += (index > 0 ? "," : "") + #"{"band": "\#(band)", "n": 1, \#(notes)}"#
            }
            return text + "]}"
        }
        let config = JSONExtraction(feed: "f", path: "/x", select: try JSONPath(parsing: "$.data[?@.band == '85+'].n"), aggregate: .sum)
        for (repeatedAt, matchAt) in [(3, 10), (15, 10)] {
            let response = FeedResponse(key: "k", feed: "f", url: Self.url, body: Data(document(repeatedAt: repeatedAt, matchAt: matchAt).utf8))
            #expect(try config.extract(response, period: .month(2026, 6)).value == 1, "repeated member at \(repeatedAt)")
        }

        // 1,500 elements whose selected member takes some 16 KB: the sample stops at its budget (8 MB).
        let history = "[" + Array(repeating: "1", count: 1_000).joined(separator: ",") + "]"
        var text = "{\"data\": ["
        for index in 0..<1_500 { text += (index > 0 ? "," : "") + #"{"band": "65-74", "history": \#(history)}"# }
        text += "]}"
        let path = try JSONPath(parsing: "$.data[?@.band == '90+'].history")
        let plan = try #require(path.streamingPlan)
        let response = FeedResponse(key: "k", feed: "f", url: Self.url, body: Data(text.utf8))
        let candidates = try JSONExtraction.scan(response, chunkSize: 1 << 16) { scanner in
            try path.stream(&scanner, plan: plan, sampleUntilMatch: true) { _ in }
        }
        #expect(candidates.total == 1_500)
        #expect(candidates.truncated)
        #expect(candidates.sample.count < 1_500 && candidates.sample.count > 100, "\(candidates.sample.count)")
        #expect(candidates.sampleSize <= JSONPath.StreamedCandidates.sampleBudget + 100_000)
    }

    /// A body that is not JSON text at all is named for what it is, streamed or read whole, as
    /// the CSV reader names it (it was "unexpected byte 0xFF where a value was expected").
    @Test func aBodyThatIsNotJSONTextSaysWhatItIs() throws {
        let json = #"{"data": [{"n": 1}]}"#
        var utf16 = Data([0xFF, 0xFE])
        utf16.append(json.data(using: .utf16LittleEndian) ?? Data())
        let cases: [(Data, String)] = [
            (utf16, "is not valid JSON: the text is UTF-16, not UTF-8 (it starts with a UTF-16 byte-order mark, or every other byte is NUL); have the system send UTF-8"),
            (json.data(using: .utf16LittleEndian) ?? Data(), "is not valid JSON: the text is UTF-16, not UTF-8"),
            (Data([0x1F, 0x8B, 0x08, 0x00, 0x00]), "is not JSON text: it is gzip-compressed data the server did not label with Content-Encoding; check the feed's path"),
            (Data([0x50, 0x4B, 0x03, 0x04, 0x14]), "is not JSON text: it is a zip file (an Excel .xlsx workbook?); check the feed's path"),
        ]
        let streamed = JSONExtraction(feed: "f", path: "/x", select: try JSONPath(parsing: "$.data[*].n"), aggregate: .sum)
        for (body, message) in cases {
            let response = FeedResponse(key: "k", feed: "f", url: Self.url, body: body)
            #expect(throws: (any Error).self) { try streamed.extract(response, period: .month(2026, 6)) }
            do {
                _ = try streamed.extract(response, period: .month(2026, 6))
            } catch {
                #expect("\(error)".contains("the body of \(Self.url) \(message)"), "\(error)")
            }
            do {
                _ = try response.json()
            } catch {
                #expect("\(error)".contains("the body of \(Self.url) \(message)"), "\(error)")
            }
        }
    }

    /// The 64 MB text limit let a tree of small values take 1.7 GB (some hundred bytes a
    /// value): the whole-document reader now stops at a number of values, with its own message.
    @Test func aWholeDocumentOfTooManyValuesIsRefusedNotBuilt() throws {
        let tiny = "{\"data\": [" + Array(repeating: #"{"a":1}"#, count: 2_000).joined(separator: ",") + "]}"
        #expect(throws: (any Error).self) { try JSONValue(parsing: Data(tiny.utf8), maximumValues: 3_000) }
        do {
            _ = try JSONValue(parsing: Data(tiny.utf8), maximumValues: 3_000)
        } catch {
            #expect(error.valueLimit == 3_000)
            let message = JSONExtraction.notJSONError(error, response: FeedResponse(key: "k", feed: "f", url: Self.url, body: Data()))
            #expect(message.message.hasPrefix("the body of \(Self.url) holds more than 3000 JSON values, more than a plugin may build as a tree"),
                    "\(message)")
        }
        #expect(try JSONValue(parsing: Data(tiny.utf8), maximumValues: 4_002).arrayValue == nil)
        #expect(FeedResponse.wholeValueLimit == 3_000_000)
    }

    /// `count` elements, one a line, with `broken` in place of element `at`.
    private func elements(_ count: Int, broken: String, at: Int) -> String {
        var text = "{\"data\": [\n"
        for index in 0..<count {
            text += index == at ? broken : "{\"id\": \(index), \"band\": \"85+\", \"n\": \(index % 9)}"
            text += index + 1 < count ? ",\n" : "\n"
        }
        return text + "]}\n"
    }

    private func failure(_ expression: String, _ text: String, chunkSize: Int) -> String? {
        do {
            _ = try streamed(expression, text, chunkSize: chunkSize)
            return nil
        } catch let error as PluginError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func errorsInsideAnElementNameTheirLineAndColumnWhereverTheBufferEnds() {
        let path = "$.data[?@.band == '85+'].n"
        let cases: [(element: String, message: String)] = [
            (#"{"id": 500, "band": "85+", "n": 1x}"#, "expected `,` or `}` in an object, found `x` (line 502, column 34)"),
            (#"{"id": 500, "band": "85+", "n": 1e999}"#, "the number 1e999 is too large (line 502, column 33)"),
            (#"{"id": 500, "band": "85+", "n": 01}"#, "a number may not start with 0 followed by digits (line 502, column 34)"),
            (#"{"id": 500, "band": "8\q", "n": 1}"#, "`\\q` is not a JSON escape (line 502, column 24)"),
            (#"{"id": 500 "band": "85+", "n": 1}"#, "expected `,` or `}` in an object, found `\"` (line 502, column 12)"),
        ]
        for (element, message) in cases {
            let text = elements(1_000, broken: element, at: 500)
            for chunkSize in [64, 100, 4096, 1 << 20] {
                #expect(failure(path, text, chunkSize: chunkSize) == "the body of \(Self.url) is not valid JSON: \(message)",
                        "\(element), buffer of \(chunkSize)")
            }
        }
    }

    /// Lines shorter than eight bytes: more than 255 line feeds in one 2,040-byte stretch. The
    /// count of a stretch wrapped at 256 (line 492 for line 1,002; 363,424 for 759,968).
    @Test func errorsAfterManyShortLinesNameTheirLine() {
        let text = "{\"data\": [\n" + String(repeating: "1,\n", count: 1_000) + "x]}\n"
        for chunkSize in [64, 4096, 1 << 20] {
            #expect(failure("$.data[*]", text, chunkSize: chunkSize)
                    == "the body of \(Self.url) is not valid JSON: unexpected `x` where a value was expected (line 1002, column 1)",
                    "buffer of \(chunkSize)")
        }
        let blank = "{\"data\": [1" + String(repeating: "\n", count: 5_000) + "x]}"
        #expect(failure("$.data[*]", blank, chunkSize: 1 << 20)?.hasSuffix("(line 5001, column 1)") == true,
                "\(String(describing: failure("$.data[*]", blank, chunkSize: 1 << 20)))")
    }

    @Test func aSelectedStringThatIsNotUTF8IsReportedWhereItStarts() {
        var bytes = Array(elements(1_000, broken: #"{"id": 500, "band": "85+", "n": "AB"}"#, at: 500).utf8)
        // Overwrite `A` of that element with a byte that starts no UTF-8 character.
        guard let offset = bytes.indices.first(where: { bytes[$0] == UInt8(ascii: "A") }) else {
            Issue.record("the element written has no `A`")
            return
        }
        bytes[offset] = 0xFF
        let path = try? JSONPath(parsing: "$.data[?@.band == '85+'].n")
        for chunkSize in [64, 1 << 20] {
            var message: String?
            do {
                try path?.forEachNode(in: FeedResponse(key: "k", feed: "f", url: Self.url, body: Data(bytes)), chunkSize: chunkSize) { _ in }
            } catch {
                message = error.message
            }
            #expect(message == "the body of \(Self.url) is not valid JSON: a string is not valid UTF-8 (line 502, column 33)",
                    "buffer of \(chunkSize)")
        }
    }

    @Test func nestingDeeperThanTheLimitInsideAnElementIsRefused() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        let text = elements(100, broken: "{\"id\": 50, \"band\": \"85+\", \"skipped\": \(deep), \"n\": 1}", at: 50)
        for chunkSize in [64, 1 << 20] {
            let message = failure("$.data[?@.band == '85+'].n", text, chunkSize: chunkSize)
            #expect(message?.contains("the JSON nests more than 512 levels deep") == true, "buffer of \(chunkSize): \(message ?? "no error")")
        }
    }
}

/// Strings are walked eight bytes at a time while eight are in hand: an escape, a character
/// outside ASCII, a quote or a raw control character is found wherever it falls in the word.
@Suite struct JSONStringWordTests {
    private func sum(_ document: String, band: String) throws -> Double? {
        let literal = band.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
            .replacingOccurrences(of: "\n", with: "\\n")
        let config = JSONExtraction(feed: "f", path: "/x", select: try JSONPath(parsing: "$.data[?@.band == '\(literal)'].n"),
                                    aggregate: .sum)
        let response = FeedResponse(key: "k", feed: "f", url: "http://127.0.0.1/x.json", body: Data(document.utf8))
        return try config.extract(response, period: .month(2026, 6)).value
    }

    @Test func specialCharactersAreFoundAtEveryPlaceInAWord() throws {
        // (as written in JSON, as read)
        let specials: [(String, String)] = [("\\n", "\n"), ("\\\"", "\""), ("é", "é"), ("\\u0041", "A"), ("☃", "☃")]
        for length in 0..<18 {
            for place in 0...length {
                for (written, read) in specials {
                    let text = String(repeating: "a", count: place) + written + String(repeating: "b", count: length - place)
                    let band = String(repeating: "a", count: place) + read + String(repeating: "b", count: length - place)
                    let document = "{\"data\": [{\"note\": \"\(text)\", \"band\": \"\(text)\", \"n\": 1}, {\"note\": \"x\", \"band\": \"zz\", \"n\": 2}]}"
                    #expect(try sum(document, band: band) == 1, "\(written) at \(place) of \(length)")
                }
                let raw = String(repeating: "a", count: place) + "\u{01}" + String(repeating: "b", count: length - place)
                let document = "{\"data\": [{\"note\": \"\(raw)\", \"band\": \"zz\", \"n\": 1}]}"
                #expect(throws: PluginError.self, "a raw control character at \(place) of \(length)") { try sum(document, band: "zz") }
            }
        }
    }
}
