// Running a JSONPath over a document as it streams past, for the shapes that allow it: a
// path that descends by names and indices to one node, then (optionally) takes that node's
// elements with `[*]` or a filter and goes on inside each element. Only one element is held
// at a time; everything else is checked for syntax and dropped. Other paths (`..`, slices,
// negative indices, `$` inside a filter) need the whole document.
import Foundation
public import PioneerKit

extension JSONPath {
    /// How a path runs over a stream: the descent, then what it does with the node reached.
    struct StreamingPlan {
        enum Step {
            case name(String)
            case index(Int)
        }

        /// Child segments of one name or non-negative index each, from `$`.
        var descent: [Step]
        /// `[*]` or `[?…]` on the node reached, with the segments after it run on each
        /// element it selects; nil when the path ends at that node.
        var fan: (selector: Selector, rest: [Segment])?
        /// The only members of each element (an object) the fan's filter and the segments
        /// after it read, when they read only named members; nil when they need it whole.
        var keeping: JSONMemberSet?
        /// The fan's filter and the one member after it, compiled to run on each element's
        /// bytes, when they are that simple (`[?@.band == '85+'].admissions`).
        var elementFilter: ElementFilter?

        /// The plan for counting what the path selects: elements the filter selects themselves
        /// (`$.data[?@.band == '85+']`) are judged on their bytes and not built, and the nodes
        /// handed over for them hold `null`. Only for a reader that uses no node's value.
        func countingElements() -> StreamingPlan {
            guard let elementFilter, elementFilter.selectedName == nil else { return self }
            var plan = self
            plan.elementFilter = elementFilter.counting()
            return plan
        }
    }

    /// The plan for this path, or nil when it needs the whole document.
    var streamingPlan: StreamingPlan? {
        var descent: [StreamingPlan.Step] = []
        var segments = query.segments[...]
        while let segment = segments.first, !segment.isDescendant, segment.selectors.count == 1 {
            if case .name(let name) = segment.selectors[0] {
                descent.append(.name(name))
            } else if case .index(let index) = segment.selectors[0], index >= 0 {
                descent.append(.index(index))
            } else {
                break
            }
            segments = segments.dropFirst()
        }
        guard let segment = segments.first else { return StreamingPlan(descent: descent, fan: nil) }
        guard !segment.isDescendant, segment.selectors.count == 1 else { return nil }
        let selector = segment.selectors[0]
        switch selector {
        case .wildcard: break
        case .filter(let expression) where !Self.usesRoot(expression): break
        default: return nil
        }
        let rest = Array(segments.dropFirst())
        for later in rest {
            for case .filter(let expression) in later.selectors where Self.usesRoot(expression) { return nil }
        }
        return StreamingPlan(descent: descent, fan: (selector, rest), keeping: Self.membersRead(by: selector, then: rest),
                             elementFilter: ElementFilter(selector: selector, rest: rest))
    }

    /// The members of an element that `selector` and then `rest` read, when each query they
    /// run starts with one name (`@.band`, `.admissions`): the rest of the element is not needed.
    private static func membersRead(by selector: Selector, then rest: [Segment]) -> JSONMemberSet? {
        var names: [String] = []
        func firstName(_ segments: [Segment]) -> Bool {
            guard let first = segments.first, !first.isDescendant, first.selectors.count == 1,
                  case .name(let name) = first.selectors[0] else { return false }
            names.append(name)
            return true
        }
        func read(_ expression: LogicalExpression) -> Bool {
            switch expression {
            case .or(let operands), .and(let operands): return operands.allSatisfy(read)
            case .not(let operand): return read(operand)
            case .comparison(let left, _, let right): return read(left) && read(right)
            case .exists(let query): return firstName(query.segments)
            case .function(let call): return read(call)
            }
        }
        func read(_ comparable: Comparable) -> Bool {
            switch comparable {
            case .literal: return true
            case .query(let query): return firstName(query.segments)
            case .function(let call): return read(call)
            }
        }
        func read(_ call: FunctionCall) -> Bool {
            call.arguments.allSatisfy { argument in
                switch argument {
                case .literal: return true
                case .query(let query): return firstName(query.segments)
                case .logical(let expression): return read(expression)
                case .function(let inner): return read(inner)
                }
            }
        }
        // A path ending at the element itself (`$.data[*]`) needs all of it.
        guard firstName(rest) else { return nil }
        if case .filter(let expression) = selector, !read(expression) { return nil }
        return JSONMemberSet(names)
    }

    /// Calls `onNode` with each node this path selects in the body of `response`, in the
    /// order ``nodes(in:)`` gives them.
    ///
    /// A path that can stream (``wholeDocumentReason`` is nil) reads the body once, front to
    /// back, holding one element at a time, so the body may be far larger than memory; any
    /// other path reads the document whole, refusing a body over
    /// ``JSONExtraction/wholeDocumentLimit``. Errors name the URL, and for bad JSON the line
    /// and column.
    public func forEachNode(in response: FeedResponse, chunkSize: Int = 1 << 20,
                            _ onNode: (Node) throws -> Void) throws(PluginError) {
        do {
            guard let plan = streamingPlan else {
                if let size = response.body.size, size > JSONExtraction.wholeDocumentLimit {
                    throw JSONExtraction.tooLargeForWholeDocument(self, url: response.url, size: size)
                }
                for node in nodes(in: try response.json()) { try onNode(node) }
                return
            }
            _ = try JSONExtraction.scan(response, chunkSize: chunkSize) { scanner in
                try stream(&scanner, plan: plan, sampleUntilMatch: false, onNode: onNode)
            }
        } catch {
            throw JSONExtraction.pluginError(error, path: self, response: response)
        }
    }

    /// Whether this path can run over a stream (see ``streamingPlan``); when not, why, for `pioneer validate`.
    public var wholeDocumentReason: String? {
        guard streamingPlan == nil else { return nil }
        return "`\(expression)` needs the whole document in memory (a `..`, a slice, a negative index, "
            + "several selectors in one bracket, or `$` inside a filter), so a body is read whole, up to "
            + "\(JSONExtraction.wholeDocumentLimit / (1024 * 1024)) MB; a path that descends to an array and "
            + "filters its elements (`$.data[?@.band == '65+'].admissions`) runs over a body of any size"
    }

    private static func usesRoot(_ expression: LogicalExpression) -> Bool {
        switch expression {
        case .or(let operands), .and(let operands): return operands.contains(where: usesRoot)
        case .not(let operand): return usesRoot(operand)
        case .comparison(let left, _, let right): return usesRoot(left) || usesRoot(right)
        case .exists(let query): return usesRoot(query)
        case .function(let call): return usesRoot(call)
        }
    }

    private static func usesRoot(_ comparable: Comparable) -> Bool {
        switch comparable {
        case .literal: return false
        case .query(let query): return usesRoot(query)
        case .function(let call): return usesRoot(call)
        }
    }

    private static func usesRoot(_ call: FunctionCall) -> Bool {
        call.arguments.contains { argument in
            switch argument {
            case .literal: return false
            case .query(let query): return usesRoot(query)
            case .logical(let expression): return usesRoot(expression)
            case .function(let inner): return usesRoot(inner)
            }
        }
    }

    private static func usesRoot(_ query: Query) -> Bool {
        if !query.isRelative { return true }
        return query.segments.contains { segment in
            segment.selectors.contains { selector in
                if case .filter(let expression) = selector { return usesRoot(expression) }
                return false
            }
        }
    }

    /// What a streamed evaluation saw besides the nodes, for the message when nothing matched.
    struct StreamedCandidates {
        /// The elements the fan looked at (the members the path reads of each), as far as
        /// ``sampleLimit`` and ``sampleBudget`` allow.
        var sample: [JSONValue] = []
        /// Roughly the memory ``sample`` takes, in bytes.
        var sampleSize = 0
        var total = 0
        var truncated = false
        /// Whether the descent reached its node.
        var reached = false
        /// The node the path reached to take its elements, when it is neither an array nor an
        /// object (`"responses": "n/a"`): it has none, and says why a path selected nothing.
        var unfanned: Node?
        static let sampleLimit = 10_000
        /// The most memory the sample may take, roughly: elements whose read members are large
        /// (a care plan's whole history) make a short sample, never a large one.
        static let sampleBudget = 8 << 20
    }

    /// Streams `stream`, calling `onNode` for each node the path selects, in document order.
    ///
    /// - Parameter sampleUntilMatch: keep the first elements the fan looks at until a node is
    ///   selected, to explain an empty result.
    func stream(_ scanner: inout JSONStreamScanner, plan: StreamingPlan, sampleUntilMatch: Bool,
                handoff: StreamHandoff? = nil, onNode: (Node) throws -> Void) throws -> StreamedCandidates {
        let progress = StreamProgress(sampling: sampleUntilMatch)
        let evaluation = Evaluation(root: .null)
        try scanner.skipWhitespace()
        if try scanner.stream.peek() == nil {
            let (line, column) = scanner.stream.position(of: scanner.stream.index)
            throw JSONValue.ParseError(description: line == 1 && column == 1 ? "the body is empty" : "the body holds only whitespace")
        }
        // While elements are kept to explain an empty result, each is read as a value (of which
        // only what the path reads is built, and the other members only checked for syntax,
        // as after the sample: where an element lies never decides whether it is an error);
        // after that, one the element filter judges on its bytes is not built at all.
        let elementFilter = plan.elementFilter
        let read = { (scanner: inout JSONStreamScanner, index: Int) throws -> Reached in
            if progress.keepsSampling {
                return .element(index, try scanner.readValue(keeping: plan.keeping))
            }
            if let elementFilter, let outcome = try scanner.select(elementFilter) {
                return .filtered(index, outcome)
            }
            return .element(index, try scanner.readValue(keeping: plan.keeping))
        }
        // Made once, not for each of a large array's elements: copying the fan and making the
        // query retained and released their arrays for every element.
        let fan = plan.fan
        let restQuery = Query(isRelative: true, segments: fan?.rest ?? [])
        let selectedName = elementFilter?.selectedName
        try descend(&scanner, plan: plan, step: 0, location: .root, handoff: handoff, read: read) { value, location in
            progress.candidates.reached = true
            if case .filtered(let index, let selected) = value {
                progress.candidates.total += 1
                guard let selected else { return }
                if progress.sampling {
                    progress.sampling = false
                    progress.candidates.sample = []
                }
                try onNode(Node(value: selected, array: location, index: index, member: selectedName))
                return
            }
            guard let fan else {
                if case .whole(let whole) = value { try onNode(Node(value: whole, location: location)) }
                return
            }
            // The elements of an array one at a time; an object's members are sorted by name
            // (as the whole-document evaluation does), so an object is read whole.
            func visit(_ child: JSONValue, _ step: Location.Step) throws {
                progress.candidates.total += 1
                if progress.sampling {
                    if progress.keepsSampling {
                        progress.candidates.sample.append(child)
                        progress.candidates.sampleSize += child.approximateSize
                    } else {
                        progress.candidates.truncated = true
                    }
                }
                if try Self.visit(child, step, of: location, fan: fan, restQuery: restQuery, evaluation: evaluation, onNode: onNode) {
                    progress.sampling = false
                    progress.candidates.sample = []
                }
            }
            switch value {
            case .element(let index, let child): try visit(child, .index(index))
            case .filtered: break
            case .whole(.object(let object)):
                for (name, child) in object.sorted(by: { $0.key < $1.key }) { try visit(child, .name(name)) }
            case .whole(.array(let array)):
                for (index, child) in array.enumerated() { try visit(child, .index(index)) }
            case .whole(let other):
                progress.candidates.unfanned = Node(value: other, location: location)
            }
        }
        try scanner.skipWhitespace()
        if try scanner.stream.peek() != nil {
            throw scanner.error("unexpected \(try scanner.describeCurrent()) after the end of the JSON value")
        }
        return progress.candidates
    }

    /// Runs the fan's filter and the rest of the path on one element read whole, calling
    /// `onNode` for each node selected; whether there was any.
    private static func visit(_ child: JSONValue, _ step: Location.Step, of location: Location,
                              fan: (selector: Selector, rest: [Segment]), restQuery: Query, evaluation: Evaluation,
                              onNode: (Node) throws -> Void) throws -> Bool {
        if case .filter(let expression) = fan.selector, !evaluation.holds(expression, current: child) { return false }
        let childLocation = Location(parent: location, step: step)
        let found = fan.rest.isEmpty ? [Node(value: child, location: childLocation)]
            : evaluation.nodes(restQuery, start: Node(value: child, location: childLocation), locate: true)
        for node in found { try onNode(node) }
        return !found.isEmpty
    }

    /// Reads the elements of the fan's array from the read position of `scanner` (where an
    /// element starts, inside the array) through the array's closing `]`, calling `onNode`
    /// for each node selected as ``stream(_:plan:sampleUntilMatch:handoff:onNode:)`` does
    /// (their places counted from that element, under `$`); the number of elements, or nil
    /// when `shouldStop` said to stop first. The second half of a body read in two.
    func streamElements(_ scanner: inout JSONStreamScanner, plan: StreamingPlan, shouldStop: () -> Bool,
                        onNode: (Node) throws -> Void) throws -> Int? {
        guard let fan = plan.fan else { return nil }
        let evaluation = Evaluation(root: .null)
        let restQuery = Query(isRelative: true, segments: fan.rest)
        let elementFilter = plan.elementFilter
        let name = elementFilter?.selectedName
        var index = 0
        while true {
            if index & 4095 == 0, shouldStop() { return nil }
            if let elementFilter, let outcome = try scanner.select(elementFilter) {
                if let selected = outcome { try onNode(Node(value: selected, array: .root, index: index, member: name)) }
            } else {
                let child = try scanner.readValue(keeping: plan.keeping)
                _ = try Self.visit(child, .index(index), of: .root, fan: fan, restQuery: restQuery, evaluation: evaluation, onNode: onNode)
            }
            index += 1
            if try scanner.take(UInt8(ascii: ",")) { continue }
            if try scanner.take(UInt8(ascii: "]")) { return index }
            throw scanner.error("expected `,` or `]` in an array, found \(try scanner.describeCurrent())")
        }
    }

    /// Where a body read in two halves passes from the first to the second: the first half's
    /// fan loop asks where the second half starts when it enters the array, and when its next
    /// element starts exactly there, where the second half ended (after the array's `]`), to
    /// go on from there. Used on the first half's thread only.
    final class StreamHandoff {
        /// Given the depth inside the array, the offset of its first element and that
        /// element's first byte: the offset of the element the second half starts at, or nil.
        let arrayEntered: (_ depth: Int, _ offset: Int, _ first: UInt8) -> Int?
        /// The first half's next element starts at that offset, at this line and column, after
        /// this many elements: where the second half ended and its line and column, or nil to
        /// read on (the second half failed).
        let reached: (_ elements: Int, _ line: Int, _ column: Int) -> (offset: Int, line: Int, column: Int)?
        /// The first half will not start an element at that offset.
        let missed: () -> Void

        init(arrayEntered: @escaping (Int, Int, UInt8) -> Int?,
             reached: @escaping (Int, Int, Int) -> (offset: Int, line: Int, column: Int)?, missed: @escaping () -> Void) {
            self.arrayEntered = arrayEntered
            self.reached = reached
            self.missed = missed
        }
    }

    /// The running state of one ``stream(_:plan:sampleUntilMatch:onNode:)``, shared by its
    /// closures. It changes for every element of a large array, on one thread, never in two
    /// overlapping accesses, so it is exempt from Swift's run-time exclusivity checks.
    private final class StreamProgress {
        @exclusivity(unchecked) var candidates = StreamedCandidates()
        /// Whether the elements looked at are still kept, to explain an empty result.
        @exclusivity(unchecked) var sampling: Bool

        init(sampling: Bool) {
            self.sampling = sampling
        }

        /// Whether the next element goes into the sample.
        var keepsSampling: Bool {
            sampling && candidates.sample.count < StreamedCandidates.sampleLimit
                && candidates.sampleSize < StreamedCandidates.sampleBudget
        }
    }

    /// What the descent hands over at its node: the node whole, or (for an array under a
    /// fan) its elements one by one, read as `read` chooses.
    enum Reached {
        case whole(JSONValue)
        case element(Int, JSONValue)
        /// An element the plan's ``ElementFilter`` has judged: the value it selects, or nil.
        case filtered(Int, JSONValue?)
    }

    /// Walks the value at the read position, following `plan.descent` from `step`, and hands
    /// the node it leads to (or that node's elements) to `reached`; everything else is skipped.
    private func descend(_ scanner: inout JSONStreamScanner, plan: StreamingPlan, step: Int, location: Location,
                         handoff: StreamHandoff?, read: (inout JSONStreamScanner, Int) throws -> Reached,
                         reached: (Reached, Location) throws -> Void) throws {
        try scanner.skipWhitespace()
        let next = try scanner.stream.peek()
        guard step < plan.descent.count else {
            if plan.fan != nil, next == UInt8(ascii: "[") {
                try scanner.enter()
                scanner.stream.index += 1
                // Reading in two halves: where the second half starts, if it does.
                var handoffAt: Int?
                if let handoff {
                    try scanner.skipWhitespace()
                    if let first = try scanner.stream.peek() {
                        handoffAt = handoff.arrayEntered(scanner.depth, scanner.stream.offset, first)
                    }
                }
                if try !scanner.take(UInt8(ascii: "]")) {
                    var index = 0
                    while true {
                        if let at = handoffAt, let handoff {
                            try scanner.skipWhitespace()
                            let here = scanner.stream.offset
                            if here >= at {
                                handoffAt = nil
                                if here == at, scanner.stream.canJump {
                                    let (line, column) = scanner.stream.position(of: scanner.stream.index)
                                    if let end = handoff.reached(index, line, column) {
                                        // The second half read the rest of the array and its `]`.
                                        scanner.stream.jump(to: end.offset, line: end.line, column: end.column)
                                        break
                                    }
                                } else {
                                    handoff.missed()
                                }
                            }
                        }
                        try reached(try read(&scanner, index), location)
                        index += 1
                        if try scanner.take(UInt8(ascii: ",")) { continue }
                        if try scanner.take(UInt8(ascii: "]")) { break }
                        throw scanner.error("expected `,` or `]` in an array, found \(try scanner.describeCurrent())")
                    }
                }
                if handoffAt != nil { handoff?.missed() }
                scanner.leave()
                return
            }
            try reached(.whole(try scanner.readValue()), location)
            return
        }
        switch (plan.descent[step], next) {
        case (.name(let name), UInt8(ascii: "{")?):
            try scanner.enter()
            scanner.stream.index += 1
            if try scanner.take(UInt8(ascii: "}")) {
                scanner.leave()
                return
            }
            var seen = false
            while true {
                try scanner.skipWhitespace()
                guard try scanner.stream.peek() == UInt8(ascii: "\"") else {
                    throw scanner.unexpected(where: "an object key (a quoted string)")
                }
                let key = try scanner.readKey()
                guard try scanner.take(UInt8(ascii: ":")) else {
                    throw scanner.error("expected `:` after the key \"\(key)\", found \(try scanner.describeCurrent())")
                }
                // The standard compares names code point by code point, not by canonical equivalence.
                if key.utf8.elementsEqual(name.utf8) {
                    // Read as it streams, a repeated member would be selected twice (`{"v": 1, "v": 2}`
                    // summed to 3): which one counts is not defined (RFC 8259), so neither does.
                    guard !seen else {
                        throw scanner.error("the member \"\(name)\" appears twice in one object; a repeated member is ambiguous, so the body cannot be read")
                    }
                    seen = true
                    try descend(&scanner, plan: plan, step: step + 1, location: Location(parent: location, step: .name(name)),
                                handoff: handoff, read: read, reached: reached)
                } else {
                    try scanner.skipValue()
                }
                if try scanner.take(UInt8(ascii: ",")) { continue }
                if try scanner.take(UInt8(ascii: "}")) { break }
                throw scanner.error("expected `,` or `}` in an object, found \(try scanner.describeCurrent())")
            }
            scanner.leave()
        case (.index(let wanted), UInt8(ascii: "[")?):
            try scanner.enter()
            scanner.stream.index += 1
            if try scanner.take(UInt8(ascii: "]")) {
                scanner.leave()
                return
            }
            var index = 0
            while true {
                if index == wanted {
                    try descend(&scanner, plan: plan, step: step + 1, location: Location(parent: location, step: .index(index)),
                                handoff: handoff, read: read, reached: reached)
                } else {
                    try scanner.skipValue()
                }
                index += 1
                if try scanner.take(UInt8(ascii: ",")) { continue }
                if try scanner.take(UInt8(ascii: "]")) { break }
                throw scanner.error("expected `,` or `]` in an array, found \(try scanner.describeCurrent())")
            }
            scanner.leave()
        default:
            try scanner.skipValue()
        }
    }
}
