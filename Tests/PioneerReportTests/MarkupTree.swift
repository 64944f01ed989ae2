// Reads the report's SVG (well-formed XML inside the HTML) into a tree, so tests check the
// structure (which elements, which attributes, in which order) rather than searching strings.
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One element of a parsed SVG fragment.
final class MarkupNode {
    let name: String
    let attributes: [String: String]
    var children: [MarkupNode] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// The `class` attribute's words.
    var classes: Set<String> { Set((attributes["class"] ?? "").split(separator: " ").map(String.init)) }

    /// Every element below this one, depth first, in document order.
    var descendants: [MarkupNode] { children.flatMap { [$0] + $0.descendants } }

    func all(_ name: String, class word: String? = nil) -> [MarkupNode] {
        descendants.filter { $0.name == name && (word == nil || $0.classes.contains(word!)) }
    }

    func first(_ name: String, class word: String? = nil) -> MarkupNode? { all(name, class: word).first }

    /// The text of this element and everything in it.
    var allText: String { text + children.map(\.allText).joined() }

    func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }

    /// Parses one well-formed XML fragment; nil with the parser's complaint when it is not.
    static func parse(_ xml: String) throws -> MarkupNode {
        let builder = Builder()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw MarkupError(description: "not well-formed XML (\(parser.parserError.map { "\($0)" } ?? "no root")): \(xml.prefix(300))")
        }
        return root
    }

    /// Every `<svg …>…</svg>` in `html` whose opening tag has `class="<word>"`, parsed.
    static func svgs(in html: String, class word: String) throws -> [MarkupNode] {
        var found: [MarkupNode] = []
        var rest = html[...]
        while let open = rest.range(of: "<svg class=\"\(word)"), let close = rest.range(of: "</svg>", range: open.upperBound..<rest.endIndex) {
            found.append(try parse(String(rest[open.lowerBound..<close.upperBound])))
            rest = rest[close.upperBound...]
        }
        return found
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: MarkupNode?
        var stack: [MarkupNode] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let node = MarkupNode(name: name, attributes: attributes)
            if let parent = stack.last { parent.children.append(node) } else { root = node }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }
    }
}

struct MarkupError: Error, CustomStringConvertible {
    var description: String
}

/// The numbers of an SVG path's `d` attribute, as (x, y) pairs: `M1 2 L3 4` → [(1, 2), (3, 4)].
func pathPoints(_ d: String) -> [(x: Double, y: Double)] {
    let numbers = d.split(whereSeparator: { $0 == " " || $0 == "," || $0.isLetter }).compactMap { Double($0) }
    return stride(from: 0, to: numbers.count - 1, by: 2).map { (numbers[$0], numbers[$0 + 1]) }
}
