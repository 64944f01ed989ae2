// A window onto JSON bytes read a piece at a time: the streaming reader walks it, keeps
// only what it has marked (one array element, one key) and throws the rest away, while
// still able to say on which line and column any byte was.
import Foundation

/// The bytes of a JSON body seen through a buffer that is refilled from a file or memory.
///
/// ``index`` is the read position. Bytes before it are dropped at the next refill unless
/// ``mark`` holds them; a marked span larger than ``keepLimit`` is refused rather than
/// letting memory grow with the body.
///
/// One scanner on one thread uses a stream, and it is read a few times for every element of a
/// large array, so its position is exempt from Swift's run-time exclusivity checks.
final class JSONByteStream {
    @exclusivity(unchecked) private(set) var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Read position and end of the valid bytes in ``buffer``.
    @exclusivity(unchecked) var index = 0
    @exclusivity(unchecked) private(set) var end = 0
    /// Bytes from here on are kept across refills.
    @exclusivity(unchecked) var mark: Int?
    /// The most bytes a marked span may hold.
    let keepLimit: Int
    private let source: (UnsafeMutableRawBufferPointer) throws -> Int
    /// Moves the source to a byte offset of the body, for ``jump(to:line:column:)``; nil when it cannot.
    private let seek: ((Int) -> Void)?
    private var finished = false
    /// Bytes of the body before ``buffer``'s first.
    private var dropped = 0

    /// Where ``buffer``'s first byte sits in the body, and the line/column count up to it.
    private var droppedLines = 0
    /// Characters after the last line feed dropped so far (all of them when none was).
    private var droppedColumn = 0

    /// A stream over `source`, which fills the buffer it is given and returns how many bytes
    /// it wrote, 0 at the end.
    /// `seek`, when given, moves `source` to a byte offset of the body.
    init(chunkSize: Int = 1 << 20, keepLimit: Int, source: @escaping (UnsafeMutableRawBufferPointer) throws -> Int,
         seek: ((Int) -> Void)? = nil) {
        capacity = max(chunkSize, 64)
        buffer = .allocate(capacity: capacity)
        self.keepLimit = keepLimit
        self.source = source
        self.seek = seek
    }

    /// Where the read position is in the body, counted from the source's first byte.
    var offset: Int { dropped + index }

    /// Whether ``jump(to:line:column:)`` can be used: the source can seek and nothing is marked.
    var canJump: Bool { seek != nil && mark == nil }

    /// Goes on reading from byte `offset` of the body, which is at `line` and `column`
    /// (1-based), the bytes in between not read: another reader has read and checked them.
    func jump(to offset: Int, line: Int, column: Int) {
        precondition(canJump, "a stream jumps only with a seekable source and nothing marked")
        seek?(offset)
        dropped = offset
        index = 0
        end = 0
        finished = false
        droppedLines = line - 1
        droppedColumn = column - 1
    }

    deinit {
        buffer.deallocate()
    }

    /// Reads more bytes after ``end``; false at the end of the body.
    func refill() throws -> Bool {
        guard !finished else { return false }
        let keep = min(mark ?? index, index)
        if keep > 0 {
            account(upTo: keep)
            dropped += keep
            let remaining = end - keep
            if remaining > 0 { (buffer).update(from: buffer + keep, count: remaining) }
            end = remaining
            index -= keep
            if let marked = mark { mark = marked - keep }
        }
        if end == capacity {
            if end >= keepLimit { throw limitReached() }
            let grown = min(capacity * 2, keepLimit + 1)
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
            larger.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = larger
            capacity = grown
        }
        let count = try source(UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
        guard count > 0 else {
            finished = true
            return false
        }
        end += count
        if let marked = mark, end - marked > keepLimit { throw limitReached() }
        return true
    }

    /// The error for a held span past ``keepLimit``, naming where the span starts.
    private func limitReached() -> JSONStreamLimit {
        let (line, column) = position(of: mark ?? index)
        return JSONStreamLimit(limit: keepLimit, line: line, column: column)
    }

    /// The byte at ``index``, reading more when needed; nil at the end of the body.
    @inline(__always)
    func peek() throws -> UInt8? {
        if index < end { return buffer[index] }
        return try refill() ? buffer[index] : nil
    }

    /// The bytes from ``index`` to the end of those read so far.
    var available: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: buffer + index, count: end - index)
    }

    /// The marked bytes up to ``index``.
    var marked: UnsafeBufferPointer<UInt8> {
        let start = mark ?? index
        return UnsafeBufferPointer(start: buffer + start, count: index - start)
    }

    /// Counts lines and characters in the bytes about to be dropped.
    private func account(upTo offset: Int) {
        let (lines, column) = Self.count(buffer, upTo: offset)
        if lines > 0 {
            droppedLines += lines
            droppedColumn = column
        } else {
            droppedColumn += column
        }
    }

    /// Line feeds in the first `offset` bytes, and the characters after the last of them.
    private static func count(_ bytes: UnsafeMutablePointer<UInt8>, upTo offset: Int) -> (lines: Int, column: Int) {
        // Every byte of a large body passes here once, as it is dropped: the lines are counted
        // a word at a time, the characters only after the last line feed.
        var lines = 0
        var position = 0
        let raw = UnsafeRawPointer(bytes)
        while offset - position >= 8 * 255 {
            // Eight bytes at a time: each byte of `found` is 1 exactly where that byte of the
            // word is a line feed. Up to 255 words are added bytewise, then summed.
            var sums: UInt64 = 0
            for word in 0..<255 {
                let bits = raw.loadUnaligned(fromByteOffset: position &+ 8 &* word, as: UInt64.self) ^ 0x0A0A_0A0A_0A0A_0A0A
                let low = (bits & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F
                sums &+= (~(low | bits | 0x7F7F_7F7F_7F7F_7F7F)) >> 7
            }
            // Each byte of `sums` holds at most 255, but their total can reach 2,040: the bytes
            // are added in pairs into 16-bit lanes first (a byte-wide total wrapped at 256).
            let pairs = (sums & 0x00FF_00FF_00FF_00FF) &+ ((sums >> 8) & 0x00FF_00FF_00FF_00FF)
            lines += Int((pairs &* 0x0001_0001_0001_0001) >> 48)
            position += 8 * 255
        }
        while position < offset {
            if bytes[position] == 0x0A { lines += 1 }
            position += 1
        }
        var lineStart = offset
        while lineStart > 0 && bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
        var column = 0
        for position in lineStart..<offset where bytes[position] & 0xC0 != 0x80 {
            // Columns count characters: UTF-8 continuation bytes do not start one.
            column += 1
        }
        return (lines, column)
    }

    /// The 1-based line and column of the byte at `offset` in ``buffer``.
    func position(of offset: Int) -> (line: Int, column: Int) {
        let (lines, column) = Self.count(buffer, upTo: min(max(0, offset), end))
        return lines > 0 ? (droppedLines + lines + 1, column + 1) : (droppedLines + 1, droppedColumn + column + 1)
    }
}

/// A span the streaming reader had to hold (one selected element, or the document for a
/// path that needs it whole) grew past the limit.
struct JSONStreamLimit: Error {
    var limit: Int
    /// Where the span starts in the body, 1-based.
    var line: Int
    var column: Int
}
