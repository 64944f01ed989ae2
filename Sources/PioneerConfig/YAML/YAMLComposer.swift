// Composes YAML text into PioneerKit's ConfigNode tree in one pass over the system
// libyaml's parse events: locations and key paths on every node, repeated keys reported
// at the repeat, aliases expanded under a node budget, and anything a configuration
// file has no use for reported. An explicit stack stands in for recursion, so no input
// can exhaust the call stack.
import CYAML
import PioneerKit

/// What composing one configuration text gave.
struct YAMLComposition {
    /// The tree, or nil when the text holds no document or no usable tree could be built.
    var root: ConfigNode?
    /// Every problem found. When the text could not be parsed, only the syntax error.
    var issues: [ConfigIssue]
    /// True when the text holds no YAML document at all (only comments, or nothing).
    var isEmpty: Bool
}

/// Builds a ``ConfigNode`` tree straight from libyaml's events.
///
/// Problems that still leave a usable tree (a repeated key, a tag, a non-string key)
/// are collected and the offending entry is left out. Problems that make the tree
/// unusable (too deep, too many nodes, too many repeats) stop the building; the rest of
/// the text is still parsed, so that a syntax error further on is reported instead, as
/// it would be in a file with no such problem.
struct YAMLComposer {
    /// More repeated keys than this in one file stop the reading.
    static let maximumRepeats = 100
    /// Mappings with more entries than this look repeated keys up in a dictionary.
    private static let linearScanLimit = 16

    private static let standardTagPrefix = "tag:yaml.org,2002:"
    private static let strTag = "tag:yaml.org,2002:str"
    private static let nullTag = "tag:yaml.org,2002:null"
    private static let mergeTag = "tag:yaml.org,2002:merge"
    private static let nonSpecificTag = "!"
    private static let scalarTags = [strTag, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                                     "tag:yaml.org,2002:bool", nullTag]
    private static let keyTags = [strTag, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                                  "tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"]
    private static let sequenceTags = ["tag:yaml.org,2002:seq"]
    private static let mappingTags = ["tag:yaml.org,2002:map"]

    /// Composes `text`, the contents of `file`.
    static func compose(_ text: String, file: String, maximumDepth: Int, maximumNodes: Int) -> YAMLComposition {
        var composer = YAMLComposer(file: file, maximumDepth: maximumDepth, maximumNodes: maximumNodes)
        var contiguous = text
        return contiguous.withUTF8 { bytes in composer.run(bytes, text: text) }
    }

    // MARK: State

    /// A node anchored with `&name`, kept built so that an alias inserts a copy.
    private struct Anchored {
        var node: ConfigNode
        /// Values in the node, counted as the budget counts them.
        var count: Int
        /// Levels below the node (0 for a scalar).
        var height: Int
    }

    /// What a mapping does with the node it is waiting for.
    private enum Pending {
        /// The next node is the value of this accepted key.
        case value(key: String, keyLocation: SourceLocation, path: String)
        /// The next node is the value of a refused key (reported already); it is dropped.
        case dropped
    }

    /// A sequence or mapping whose end has not been seen yet. A class, so that the
    /// innermost one is updated in place through a reference.
    private final class Frame {
        let isMapping: Bool
        let location: SourceLocation
        let path: String
        let depth: Int
        let anchor: String?
        /// The node count before this node was counted.
        let firstNode: Int
        /// Issues inside are not reported: the node is a refused key, a dropped value, or inside one.
        let quiet: Bool
        /// The node is a list or mapping written as a key, which is refused.
        let isKey: Bool
        var height = 0
        var items: [ConfigNode] = []
        var entries: [ConfigNode.Entry] = []
        /// Key -> index in `entries`, once the mapping outgrows a linear scan.
        var keyIndex: [String: Int]?
        /// For a mapping: nil while waiting for a key.
        var pending: Pending?

        init(isMapping: Bool, location: SourceLocation, path: String, depth: Int, anchor: String?,
             firstNode: Int, quiet: Bool, isKey: Bool) {
            self.isMapping = isMapping
            self.location = location
            self.path = path
            self.depth = depth
            self.anchor = anchor
            self.firstNode = firstNode
            self.quiet = quiet
            self.isKey = isKey
        }
    }

    /// Where the next node goes.
    private enum Slot {
        case key
        case value(path: String, depth: Int, quiet: Bool)
    }

    /// What one event did to the reading.
    private enum Step {
        case next
        case finished
        case failed(ConfigIssue)
    }

    private let file: String
    private let maximumDepth: Int
    private let maximumNodes: Int

    /// Open sequences and mappings, outermost first; `innermost` is the last.
    private var stack: [Frame] = []
    private var innermost: Frame?
    private var root: ConfigNode?
    private var documents = 0
    private var issues: [ConfigIssue] = []
    private var fatal: ConfigIssue?
    private var nodeCount = 0
    private var repeats = 0
    private var anchors: [String: Anchored] = [:]

    /// After a fatal problem: anchors still open, and anchors defined since, to catch an undefined alias.
    private var draining = false
    private var drainOpenAnchors: [String?] = []
    private var drainDefinedAnchors: Set<String> = []

    private init(file: String, maximumDepth: Int, maximumNodes: Int) {
        self.file = file
        self.maximumDepth = maximumDepth
        self.maximumNodes = maximumNodes
    }

    // MARK: The event loop

    private mutating func run(_ bytes: UnsafeBufferPointer<UInt8>, text: String) -> YAMLComposition {
        guard let input = bytes.baseAddress, bytes.count > 0 else {
            return YAMLComposition(root: nil, issues: [], isEmpty: true)
        }
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            return failure(YAMLSyntaxIssue.fileIssue(file, "ran out of memory while reading the YAML"))
        }
        defer { yaml_parser_delete(parser) }
        // The text is UTF-8. Naming the encoding skips libyaml's detection, so a byte order
        // mark is skipped by the scanner and counted as a column, as Pioneer has always counted it.
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(parser, input, bytes.count)

        let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
        defer { event.deallocate() }
        while true {
            guard yaml_parser_parse(parser, event) == 1 else {
                return failure(YAMLSyntaxIssue.issue(for: LibYAMLError(parser), text: text, file: file))
            }
            let step = handle(event)
            yaml_event_delete(event)
            switch step {
            case .next:
                continue
            case .failed(let issue):
                return failure(issue)
            case .finished:
                if let fatal {
                    return YAMLComposition(root: nil, issues: issues + [fatal], isEmpty: false)
                }
                guard documents > 0, let root else {
                    return YAMLComposition(root: nil, issues: [], isEmpty: true)
                }
                return YAMLComposition(root: root, issues: issues, isEmpty: false)
            }
        }
    }

    private func failure(_ issue: ConfigIssue) -> YAMLComposition {
        YAMLComposition(root: nil, issues: [issue], isEmpty: false)
    }

    private mutating func handle(_ event: UnsafeMutablePointer<yaml_event_t>) -> Step {
        if fatal != nil {
            return drain(event)
        }
        switch event.pointee.type {
        case YAML_STREAM_END_EVENT:
            return .finished
        case YAML_DOCUMENT_START_EVENT:
            if documents > 0 {
                return .failed(YAMLSyntaxIssue.anotherDocument(at: location(event.pointee.start_mark)))
            }
            documents += 1
            return .next
        case YAML_SCALAR_EVENT:
            scalar(event)
            return .next
        case YAML_ALIAS_EVENT:
            return alias(event)
        case YAML_SEQUENCE_START_EVENT:
            let data = event.pointee.data.sequence_start
            start(isMapping: false, anchor: data.anchor, tag: data.tag, at: location(event.pointee.start_mark))
            return .next
        case YAML_MAPPING_START_EVENT:
            let data = event.pointee.data.mapping_start
            start(isMapping: true, anchor: data.anchor, tag: data.tag, at: location(event.pointee.start_mark))
            return .next
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            end()
            return .next
        default:
            // Stream start, document end: nothing to build.
            return .next
        }
    }

    /// After a fatal problem nothing more is built, but the text is read to its end for
    /// the problems that take precedence: a syntax error, an undefined alias, a second document.
    private mutating func drain(_ event: UnsafeMutablePointer<yaml_event_t>) -> Step {
        if !draining {
            draining = true
            drainOpenAnchors = stack.map(\.anchor)
            stack = []
            innermost = nil
        }
        switch event.pointee.type {
        case YAML_STREAM_END_EVENT:
            return .finished
        case YAML_DOCUMENT_START_EVENT:
            if documents > 0 {
                return .failed(YAMLSyntaxIssue.anotherDocument(at: location(event.pointee.start_mark)))
            }
            documents += 1
        case YAML_SCALAR_EVENT:
            if let name = Self.string(event.pointee.data.scalar.anchor) { drainDefinedAnchors.insert(name) }
        case YAML_SEQUENCE_START_EVENT:
            drainOpenAnchors.append(Self.string(event.pointee.data.sequence_start.anchor))
        case YAML_MAPPING_START_EVENT:
            drainOpenAnchors.append(Self.string(event.pointee.data.mapping_start.anchor))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            if let name = drainOpenAnchors.popLast() ?? nil { drainDefinedAnchors.insert(name) }
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.pointee.data.alias.anchor) ?? ""
            if anchors[name] == nil, !drainDefinedAnchors.contains(name) {
                return .failed(YAMLSyntaxIssue.undefinedAlias(name, at: location(event.pointee.start_mark)))
            }
        default:
            break
        }
        return .next
    }

    // MARK: Events

    private mutating func scalar(_ event: UnsafeMutablePointer<yaml_event_t>) {
        let data = event.pointee.data.scalar
        let location = location(event.pointee.start_mark)
        let bytes = UnsafeBufferPointer(start: data.value, count: data.value == nil ? 0 : data.length)
        let tag = Self.string(data.tag)
        let quoted = Self.isQuoted(data.style)
        switch nextSlot() {
        case .key:
            key(bytes, tag: tag, quoted: quoted, anchor: Self.string(data.anchor), at: location)
        case .value(let path, let depth, let quiet):
            guard admit(at: location, path: path, depth: depth) else { return }
            let node = scalarNode(bytes, tag: tag, quoted: quoted, at: location, path: path, quiet: quiet)
            if let anchor = Self.string(data.anchor) {
                anchors[anchor] = Anchored(node: node, count: 1, height: 0)
            }
            deliver(node, height: 0)
        }
    }

    /// A scalar value: null, a plain scalar, or a quoted one (always a string).
    private mutating func scalarNode(_ bytes: UnsafeBufferPointer<UInt8>, tag: String?, quoted: Bool,
                                     at location: SourceLocation, path: String, quiet: Bool) -> ConfigNode {
        if let tag, Self.typedTags.keys.contains(tag) {
            // `!!int "80"` is the number 80: the tag says what the value is, once checked.
            let problem = Self.disagreement(Self.text(bytes), tag: tag)
            if let problem, !quiet {
                issues.append(ConfigIssue(.error, at: location, path: path, problem))
            }
            return tag == Self.nullTag && problem == nil ? ConfigNode(.null, location: location, path: path)
                : ConfigNode(.scalar(Self.text(bytes), quoted: false), location: location, path: path)
        }
        if let tag, !quiet {
            checkTag(tag, allowed: Self.scalarTags, at: location, path: path)
        }
        if quoted || tag == Self.strTag {
            return ConfigNode(.scalar(Self.text(bytes), quoted: true), location: location, path: path)
        }
        if tag == Self.nullTag || (tag == nil && Self.isNullSpelling(bytes)) {
            return ConfigNode(.null, location: location, path: path)
        }
        return ConfigNode(.scalar(Self.text(bytes), quoted: false), location: location, path: path)
    }

    /// A scalar written as a mapping key: accepted, or refused with an issue.
    private mutating func key(_ bytes: UnsafeBufferPointer<UInt8>, tag: String?, quoted: Bool, anchor: String?,
                              at location: SourceLocation) {
        guard let top = innermost else { return }
        let quiet = top.quiet
        let mappingPath = top.path
        if let anchor {
            // An anchored key may be used as a value elsewhere.
            let node = scalarNode(bytes, tag: tag, quoted: quoted, at: location, path: "", quiet: true)
            anchors[anchor] = Anchored(node: node, count: 1, height: 0)
        }

        // Read as YAML's core schema reads a key: plain `~`, `null` or nothing is null, `<<` a merge.
        var isNull = false, isMerge = false
        if let tag {
            if tag == Self.nullTag {
                isNull = true
            } else if tag == Self.mergeTag {
                isMerge = true
            } else if !quiet {
                checkTag(tag, allowed: Self.keyTags, at: location, path: mappingPath)
            }
        } else if !quoted {
            isNull = Self.isNullSpelling(bytes)
            isMerge = bytes.count == 2 && bytes[0] == UInt8(ascii: "<") && bytes[1] == UInt8(ascii: "<")
        }
        if isNull || isMerge {
            if !quiet {
                let message = isMerge ? "merge keys (`<<`) are not supported; write the keys out in full"
                    : bytes.isEmpty ? "a key is missing before `:`"
                    : "a key must be a string, found null `\(Self.text(bytes))`"
                issues.append(ConfigIssue(.error, at: location, path: mappingPath, message))
            }
            top.pending = .dropped
            return
        }

        let key = Self.text(bytes)
        let path = quiet ? "" : Self.path(mappingPath, key: key)
        if let first = firstEntry(named: key, in: top) {
            top.pending = .dropped
            guard !quiet else { return }
            repeats += 1
            if repeats > Self.maximumRepeats {
                fatal = ConfigIssue(.error, at: location, path: "",
                                    "more than \(Self.maximumRepeats) repeated keys; remove the repeats and validate again")
                return
            }
            let firstLine = top.entries[first].keyLocation.line
            issues.append(ConfigIssue(.error, at: location, path: path,
                                      "duplicate key `\(key)` (first at line \(firstLine)); a key may appear once in a mapping"))
            return
        }
        top.pending = .value(key: key, keyLocation: location, path: path)
    }

    private mutating func alias(_ event: UnsafeMutablePointer<yaml_event_t>) -> Step {
        let name = Self.string(event.pointee.data.alias.anchor) ?? ""
        let location = location(event.pointee.start_mark)
        guard let anchored = anchors[name] else {
            return .failed(YAMLSyntaxIssue.undefinedAlias(name, at: location))
        }
        switch nextSlot() {
        case .key:
            guard let top = innermost else { return .next }
            if !top.quiet {
                issues.append(ConfigIssue(.error, at: location, path: top.path,
                                          "an alias used as a key is not supported; keys are plain strings, written `key: value`"))
            }
            top.pending = .dropped
        case .value(let path, let depth, let quiet):
            // The whole copy is counted before it is made, so an alias bomb stops at once.
            nodeCount += anchored.count
            if nodeCount > maximumNodes {
                let at = anchored.node.location
                fatal = ConfigIssue(.error, at: at, path: "",
                                    "too many nodes after expanding aliases (anchor `\(name)` at line \(at.line) is repeated until the document would exceed \(maximumNodes) values); aliases must not multiply like this")
                return .next
            }
            let node: ConfigNode
            if quiet, depth + anchored.height <= maximumDepth {
                node = anchored.node  // dropped, or copied again (with paths) if this is anchored and aliased
            } else {
                node = relocated(anchored.node, path: path, depth: depth)
                if fatal != nil { return .next }
            }
            deliver(node, height: anchored.height)
        }
        return .next
    }

    private mutating func start(isMapping: Bool, anchor: UnsafeMutablePointer<yaml_char_t>?,
                                tag: UnsafeMutablePointer<yaml_char_t>?, at location: SourceLocation) {
        let firstNode = nodeCount
        let frame: Frame
        switch nextSlot() {
        case .key:
            let top = innermost
            if top?.quiet == false {
                issues.append(ConfigIssue(.error, at: location, path: top?.path ?? "",
                                          "a key must be a plain string, found \(isMapping ? "a mapping" : "a list")"))
            }
            frame = Frame(isMapping: isMapping, location: location, path: "", depth: (top?.depth ?? 0) + 1,
                          anchor: Self.string(anchor), firstNode: firstNode, quiet: true, isKey: true)
        case .value(let path, let depth, let quiet):
            frame = Frame(isMapping: isMapping, location: location, path: path, depth: depth,
                          anchor: Self.string(anchor), firstNode: firstNode, quiet: quiet, isKey: false)
        }
        // Pushed even when over a limit, so that reading on to the end keeps its anchors paired.
        defer {
            stack.append(frame)
            innermost = frame
        }
        guard admit(at: location, path: frame.path, depth: frame.depth) else { return }
        if !frame.quiet, let tag = Self.string(tag) {
            checkTag(tag, allowed: isMapping ? Self.mappingTags : Self.sequenceTags, at: location, path: frame.path)
        }
    }

    private mutating func end() {
        guard let frame = stack.popLast() else { return }
        innermost = stack.last
        let node = ConfigNode(frame.isMapping ? .mapping(frame.entries) : .sequence(frame.items),
                              location: frame.location, path: frame.path)
        if let anchor = frame.anchor {
            anchors[anchor] = Anchored(node: node, count: nodeCount - frame.firstNode, height: frame.height)
        }
        if frame.isKey {
            // The refused key is complete; its value is dropped too.
            innermost?.pending = .dropped
        } else {
            deliver(node, height: frame.height)
        }
    }

    // MARK: Building

    /// Where the next node goes, with the key path it gets.
    private func nextSlot() -> Slot {
        guard let top = innermost else { return .value(path: "", depth: 0, quiet: false) }
        let depth = top.depth + 1
        if top.isMapping {
            switch top.pending {
            case nil:
                return .key
            case .value(_, _, let path)?:
                return .value(path: path, depth: depth, quiet: top.quiet)
            case .dropped?:
                return .value(path: "", depth: depth, quiet: true)
            }
        }
        if top.quiet {
            return .value(path: "", depth: depth, quiet: true)
        }
        return .value(path: "\(top.path)[\(top.items.count)]", depth: depth, quiet: false)
    }

    /// Adds a finished node to the sequence or mapping it belongs to, or makes it the root.
    private mutating func deliver(_ node: ConfigNode, height: Int) {
        guard let top = innermost else {
            root = node
            return
        }
        top.height = max(top.height, height + 1)
        guard top.isMapping else {
            top.items.append(node)
            return
        }
        if case .value(let key, let keyLocation, _)? = top.pending {
            top.entries.append(ConfigNode.Entry(key: key, keyLocation: keyLocation, value: node))
            let count = top.entries.count
            if top.keyIndex != nil {
                top.keyIndex?[key] = count - 1
            } else if count > Self.linearScanLimit {
                var index: [String: Int] = [:]
                index.reserveCapacity(count * 2)
                for (position, entry) in top.entries.enumerated() { index[entry.key] = position }
                top.keyIndex = index
            }
        }
        top.pending = nil
    }

    /// The index of the entry already holding `key` in `mapping`, if any.
    private func firstEntry(named key: String, in mapping: Frame) -> Int? {
        if let index = mapping.keyIndex { return index[key] }
        return mapping.entries.firstIndex { $0.key == key }
    }

    /// Counts one more value against the budget and checks its depth; false (with the fatal issue) when over.
    private mutating func admit(at location: SourceLocation, path: String, depth: Int) -> Bool {
        nodeCount += 1
        if nodeCount > maximumNodes {
            fatal = ConfigIssue(.error, at: location, path: "",
                                "the document has more than \(maximumNodes) values; configuration files are far smaller")
            return false
        }
        if depth > maximumDepth {
            fatal = tooDeep(at: location, path: path)
            return false
        }
        return true
    }

    private func tooDeep(at location: SourceLocation, path: String) -> ConfigIssue {
        ConfigIssue(.error, at: location, path: path,
                    "the YAML nests more than \(maximumDepth) levels deep; configuration is far shallower, so this is probably not a configuration file")
    }

    /// A copy of an anchored node for an alias: the anchor's locations, the alias's key paths.
    /// Recursion is bounded: an anchored node is at most ``maximumDepth`` levels high.
    private mutating func relocated(_ node: ConfigNode, path: String, depth: Int) -> ConfigNode {
        if depth > maximumDepth {
            if fatal == nil { fatal = tooDeep(at: node.location, path: path) }
            return node
        }
        switch node.content {
        case .scalar, .null:
            return ConfigNode(node.content, location: node.location, path: path)
        case .sequence(let items):
            var copies: [ConfigNode] = []
            copies.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                copies.append(relocated(item, path: "\(path)[\(index)]", depth: depth + 1))
            }
            return ConfigNode(.sequence(copies), location: node.location, path: path)
        case .mapping(let entries):
            var copies: [ConfigNode.Entry] = []
            copies.reserveCapacity(entries.count)
            for entry in entries {
                let value = relocated(entry.value, path: Self.path(path, key: entry.key), depth: depth + 1)
                copies.append(ConfigNode.Entry(key: entry.key, keyLocation: entry.keyLocation, value: value))
            }
            return ConfigNode(.mapping(copies), location: node.location, path: path)
        }
    }

    /// The core schema's typed scalar tags, with what each says its value is.
    private static let typedTags = [
        "tag:yaml.org,2002:int": "a whole number", "tag:yaml.org,2002:float": "a number",
        "tag:yaml.org,2002:bool": "true or false", nullTag: "empty",
    ]

    /// What is wrong with a scalar whose tag (`!!int`, `!!float`, `!!bool`, `!!null`) says
    /// it is something its text is not; nil when they agree or the tag says nothing of type.
    private static func disagreement(_ text: String, tag: String) -> String? {
        guard let kind = typedTags[tag] else { return nil }
        let digits = String(text.filter { $0 != "_" })
        let agrees = switch tag {
        case "tag:yaml.org,2002:int": Int(digits) != nil
        case "tag:yaml.org,2002:float":
            Double(digits) != nil || [".inf", "+.inf", "-.inf", ".nan"].contains(text.lowercased())
        case "tag:yaml.org,2002:bool": ConfigNode.parseBool(text) != nil
        default: ["", "~", "null", "Null", "NULL"].contains(text)
        }
        guard !agrees else { return nil }
        let shown = "!!" + tag.dropFirst(standardTagPrefix.count)
        let value = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return "`\(value.escapingControlCharacters())` is not \(kind), as its tag `\(shown)` says; "
            + "correct the value or remove the tag"
    }

    /// Reports a tag written on a value, unless it is one of `allowed`.
    private mutating func checkTag(_ tag: String, allowed: [String], at location: SourceLocation, path: String) {
        guard !tag.isEmpty, tag != Self.nonSpecificTag, !allowed.contains(tag) else { return }
        let shown = tag.hasPrefix(Self.standardTagPrefix) ? "!!" + tag.dropFirst(Self.standardTagPrefix.count) : tag
        issues.append(ConfigIssue(.error, at: location, path: path,
                                  "the YAML tag `\(shown)` is not supported here; remove it and write a plain value"))
    }

    // MARK: Reading libyaml's values

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: mark.line + 1, column: mark.column + 1)
    }

    private static func path(_ parent: String, key: String) -> String {
        parent.isEmpty ? key : parent + "." + key
    }

    private static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// A NUL-terminated libyaml string (an anchor or a tag), or nil.
    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func isQuoted(_ style: yaml_scalar_style_t) -> Bool {
        style == YAML_SINGLE_QUOTED_SCALAR_STYLE || style == YAML_DOUBLE_QUOTED_SCALAR_STYLE
            || style == YAML_LITERAL_SCALAR_STYLE || style == YAML_FOLDED_SCALAR_STYLE
    }

    /// Plain scalars YAML reads as null: nothing, `~`, `null`, `Null`, `NULL`.
    private static func isNullSpelling(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        switch bytes.count {
        case 0:
            return true
        case 1:
            return bytes[0] == UInt8(ascii: "~")
        case 4:
            let (n, u, l, l2) = (bytes[0], bytes[1], bytes[2], bytes[3])
            return (n == UInt8(ascii: "n") && u == UInt8(ascii: "u") && l == UInt8(ascii: "l") && l2 == UInt8(ascii: "l"))
                || (n == UInt8(ascii: "N") && u == UInt8(ascii: "u") && l == UInt8(ascii: "l") && l2 == UInt8(ascii: "l"))
                || (n == UInt8(ascii: "N") && u == UInt8(ascii: "U") && l == UInt8(ascii: "L") && l2 == UInt8(ascii: "L"))
        default:
            return false
        }
    }
}
