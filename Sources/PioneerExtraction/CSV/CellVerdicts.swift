// Whether a CSV cell passes a `where` filter, remembered by the cell's bytes: an export
// repeats a few values (`85+`, `home`) millions of times, and looking the bytes up costs
// far less than making a String of each cell, folding its case and hashing it.

/// Verdicts of one filter for the distinct cells seen, keyed by their raw bytes.
///
/// At most ``limit`` cells are remembered (a column of identifiers would otherwise grow
/// without end); a cell not remembered is judged the slow way each time it comes.
struct CellVerdicts {
    static let limit = 4096

    /// The remembered cells' bytes, one after the other.
    private var arena: [UInt8] = []
    private var entries: [Entry] = []
    /// Open addressing: each slot holds an index into `entries` plus one, or 0 when free.
    private var slots: [Int32] = Array(repeating: 0, count: 2 * limit)

    private struct Entry {
        var start: Int
        var count: Int
        /// The first eight bytes (fewer for a shorter cell, the rest zero), for one comparison.
        var head: UInt64
        var passes: Bool
    }

    /// Up to the first eight bytes of `cell` as one number, the missing ones zero.
    @inline(__always)
    private static func head(_ cell: UnsafeRawBufferPointer) -> UInt64 {
        // Shifted in from the bytes: a copy through memory stalls the load that follows it.
        var head: UInt64 = 0
        for index in 0..<min(cell.count, 8) { head |= UInt64(cell[index]) << (8 * index) }
        return head
    }

    /// The verdict remembered for `cell`, or nil when it has not been seen (or not kept).
    func verdict(_ cell: UnsafeRawBufferPointer) -> Bool? {
        let head = Self.head(cell)
        // A column of a few values (age bands, outcomes) is searched faster than hashed: a
        // cell of up to eight bytes is compared as one number.
        let searched = entries.withUnsafeBufferPointer { entries -> Bool? in
            for found in entries.prefix(Self.searched)
            where found.count == cell.count && found.head == head && (cell.count <= 8 || same(found, cell)) {
                return found.passes
            }
            return nil
        }
        if let searched { return searched }
        guard entries.count > Self.searched else { return nil }
        var slot = Self.hash(cell) & (slots.count - 1)
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return nil }
            let found = entries[entry - 1]
            if found.count == cell.count && found.head == head && same(found, cell) { return found.passes }
            slot = (slot + 1) & (slots.count - 1)
        }
    }

    /// The first cells, searched one by one before the table is hashed.
    private static let searched = 8

    /// Whether the bytes of `entry` are `cell` (of the same count): a plain loop over short cells.
    private func same(_ entry: Entry, _ cell: UnsafeRawBufferPointer) -> Bool {
        arena.withUnsafeBytes { stored in
            for offset in 0..<cell.count where stored[entry.start + offset] != cell[offset] { return false }
            return true
        }
    }

    /// Remembers the verdict for `cell`, while there is room.
    mutating func remember(_ cell: UnsafeRawBufferPointer, passes: Bool) {
        guard entries.count < Self.limit, verdict(cell) == nil else { return }
        var slot = Self.hash(cell) & (slots.count - 1)
        while slots[slot] != 0 { slot = (slot + 1) & (slots.count - 1) }
        entries.append(Entry(start: arena.count, count: cell.count, head: Self.head(cell), passes: passes))
        arena.append(contentsOf: cell)
        slots[slot] = Int32(entries.count)
    }

    /// Swift's seeded hash, so a column crafted to collide cannot slow the lookups down.
    private static func hash(_ cell: UnsafeRawBufferPointer) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: cell)
        return hasher.finalize()
    }
}
