// The members of each streamed element a JSONPath reads: `$.data[?@.band == '85+'].admissions`
// reads `band` and `admissions`, so the other members of each of a million rows are checked
// for syntax and skipped rather than built into strings, numbers and dictionaries. A filter
// on a member inside a member (`@.patient.band`, `@.resource.status` in a FHIR bundle) reads
// the inner member the same way, without building the object around it.

import Foundation

/// A few object member names, matched against a key's bytes without making a String of it.
///
/// A name may have members of its own to read inside it (`@.patient.band` reads `band` inside
/// `patient`): its slot then holds nothing, and the inner names have slots after this level's,
/// numbered on through every level, so one buffer of ``count`` values holds them all.
struct JSONMemberSet: Sendable {
    let names: [String]
    /// For each name, the members read inside it, or nil when its value itself is read.
    let children: [JSONMemberSet?]
    /// Slots of this level and of every level inside it.
    let count: Int
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
        self.init(unique: unique, children: Array(repeating: nil, count: unique.count))
    }

    private init(unique: [String], children: [JSONMemberSet?]) {
        names = unique
        self.children = children
        count = unique.count + children.reduce(0) { $0 + ($1?.count ?? 0) }
        storage = Storage(unique, children: children)
    }

    /// The members at the ends of `paths` (`["patient", "band"]` for `@.patient.band`), and
    /// each path's slot, in the order given; nil when a path is empty or leads inside another
    /// (`@.patient` and `@.patient.band`: the first needs the value the second goes into).
    static func reading(_ paths: [[String]]) -> (set: JSONMemberSet, slots: [Int])? {
        guard !paths.contains(where: \.isEmpty) else { return nil }
        // This level's names, in the order they first appear, and the paths under each.
        var names: [String] = []
        var under: [[(path: Int, rest: [String])]] = []
        for (index, path) in paths.enumerated() {
            let position: Int
            if let known = names.firstIndex(where: { $0.utf8.elementsEqual(path[0].utf8) }) {
                position = known
            } else {
                names.append(path[0])
                under.append([])
                position = names.count - 1
            }
            under[position].append((index, Array(path.dropFirst())))
        }
        var children: [JSONMemberSet?] = []
        var slots = Array(repeating: 0, count: paths.count)
        var next = names.count
        for (position, entries) in under.enumerated() {
            let ends = entries.filter { $0.rest.isEmpty }
            if ends.count == entries.count {
                // The same path given twice reads one slot.
                for entry in entries { slots[entry.path] = position }
                children.append(nil)
                continue
            }
            guard ends.isEmpty, let (child, childSlots) = reading(entries.map(\.rest)) else { return nil }
            for (entry, slot) in zip(entries, childSlots) { slots[entry.path] = next + slot }
            next += child.count
            children.append(child)
        }
        return (JSONMemberSet(unique: names, children: children), slots)
    }

    /// Calls `body` with the names as pointers, valid for the call.
    func withView<R, E: Error>(_ body: (View) throws(E) -> R) throws(E) -> R {
        defer { withExtendedLifetime(storage) {} }
        return try body(storage.view)
    }

    /// The names' UTF-8 one after the other, and where each ends; for a name read inside,
    /// the view of its members and where their slots start.
    struct View {
        fileprivate let arena: UnsafePointer<UInt8>
        fileprivate let ends: UnsafeBufferPointer<Int>
        /// Per name: nil, or the inner view and the first slot of its members (relative to
        /// this level's first), and how many slots they take.
        fileprivate let inner: UnsafeBufferPointer<Inner?>

        struct Inner {
            let view: View
            let firstSlot: Int
            let count: Int
        }

        /// The members read inside the name in `slot`, or nil when its value itself is read.
        @inline(__always)
        func inside(_ slot: Int) -> Inner? {
            inner.isEmpty ? nil : inner[slot]
        }

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

    /// The memory of a ``View``, freed with the last copy of the set (the inner levels' with
    /// their sets, which it keeps).
    private final class Storage: Sendable {
        // Sendable: written once in init, only read after.
        nonisolated(unsafe) let view: View
        private let children: [JSONMemberSet?]

        init(_ names: [String], children: [JSONMemberSet?]) {
            self.children = children
            let bytes = names.flatMap { Array($0.utf8) }
            let arena = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
            arena.initialize(from: bytes, count: bytes.count)
            let ends = UnsafeMutableBufferPointer<Int>.allocate(capacity: names.count)
            var end = 0
            for (slot, name) in names.enumerated() {
                end += name.utf8.count
                ends[slot] = end
            }
            var inner = UnsafeMutableBufferPointer<View.Inner?>(start: nil, count: 0)
            if children.contains(where: { $0 != nil }) {
                inner = .allocate(capacity: names.count)
                var next = names.count
                for (slot, child) in children.enumerated() {
                    if let child {
                        inner.initializeElement(at: slot, to: View.Inner(view: child.storage.view, firstSlot: next, count: child.count))
                        next += child.count
                    } else {
                        inner.initializeElement(at: slot, to: nil)
                    }
                }
            }
            view = View(arena: arena, ends: UnsafeBufferPointer(ends), inner: UnsafeBufferPointer(inner))
        }

        deinit {
            UnsafeMutablePointer(mutating: view.arena).deallocate()
            UnsafeMutablePointer(mutating: view.ends.baseAddress)?.deallocate()
            UnsafeMutablePointer(mutating: view.inner.baseAddress)?.deallocate()
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
