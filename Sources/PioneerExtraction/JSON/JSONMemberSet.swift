// The members of each streamed element a JSONPath reads: `$.data[?@.band == '85+'].admissions`
// reads `band` and `admissions`, so the other members of each of a million rows are checked
// for syntax and skipped rather than built into strings, numbers and dictionaries.

/// A few object member names, matched against a key's bytes without making a String of it.
struct JSONMemberSet: Sendable {
    private let names: [String]
    private let bytes: [[UInt8]]

    init(_ names: some Sequence<String>) {
        var unique: [String] = []
        for name in names where !unique.contains(where: { $0.utf8.elementsEqual(name.utf8) }) {
            unique.append(name)
        }
        self.names = unique
        bytes = unique.map { Array($0.utf8) }
    }

    var count: Int { names.count }

    /// The name whose UTF-8 is `raw` (a key written without escapes), or nil.
    func name(matching raw: UnsafeBufferPointer<UInt8>) -> String? {
        for (offset, candidate) in bytes.enumerated() where candidate.count == raw.count && candidate.elementsEqual(raw) {
            return names[offset]
        }
        return nil
    }

    /// The name equal to `key` code point by code point, or nil.
    func name(matching key: String) -> String? {
        names.first { $0.utf8.elementsEqual(key.utf8) }
    }
}
