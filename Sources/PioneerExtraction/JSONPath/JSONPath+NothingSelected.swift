// Why a query selected nothing: where it stopped and what is there instead ("`$` has no member
// `residents` (did you mean `resident`?)"), or nil when an empty list or a filter is the reason.
import PioneerKit

extension JSONPath {
    /// Why the path selects nothing in `document`, or nil when that is a plain empty result:
    /// the step where the selection runs out picks elements (`[*]`, a slice, a filter) out of
    /// arrays or objects that hold none that qualify.
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
