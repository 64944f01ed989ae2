// The members of each streamed element a JSONPath reads: `$.data[?@.band == '85+'].admissions`
// reads `band` and `admissions`, so the other members of each of a million rows are checked
// for syntax and skipped rather than built into strings, numbers and dictionaries.

import Foundation

/// A few object member names, matched against a key's bytes without making a String of it.
struct JSONMemberSet: Sendable {
    let names: [String]
    /// Every name's UTF-8 and where each ends, in memory that never moves: a key is compared
    /// with every name of every element, and a ``View`` of it is passed to the parser as plain
    /// pointers, so the comparison takes no reference count (retaining and releasing the
    /// arrays for each key was a tenth of streaming a large export).
    private let storage: Storage

    init(_ names: some Sequence<String>) {
        var unique: [String] = []
        for name in names where !unique.contains(where: { $0.utf8.elementsEqual(name.utf8) }) {
            unique.append(name)
        }
        self.names = unique
        storage = Storage(unique)
    }

    var count: Int { names.count }

    /// Calls `body` with the names as pointers, valid for the call.
    func withView<R, E: Error>(_ body: (View) throws(E) -> R) throws(E) -> R {
        defer { withExtendedLifetime(storage) {} }
        return try body(storage.view)
    }

    /// The names' UTF-8 one after the other, and where each ends.
    struct View {
        fileprivate let arena: UnsafePointer<UInt8>
        fileprivate let ends: UnsafeBufferPointer<Int>

        /// The place among the names (in the order given, each once) of the one whose UTF-8 is `raw`.
        func slot(matching raw: UnsafeBufferPointer<UInt8>) -> Int? {
            var start = 0
            for slot in 0..<ends.count {
                let end = ends[slot]
                defer { start = end }
                guard end - start == raw.count else { continue }
                if Self.same(raw, arena + start) { return slot }
            }
            return nil
        }

        /// Whether `raw` holds the bytes at `name` (as many): member names are short, and a
        /// loop in place costs less than a call to `memcmp` for each key of each element.
        @inline(__always)
        private static func same(_ raw: UnsafeBufferPointer<UInt8>, _ name: UnsafePointer<UInt8>) -> Bool {
            guard let base = raw.baseAddress else { return true }
            let count = raw.count
            if count > 16 { return memcmp(base, name, count) == 0 }
            var index = 0
            while index < count {
                if base[index] != name[index] { return false }
                index += 1
            }
            return true
        }

        /// The place among the names of the one equal to `key` code point by code point
        /// (byte by byte in UTF-8).
        func slot(matching key: String) -> Int? {
            var key = key
            return key.withUTF8 { slot(matching: $0) }
        }
    }

    /// The memory of a ``View``, freed with the last copy of the set.
    private final class Storage: Sendable {
        // Sendable: written once in init, only read after.
        nonisolated(unsafe) let view: View

        init(_ names: [String]) {
            let bytes = names.flatMap { Array($0.utf8) }
            let arena = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
            arena.initialize(from: bytes, count: bytes.count)
            let ends = UnsafeMutableBufferPointer<Int>.allocate(capacity: names.count)
            var end = 0
            for (slot, name) in names.enumerated() {
                end += name.utf8.count
                ends[slot] = end
            }
            view = View(arena: arena, ends: UnsafeBufferPointer(ends))
        }

        deinit {
            UnsafeMutablePointer(mutating: view.arena).deallocate()
            UnsafeMutablePointer(mutating: view.ends.baseAddress)?.deallocate()
        }
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
