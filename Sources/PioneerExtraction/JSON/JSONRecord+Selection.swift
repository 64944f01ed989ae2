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
        var nodes = path.nodes(in: document)
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

extension JSONPath {
    /// Why the path selects nothing in `document`, or nil when that is a plain empty result:
    /// its last step picks elements (`[*]`, a slice, a filter) out of arrays or objects that
    /// hold none that qualify.
    func whyNothingIsSelected(in document: JSONValue) -> String? {
        let evaluation = Evaluation(root: document)
        var current = [Node(value: document, location: .root)]
        for segment in query.segments {
            let step = Query(isRelative: false, segments: [segment])
            let next = current.flatMap { evaluation.nodes(step, start: $0, locate: true) }
            guard next.isEmpty else {
                current = next
                continue
            }
            let picksElements = !segment.isDescendant && segment.selectors.allSatisfy { selector in
                switch selector {
                case .wildcard, .slice, .filter: return true
                case .name, .index: return false
                }
            }
            let allContainers = current.allSatisfy { node in
                switch node.value {
                case .array, .object: return true
                default: return false
                }
            }
            if picksElements && allContainers { return nil }
            return Self.reason(segment, stoppedAt: current[0])
        }
        return nil
    }

    /// What stopped `segment` at `node`: "`$` has no member `residents`; its members are `data`".
    private static func reason(_ segment: Segment, stoppedAt node: Node) -> String {
        guard !segment.isDescendant else { return "nothing under `\(node.path)` matches" }
        let name = segment.selectors.lazy.compactMap { selector -> String? in
            if case .name(let name) = selector { return name }
            return nil
        }.first
        switch node.value {
        case .object(let members):
            let keys = members.keys.sorted()
            guard let name else { return "`\(node.path)` is an object, which has no elements by position" }
            let listed = keys.isEmpty ? "; it is an empty object"
                : keys.count <= 8 ? "; its members are " + keys.map { "`\($0)`" }.joined(separator: ", ")
                : ""
            return "`\(node.path)` has no member `\(name)`\(didYouMean(name, among: keys))\(listed)"
        case .array(let elements):
            let size = "an array of \(elements.count) element\(elements.count == 1 ? "" : "s")"
            guard let name else { return "`\(node.path)` is \(size), none at the position asked for" }
            return "`\(node.path)` is \(size), not an object with a member `\(name)`"
        default:
            return "`\(node.path)` is \(JSONExtraction.describe(node.value)), not an array or object of records"
        }
    }
}
