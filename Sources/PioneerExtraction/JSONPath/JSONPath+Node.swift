// A selected node and where it sits in the document, written as an RFC 9535 §2.7 normalized path.
import PioneerKit

extension JSONPath {
    /// A value a query selected, with its normalized path: `$['data'][3]['admissions']`.
    public struct Node: Sendable {
        public let value: JSONValue
        private let place: Place

        /// Where the node is: a chain of steps, or (for a member of a streamed element, of
        /// which there may be millions and whose place is rarely written out) the element's
        /// array, its index and the member's name, chained only when asked for.
        private enum Place: Sendable {
            case located(Location?)
            case member(array: Location, index: Int, name: String)
            case element(array: Location, index: Int)
        }

        init(value: JSONValue, location: Location?) {
            self.value = value
            place = .located(location)
        }

        /// Member `name` of element `index` of the array at `array`, or the element itself when
        /// `name` is nil.
        init(value: JSONValue, array: Location, index: Int, member name: String?) {
            self.value = value
            place = name.map { .member(array: array, index: index, name: $0) } ?? .element(array: array, index: index)
        }

        var location: Location? {
            switch place {
            case .located(let location):
                return location
            case .member(let array, let index, let name):
                return Location(parent: Location(parent: array, step: .index(index)), step: .name(name))
            case .element(let array, let index):
                return Location(parent: array, step: .index(index))
            }
        }

        /// The normalized path of the node, the one way RFC 9535 writes its place in the document.
        public var path: String {
            location?.normalizedPath ?? "$"
        }

        func child(_ value: JSONValue, _ step: Location.Step, locate: Bool) -> Node {
            Node(value: value, location: locate ? Location(parent: location, step: step) : nil)
        }
    }

    /// A node's place as a chain to its parent: each step costs one small allocation, and the
    /// path is only written out when a message needs it.
    final class Location: Sendable {
        enum Step: Sendable {
            case name(String)
            case index(Int)
        }

        let parent: Location?
        let step: Step?

        init(parent: Location?, step: Step?) {
            self.parent = parent
            self.step = step
        }

        static let root = Location(parent: nil, step: nil)

        var normalizedPath: String {
            var steps: [Step] = []
            var location: Location? = self
            while let current = location {
                if let step = current.step { steps.append(step) }
                location = current.parent
            }
            var path = "$"
            for step in steps.reversed() {
                switch step {
                case .index(let index): path += "[\(index)]"
                case .name(let name): path += "['" + Self.escaped(name) + "']"
                }
            }
            return path
        }

        /// §2.7: `\b \f \n \r \t \' \\`, other control characters as lowercase `\u00XX`, the rest as is.
        static func escaped(_ name: String) -> String {
            var text = ""
            JSONText.appendEscaped(name, quote: "'", to: &text)
            return text
        }
    }
}
