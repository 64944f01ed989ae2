// The JSONPath Compliance Test Suite (RFC 9535's own, BSD-2, copied with its licence under
// Conformance/jsonpath-cts/): every case runs, and the pass count is printed with the results.
import Foundation
import PioneerKit
import PioneerExtraction
import Testing

@Suite("JSONPath compliance")
struct JSONPathComplianceTests {
    /// One case of cts.json.
    struct Case {
        var name: String
        var selector: String
        var document: JSONValue?
        /// The acceptable results, each a list of values with their normalized paths; empty for an invalid selector.
        var outcomes: [(values: [JSONValue], paths: [String])]
        var invalidSelector: Bool
    }

    static func loadCases() throws -> [Case] {
        guard let url = Bundle.module.url(forResource: "cts", withExtension: "json", subdirectory: "jsonpath-cts") else {
            throw ComplianceError("cts.json is missing from the test bundle (Tests/PluginTests/Conformance/jsonpath-cts)")
        }
        let suite = try JSONValue(parsing: Data(contentsOf: url))
        guard let tests = suite.objectValue?["tests"]?.arrayValue else {
            throw ComplianceError("cts.json has no `tests` array")
        }
        return try tests.map { test throws(ComplianceError) in
            guard let fields = test.objectValue, let name = fields["name"]?.stringValue,
                  let selector = fields["selector"]?.stringValue else {
                throw ComplianceError("a case in cts.json has no name or selector")
            }
            var outcomes: [(values: [JSONValue], paths: [String])] = []
            if let result = fields["result"]?.arrayValue {
                outcomes.append((result, fields["result_paths"]?.arrayValue?.compactMap(\.stringValue) ?? []))
            }
            if let results = fields["results"]?.arrayValue {
                let paths = fields["results_paths"]?.arrayValue ?? []
                for (offset, result) in results.enumerated() {
                    outcomes.append((result.arrayValue ?? [], paths.indices.contains(offset) ? paths[offset].arrayValue?.compactMap(\.stringValue) ?? [] : []))
                }
            }
            return Case(name: name, selector: selector, document: fields["document"], outcomes: outcomes,
                        invalidSelector: fields["invalid_selector"] == .bool(true))
        }
    }

    /// Nil when the case passes, else what went wrong.
    static func failure(of test: Case) -> String? {
        let path: JSONPath
        do {
            path = try JSONPath(parsing: test.selector)
        } catch {
            return test.invalidSelector ? nil : "refused a valid selector: \(error)"
        }
        if test.invalidSelector { return "accepted an invalid selector" }
        guard let document = test.document else { return "the case has no document" }
        let nodes = path.nodes(in: document)
        let values = nodes.map(\.value)
        let paths = nodes.map(\.path)
        let matches = test.outcomes.contains { outcome in
            outcome.values == values && (outcome.paths.isEmpty || outcome.paths == paths)
        }
        return matches ? nil : "selected \(paths)"
    }

    @Test func everyCaseOfTheStandardsComplianceSuitePasses() throws {
        let cases = try Self.loadCases()
        let failures = cases.compactMap { test in Self.failure(of: test).map { "\(test.name) `\(test.selector)`: \($0)" } }
        print("JSONPath compliance: \(cases.count - failures.count)/\(cases.count) cases pass")
        #expect(cases.count == 703, "cts.json should hold the suite's 703 cases")
        #expect(failures.isEmpty, "\(failures.count) compliance cases fail:\n\(failures.joined(separator: "\n"))")
    }

    /// Every case whose path can run over a stream runs again that way: its document written
    /// out as JSON text and read back in pieces of 64 bytes, giving the same nodes and paths.
    @Test func everyStreamableCaseSelectsTheSameNodesReadInPieces() throws {
        var streamed = 0
        var failures: [String] = []
        for test in try Self.loadCases() where !test.invalidSelector {
            guard let document = test.document, let path = try? JSONPath(parsing: test.selector),
                  path.wholeDocumentReason == nil else { continue }
            streamed += 1
            let body = try JSONEncoder().encode(document)
            let response = FeedResponse(key: "cts", feed: "cts", url: "http://127.0.0.1/cts", body: body)
            var nodes: [JSONPath.Node] = []
            do {
                try path.forEachNode(in: response, chunkSize: 64) { nodes.append($0) }
            } catch {
                failures.append("\(test.name) `\(test.selector)`: \(error.message)")
                continue
            }
            let values = nodes.map(\.value), paths = nodes.map(\.path)
            let matches = test.outcomes.contains { outcome in
                outcome.values == values && (outcome.paths.isEmpty || outcome.paths == paths)
            }
            if !matches { failures.append("\(test.name) `\(test.selector)`: streamed, selected \(paths)") }
        }
        print("JSONPath compliance, streamed: \(streamed - failures.count)/\(streamed) streamable cases pass")
        #expect(streamed > 250, "most of the suite's paths should be streamable; only \(streamed) were")
        #expect(failures.isEmpty, "\(failures.count) streamed cases fail:\n\(failures.joined(separator: "\n"))")
    }

    struct ComplianceError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
