// Picking the records out of a JSON document with a JSONPath, telling an empty list (no
// records this period) from a path that reaches nothing (a misspelt or moved member).
public import PioneerKit

extension JSONRecord {
    /// The objects `path` selects in `document`, as records.
    ///
    /// A path may select the records themselves (`$.residents[*]`) or the one array that holds
    /// them (`$.residents`). An empty array, or a filter that no element passes, gives no
    /// records; a path that reaches nothing is an error saying where it stopped and what is
    /// there instead. A selected value that is not an object is an error naming its place.
    public static func records(at path: JSONPath, in document: JSONValue, url: String) throws(PluginError) -> [JSONRecord] {
        var nodes: [JSONPath.Node]
        do {
            nodes = try path.nodes(in: document, atMost: JSONPath.nodeLimit)
        } catch {
            throw JSONPath.tooManyNodes(path, limit: error.limit, url: url)
        }
        if nodes.isEmpty, let reason = path.whyNothingIsSelected(in: document) {
            throw PluginError("`\(path)` selects nothing in \(url): \(reason)")
        }
        if nodes.count == 1, case .array(let elements) = nodes[0].value {
            let array = nodes[0]
            nodes = elements.indices.map { array.child(elements[$0], .index($0), locate: true) }
        }
        var records: [JSONRecord] = []
        records.reserveCapacity(nodes.count)
        for node in nodes {
            guard case .object(let fields) = node.value else {
                throw PluginError("record `\(node.path)` selected by `\(path)` in \(url) is \(JSONExtraction.describe(node.value)), expected an object")
            }
            records.append(JSONRecord(fields: fields, node: node, url: url))
        }
        return records
    }
}

extension FeedResponse {
    /// The body parsed as JSON, and the objects `path` selects in it as records
    /// (see ``JSONRecord/records(at:in:url:)``). The whole document is held, so a body over
    /// ``wholeBodyLimit`` is refused: read a large export a record at a time with
    /// ``jsonRecords(at:_:)``.
    public func jsonRecords(at path: JSONPath) throws(PluginError) -> [JSONRecord] {
        try JSONRecord.records(at: path, in: json(), url: url)
    }
}

extension FeedResponse {
    /// Calls `consume` with each object `path` selects in the body, in document order, as
    /// ``jsonRecords(at:)`` would list them, reading the body once, front to back, holding one
    /// record at a time: an export of any size is read in the memory of its largest record.
    ///
    /// The path may select the records (`$.responses[*]`, `$.responses[?@.ward == 'A']`) or the
    /// one array that holds them (`$.responses`). A path that needs the whole document
    /// (``JSONPath/wholeDocumentReason``) reads it whole, up to ``wholeBodyLimit``. Errors
    /// name the URL, the record's place, and for bad JSON the line and column.
    ///
    /// ```swift
    /// var agreeing = 0
    /// try response.jsonRecords(at: try JSONPath(parsing: "$.responses[*]")) { (record) throws(PluginError) in
    ///     if try record.textIfPresent("q1") == "Agree" { agreeing += 1 }
    /// }
    /// ```
    public func jsonRecords(at path: JSONPath, _ consume: (JSONRecord) throws(PluginError) -> Void) throws(PluginError) {
        try jsonRecords(at: path, explainWithin: Self.explainedWholeLimit, consume)
    }

    /// The largest body read whole again to say exactly why a path selected nothing.
    static let explainedWholeLimit = 8 << 20

    /// ``jsonRecords(at:_:)``, reading a body up to `explainWithin` bytes whole again when the
    /// path selects nothing, to say exactly why; `wholeLimit` is the largest body read whole
    /// (``wholeBodyLimit``, smaller in the tests).
    func jsonRecords(at path: JSONPath, explainWithin: Int, wholeLimit: Int = wholeBodyLimit,
                     _ consume: (JSONRecord) throws(PluginError) -> Void) throws(PluginError) {
        let size = body.size
        guard let plan = path.streamingPlan else {
            if let size, size > wholeLimit {
                throw JSONExtraction.tooLargeForWholeDocument(path, url: url, size: size, limit: wholeLimit)
            }
            for record in try jsonRecords(at: path) { try consume(record) }
            return
        }
        // A path to the array itself is read as that array's elements.
        let elementsOfNode = plan.fan == nil
        let streamed = elementsOfNode ? path.everyElement : path
        guard let streamedPlan = streamed.streamingPlan else {
            for record in try jsonRecords(at: path) { try consume(record) }
            return
        }
        let url = self.url
        var count = 0
        let candidates: JSONPath.StreamedCandidates
        do {
            candidates = try JSONExtraction.scan(self) { scanner in
                try streamed.stream(&scanner, plan: streamedPlan, sampleUntilMatch: false) { node in
                    // `$.responses` reached an object: the one record, not its members.
                    if elementsOfNode, case .name = node.location?.step { throw WholeObjectRecord() }
                    guard case .object(let fields) = node.value else {
                        throw PluginError("record `\(node.path)` selected by `\(path)` in \(url) is \(JSONExtraction.describe(node.value)), expected an object")
                    }
                    count += 1
                    try consume(JSONRecord(fields: fields, node: node, url: url))
                }
            }
        } catch is WholeObjectRecord {
            if let size, size > wholeLimit {
                throw PluginError("`\(path)` selects one object in \(url), read as a single record, and the body is \(ByteSizeText.megabytes(size)); "
                                  + "a body over \(ByteSizeText.megabytes(wholeLimit)) is read a record at a time, from an array of records")
            }
            for record in try jsonRecords(at: path) { try consume(record) }
            return
        } catch {
            throw JSONExtraction.pluginError(error, path: path, response: self)
        }
        guard count == 0 else { return }
        // A value with no elements where the path takes them (`"responses": "n/a"`), said as
        // reading the body whole says it, whatever its size.
        if let node = candidates.unfanned {
            if elementsOfNode {
                throw PluginError("record `\(node.path)` selected by `\(path)` in \(url) is \(JSONExtraction.describe(node.value)), expected an object")
            }
            throw PluginError("`\(path)` selects nothing in \(url): `\(node.path)` is \(JSONExtraction.describe(node.value)), not an array or object of records")
        }
        // Nothing selected: a small body says exactly why (a misspelt member, a value that is
        // not an array), as reading it whole would; a larger one, where the path stopped.
        if let size, size <= explainWithin {
            _ = try jsonRecords(at: path)
        } else if !candidates.reached {
            throw PluginError("`\(path)` selects nothing in \(url): the document has nothing at the place the path names"
                              + (elementsOfNode ? "" : " before its `[*]` or filter"))
        }
    }
}

/// Thrown inside a streamed read when the node reached is an object read as one record.
private struct WholeObjectRecord: Error {}

extension JSONPath {
    /// This path followed by `[*]`: the elements of what it selects.
    var everyElement: JSONPath {
        JSONPath(expression: expression + "[*]",
                 query: Query(isRelative: false, segments: query.segments + [Segment(isDescendant: false, selectors: [.wildcard])]))
    }
}
