// A return's canonical text read straight from the bytes it arrived as. A return pioneer
// wrote (canonical or indented: keys sorted, numbers and strings as JSONEncoder writes them)
// is its canonical encoding plus whitespace between tokens plus the root's `digest` member,
// so dropping those two gives exactly the bytes that were digested. Checking a digest that
// way is one pass over the bytes instead of encoding the decoded return again, which was a
// third of the intake service's time per submission; bytes written any other way (keys
// reordered, numbers spelt differently) do not match and are checked by encoding.

import Foundation

/// The digested text of a JSON return, from its bytes.
enum CanonicalText {
    /// `bytes` without whitespace outside strings and without the root object's `digest`
    /// member, or nil when they are not one JSON object with exactly one such member.
    static func withoutDigest(_ bytes: [UInt8]) -> [UInt8]? {
        var inString = false
        var depth = 0
        var expectingKey = false
        var balanced = true
        // Where each of the root object's members starts in `text`, and where its commas are.
        var memberStarts: [Int] = []
        var rootCommas: [Int] = []
        // One pass from buffer to buffer: every submission to the intake service goes through
        // here, and appending to an array byte by byte was the largest single cost of its check.
        var text = [UInt8](unsafeUninitializedCapacity: bytes.count) { out, written in
            var count = 0
            bytes.withUnsafeBufferPointer { input in
                guard let base = input.baseAddress, let target = out.baseAddress else { return }
                let end = input.count
                var index = 0
                while index < end {
                    if inString {
                        // A string's run up to its next quote or backslash, found by memchr
                        // and copied at once: most of a return's bytes are inside strings.
                        let quote = Self.offset(of: UInt8(ascii: "\""), in: base, from: index, to: end)
                        let stop = Self.offset(of: UInt8(ascii: "\\"), in: base, from: index, to: quote)
                        (target + count).initialize(from: base + index, count: stop - index)
                        count += stop - index
                        index = stop
                        guard index < end else { break }
                        out[count] = base[index]
                        count += 1
                        if base[index] == UInt8(ascii: "\\") {
                            // The escaped byte is copied whatever it is, and the string goes on.
                            if index + 1 < end {
                                out[count] = base[index + 1]
                                count += 1
                            }
                            index += 2
                        } else {
                            inString = false
                            index += 1
                        }
                        continue
                    }
                    let byte = base[index]
                    index += 1
                    switch byte {
                    case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                        continue
                    case UInt8(ascii: "\""):
                        if depth == 1 && expectingKey {
                            memberStarts.append(count)
                            expectingKey = false
                        }
                        inString = true
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        depth += 1
                        if depth == 1 { expectingKey = byte == UInt8(ascii: "{") }
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth < 0 { balanced = false }
                    case UInt8(ascii: ","):
                        if depth == 1 {
                            rootCommas.append(count)
                            expectingKey = true
                        }
                    default:
                        break
                    }
                    out[count] = byte
                    count += 1
                }
            }
            written = count
        }
        guard balanced else { return nil }
        guard !inString, depth == 0, text.first == UInt8(ascii: "{"), text.last == UInt8(ascii: "}") else { return nil }

        let key = Array(#""digest":"#.utf8)
        let digestMembers = memberStarts.filter { start in
            start + key.count <= text.count && text[start..<(start + key.count)].elementsEqual(key)
        }
        guard digestMembers.count == 1, let start = digestMembers.first else { return nil }
        if let comma = rootCommas.first(where: { $0 > start }) {
            // Not the last member: drop it with the comma after it.
            text.removeSubrange(start...comma)
        } else if let comma = rootCommas.last(where: { $0 < start }) {
            // The last member: drop the comma before it, up to the closing brace.
            text.removeSubrange(comma..<(text.count - 1))
        } else {
            text.removeSubrange(start..<(text.count - 1))
        }
        return text
    }

    /// The offset of the first `byte` in `base[start..<end]`, or `end` when there is none.
    private static func offset(of byte: UInt8, in base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        guard start < end, let found = memchr(base + start, Int32(byte), end - start) else { return end }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }
}
