// The members of each streamed element a JSONPath reads: `$.data[?@.band == '85+'].admissions`
// reads `band` and `admissions`, so the other members of each of a million rows are checked
// for syntax and skipped rather than built into strings, numbers and dictionaries.

import Foundation

/// A few object member names, matched against a key's bytes without making a String of it.
struct JSONMemberSet: Sendable {
    let names: [String]
    /// Every name's UTF-8, one after the other, and where each ends: a key is compared with
    /// every name of every element, so the comparison reads one array, not one per name.
    private let arena: [UInt8]
    private let ends: [Int]

    init(_ names: some Sequence<String>) {
        var unique: [String] = []
        for name in names where !unique.contains(where: { $0.utf8.elementsEqual(name.utf8) }) {
            unique.append(name)
        }
        self.names = unique
        arena = unique.flatMap { Array($0.utf8) }
        var end = 0
        ends = unique.map { name in
            end += name.utf8.count
            return end
        }
    }

    var count: Int { names.count }

    /// The place among the names (in the order given, each once) of the one whose UTF-8 is `raw`.
    func slot(matching raw: UnsafeBufferPointer<UInt8>) -> Int? {
        arena.withUnsafeBufferPointer { arena in
            ends.withUnsafeBufferPointer { ends in
                var start = 0
                for (slot, end) in ends.enumerated() {
                    defer { start = end }
                    guard end - start == raw.count else { continue }
                    if raw.count == 0 || memcmp(raw.baseAddress!, arena.baseAddress! + start, raw.count) == 0 { return slot }
                }
                return nil
            }
        }
    }

    /// The place among the names of the one equal to `key` code point by code point.
    func slot(matching key: String) -> Int? {
        names.firstIndex { $0.utf8.elementsEqual(key.utf8) }
    }
}

/// A member of an object as ``JSONParser/readMembers(_:depth:members:into:)`` reads it, valid
/// while the bytes it was read from are.
enum JSONMemberValue {
    case absent
    case number(Double)
    /// A string written without escapes, its UTF-8 checked.
    case text(UnsafeBufferPointer<UInt8>)
    case value(JSONValue)

    /// The member as a value; nil when absent.
    var value: JSONValue? {
        switch self {
        case .absent: return nil
        case .number(let number): return .number(number)
        case .text(let utf8): return .string(String(decoding: utf8, as: UTF8.self))
        case .value(let value): return value
        }
    }
}
