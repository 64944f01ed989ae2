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
            records.append(JSONRecord(fields: fields, path: node.path, url: url))
        }
        return records
    }
}

extension FeedResponse {
    /// The body parsed as JSON, and the objects `path` selects in it as records
    /// (see ``JSONRecord/records(at:in:url:)``).
    public func jsonRecords(at path: JSONPath) throws(PluginError) -> [JSONRecord] {
        try JSONRecord.records(at: path, in: json(), url: url)
    }
}
