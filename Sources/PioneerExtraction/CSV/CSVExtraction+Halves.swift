// A large CSV body in a file read as two halves at once, on two cores: the second half's
// rows are filtered and totalled while the first half's are, and the two scans added. The
// answer is always the one reading in order gives: when the halves' boundary turns out not
// to be a record boundary (an LF inside a quoted field), when the second half meets an
// error (whose row number it cannot know), or when no row matched (whose message lists the
// values seen, in order), the first half's reader simply reads on through the second half.
import Dispatch
import Foundation
import PioneerKit

extension CSVExtraction {
    /// Bodies at least this large, in a file, are read in two halves when there are two cores.
    static let halvesThreshold = 32 << 20

    /// Reads a body in a file of at least ``halvesThreshold`` bytes in two halves at once,
    /// given two cores; nil when the body is smaller, in memory, or cannot be split (no LF
    /// near the middle), leaving the caller to read it in order.
    /// `threshold` and `piece` (the size of each read) are smaller in the tests.
    func extractInHalves(_ response: FeedResponse, period: Period, threshold: Int = halvesThreshold,
                         piece chunk: Int = 1 << 20) throws(PluginError) -> ExtractedValue? {
        guard let path = response.body.fileURL?.path, let size = response.body.size, size >= threshold,
              ProcessInfo.processInfo.activeProcessorCount > 1 else { return nil }
        let url = response.url
        let file = open(path, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else {
            throw PluginError("the file \(path) could not be read: \(String(cString: strerror(errno)))")
        }
        defer { close(file) }
        // The first piece is read in order: it holds the header, and with it the separator.
        var scan = CSVScan(extraction: self, period: period, url: url)
        var reader = CSVRecordReader(delimiter: delimiter)
        do {
            try Self.read(file, from: 0, to: min(chunk, size), piece: chunk, path: path) { piece in
                try reader.consume(piece) { record in try scan.take(record) }
            }
            guard let middle = try Self.lineStart(file, near: size / 2, after: chunk, size: size, piece: chunk, path: path),
                  let secondReader = CSVRecordReader(continuing: reader) else { return nil }
            let second = SecondHalf(scan: CSVScan(extraction: self, period: period, url: url), reader: secondReader)
            let done = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                second.read(file, from: middle, to: size, piece: chunk, path: path)
                done.signal()
            }
            var firstError: (any Error)?
            do {
                try Self.read(file, from: min(chunk, size), to: middle, piece: chunk, path: path) { piece in
                    try reader.consume(piece) { record in try scan.take(record) }
                }
            } catch {
                firstError = error
            }
            if firstError != nil { second.stop() }
            done.wait()
            if let firstError { throw firstError }
            if reader.isAtRecordStart, second.error == nil, scan.foundMatch || second.scan.foundMatch {
                scan.add(second.scan)
                if !scan.isResolved { try scan.resolve(reader.header ?? []) }
                return try scan.result()
            }
            // Read on in order from the middle: the answer and any error are those of one pass.
            try Self.read(file, from: middle, to: size, piece: chunk, path: path) { piece in
                try reader.consume(piece) { record in try scan.take(record) }
            }
            try reader.finish { record in try scan.take(record) }
            if !scan.isResolved { try scan.resolve(reader.header ?? []) }
        } catch {
            throw Self.readFailure(error, url: url)
        }
        return try scan.result()
    }

    /// The second half's reader and scan, used by its own thread until it signals.
    private final class SecondHalf: @unchecked Sendable {
        // @unchecked: `scan`, `reader` and `error` are used by one thread at a time, handed
        // over through a semaphore; `stopping` is behind `lock`. For the same reason `scan`
        // and `reader`, changed for every record, are exempt from the run-time exclusivity
        // checks (they were a fortieth of reading a large CSV).
        @exclusivity(unchecked) var scan: CSVScan
        @exclusivity(unchecked) var reader: CSVRecordReader
        var error: (any Error)?
        private let lock = NSLock()
        private var stopping = false

        init(scan: CSVScan, reader: CSVRecordReader) {
            self.scan = scan
            self.reader = reader
        }

        /// Asks the thread to give up at its next piece: the first half failed, so its work is not needed.
        func stop() {
            lock.withLock { stopping = true }
        }

        func read(_ file: Int32, from start: Int, to end: Int, piece size: Int, path: String) {
            do {
                try CSVExtraction.read(file, from: start, to: end, piece: size, path: path) { piece in
                    guard !lock.withLock({ stopping }) else { throw Stopped() }
                    try reader.consume(piece) { record in try scan.take(record) }
                }
                try reader.finish { record in try scan.take(record) }
            } catch {
                self.error = error
            }
        }

        private struct Stopped: Error {}
    }

    /// The offset just after the first LF at or after `offset`, looked for within one piece;
    /// nil when there is none there or it is not past `after`.
    private static func lineStart(_ file: Int32, near offset: Int, after: Int, size: Int, piece pieceSize: Int, path: String) throws -> Int? {
        guard offset > after else { return nil }
        var found: Int?
        try read(file, from: offset, to: min(size, offset + pieceSize), piece: pieceSize, path: path) { piece in
            guard found == nil, let base = piece.baseAddress, let lineFeed = memchr(base, 0x0A, piece.count) else { return }
            found = offset + base.distance(to: UnsafeRawPointer(lineFeed)) + 1
        }
        guard let found, found < size else { return nil }
        return found
    }

    /// Calls `consume` with the bytes of `file` from `start` to `end`, `size` bytes at a time.
    /// Throws what `consume` throws, or a ``PluginError`` naming the file when it cannot be read.
    static func read(_ file: Int32, from start: Int, to end: Int, piece size: Int, path: String,
                     _ consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        var buffer = [UInt8](repeating: 0, count: max(1, size))
        var offset = start
        try buffer.withUnsafeMutableBytes { buffer in
            while offset < end {
                let count = pread(file, buffer.baseAddress, min(buffer.count, end - offset), off_t(offset))
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else {
                    throw PluginError("the file \(path) could not be read: "
                        + (count < 0 ? String(cString: strerror(errno)) : "it ended at byte \(offset), before the \(end) expected"))
                }
                try consume(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                offset += count
            }
        }
    }
}
