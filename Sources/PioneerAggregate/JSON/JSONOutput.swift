// Writing the aggregate's JSON straight into bytes, the same bytes JSONEncoder gives with
// `[.sortedKeys, .withoutEscapingSlashes]`: at national scale the answer is tens of
// megabytes, and JSONEncoder's tree of boxed values took nearly half the time spent answering.
//
// Each type writes its own keys in a fixed order that is already sorted as JSONEncoder sorts
// them (by UTF-8 bytes), leaves out a nil optional as `encodeIfPresent` does, and writes a
// number as JSONEncoder does; the tests compare the bytes with JSONEncoder's.

/// A type written as one JSON object.
package protocol JSONWritable {
    /// Writes the object's members, keys in JSONEncoder's sorted order.
    func writeMembers(to out: inout JSONOutput) throws(JSONOutput.NonFiniteNumber)
}

/// A compact JSON text being written: keys, strings, numbers, objects and arrays.
package struct JSONOutput {
    /// JSON has no NaN or infinity; JSONEncoder refuses them, and so does this.
    package struct NonFiniteNumber: Error, CustomStringConvertible {
        package var key: String
        package var value: Double

        package var description: String {
            "`\(key)` is \(value), which JSON cannot carry (it has no NaN or infinity)"
        }
    }

    package private(set) var bytes: [UInt8] = []
    /// Whether the next value or key follows another in the same object or array.
    private var needsComma = false

    package init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// The JSON text of `value`.
    package static func bytes(of value: some JSONWritable, capacity: Int = 4096) throws(NonFiniteNumber) -> [UInt8] {
        var out = JSONOutput(capacity: capacity)
        try out.object(value)
        return out.bytes
    }

    // MARK: Containers

    package mutating func object(_ value: some JSONWritable) throws(NonFiniteNumber) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        try value.writeMembers(to: &self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    private mutating func openArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    private mutating func closeArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Starts the member `name`, a key that needs no escaping (a Swift property name).
    package mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    // MARK: Members

    package mutating func field(_ name: StaticString, _ value: some JSONWritable) throws(NonFiniteNumber) {
        key(name)
        try object(value)
    }

    /// A member written only when `value` is not nil, as `encodeIfPresent` does.
    package mutating func field(_ name: StaticString, _ value: (some JSONWritable)?) throws(NonFiniteNumber) {
        guard let value else { return }
        try field(name, value)
    }

    package mutating func field(_ name: StaticString, _ values: [some JSONWritable]) throws(NonFiniteNumber) {
        key(name)
        openArray()
        for value in values { try object(value) }
        closeArray()
    }

    package mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    package mutating func field(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        field(name, value)
    }

    package mutating func field(_ name: StaticString, _ values: [String]) {
        key(name)
        openArray()
        for value in values { string(value) }
        closeArray()
    }

    package mutating func field(_ name: StaticString, _ value: Int) {
        key(name)
        separate()
        integer(value.magnitude, negative: value < 0)
    }

    package mutating func field(_ name: StaticString, _ value: Int?) {
        guard let value else { return }
        field(name, value)
    }

    package mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        separate()
        bytes.append(contentsOf: value ? Self.trueText : Self.falseText)
    }

    package mutating func field(_ name: StaticString, _ value: Double) throws(NonFiniteNumber) {
        key(name)
        try number(value, key: name)
    }

    package mutating func field(_ name: StaticString, _ value: Double?) throws(NonFiniteNumber) {
        guard let value else { return }
        try field(name, value)
    }

    package mutating func field<Value: RawRepresentable<String>>(_ name: StaticString, _ value: Value) {
        field(name, value.rawValue)
    }

    package mutating func field<Value: RawRepresentable<String>>(_ name: StaticString, _ value: Value?) {
        guard let value else { return }
        field(name, value.rawValue)
    }

    private static let trueText = Array("true".utf8)
    private static let falseText = Array("false".utf8)

    // MARK: Values

    /// `text` as a JSON string, escaped as JSONEncoder escapes it with `.withoutEscapingSlashes`:
    /// `"` and `\` by a backslash, control characters as `\b \f \n \r \t` or lower-case
    /// `\u00XX`; everything else, `/` and non-ASCII included, as it is.
    package mutating func string(_ text: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        let written: Void? = text.utf8.withContiguousStorageIfAvailable { appendEscaped($0) }
        if written == nil {
            Array(text.utf8).withUnsafeBufferPointer { appendEscaped($0) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var mark = 0
        for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[mark..<index]))
            mark = index + 1
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            default:
                bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                          Self.hexDigit(byte >> 4), Self.hexDigit(byte & 0xF)])
            }
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[mark...]))
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    /// `value` as JSONEncoder writes a Double: its shortest round-tripping `description`
    /// without a trailing `.0` (`3`, `0.1`, `1e-07`, `1e+21`, `-0`).
    package mutating func number(_ value: Double, key: StaticString) throws(NonFiniteNumber) {
        guard value.isFinite else { throw NonFiniteNumber(key: key.description, value: value) }
        separate()
        // A whole number below 10¹⁵ is written in full by `description`, plus `.0`: its digits
        // are written here without making a String. −0 keeps its sign, as `description` does.
        if value.magnitude < 1e15, value.rounded(.towardZero) == value, !(value == 0 && value.sign == .minus) {
            integer(UInt64(value.magnitude), negative: value < 0)
            return
        }
        let text = value.description
        let utf8 = text.utf8
        if text.hasSuffix(".0") {
            bytes.append(contentsOf: utf8.prefix(utf8.count - 2))
        } else {
            bytes.append(contentsOf: utf8)
        }
    }

    private mutating func integer(_ magnitude: some UnsignedInteger & FixedWidthInteger, negative: Bool) {
        if negative { bytes.append(UInt8(ascii: "-")) }
        var rest = UInt64(magnitude)
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        bytes[start...].reverse()
    }
}
