// A large JSON body in a file read as two halves at once, on two cores, for a path that
// streams an array's elements through a compiled filter (`$.data[?@.band == '85+'].admissions`).
// When the first half enters the array, a second thread starts at an element near the middle
// of the body and reads the elements from there to the array's `]`, totalling its own
// aggregate. The first half reads on; if its next element starts exactly where the second
// half started, it takes the second half's totals and goes on after the `]`, the elements
// in between read and checked once, by the second half. Otherwise (the guess fell inside an
// element or a string), or when the second half meets an error, the first half reads on in
// order as it always did. The answer and any error are those of one pass in order: the second
// half's figures are added in only when that cannot change them (see JSONAggregation.add).
import Dispatch
import Foundation
import PioneerKit

extension JSONExtraction {
    /// Bodies at least this large, in a file, are read in two halves when there are two cores.
    static let halvesThreshold = 32 << 20

    /// The aggregate and candidates of the streamed selection of `plan` over a body in a file
    /// of at least `threshold` bytes, read in two halves at once; nil when the body is
    /// smaller, in memory, the path not of the compiled shape, there is one core, or the
    /// halves' figures could differ from one pass's (nothing matched, say): the caller then
    /// reads in order. `piece` (the size of each read) is smaller in the tests.
    func extractInHalves(_ response: FeedResponse, plan: JSONPath.StreamingPlan, threshold: Int = halvesThreshold,
                         piece: Int = 1 << 20, holdLimit: Int = wholeDocumentLimit)
        throws(PluginError) -> (JSONAggregation, JSONPath.StreamedCandidates)? {
        guard let path = response.body.fileURL?.path, let size = response.body.size, size >= threshold,
              ProcessInfo.processInfo.activeProcessorCount > 1, plan.fan != nil, plan.elementFilter != nil else { return nil }
        let file = open(path, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else {
            throw PluginError("the file \(path) holding the body of \(response.url) could not be read: \(String(cString: strerror(errno)))")
        }
        defer { close(file) }
        // The second half compiles the path afresh: sharing the first half's objects, the two
        // threads would count references to them from two cores for every element, each
        // count moving the object's cache line from one core to the other.
        guard let ownPath = try? JSONPath(parsing: select.expression),
              let ownPlan = ownPath.streamingPlan.map({ aggregate == .count ? $0.countingElements() : $0 }) else { return nil }
        let second = SecondHalf(file: file, path: ownPath, plan: ownPlan, piece: piece, holdLimit: holdLimit,
                                aggregation: JSONAggregation(extraction: self, url: response.url))
        var aggregation = JSONAggregation(extraction: self, url: response.url)
        var entered = false
        var start = 0
        var jumped = false
        let handoff = JSONPath.StreamHandoff(
            arrayEntered: { depth, offset, first in
                // A path may reach more than one array (a repeated key): only the first is split.
                guard !entered else { return nil }
                entered = true
                guard let found = Self.elementStart(file, from: max(size / 2, offset + 1), first: first, size: size, piece: piece)
                else { return nil }
                start = found
                second.start(at: found, depth: depth)
                return found
            },
            reached: { _, line, column in
                guard let end = second.finish() else { return nil }
                jumped = true
                // The second half counted lines and columns from its first byte, at `line` and `column`.
                let position = end.line == 1 ? (line, column + end.column - 1) : (line + end.line - 1, end.column)
                return (start + end.offset, position.0, position.1)
            },
            missed: { second.stop() })
        let candidates: JSONPath.StreamedCandidates
        do {
            let cursor = FileCursor()
            candidates = try Self.scan(source: { target in try cursor.read(file, into: target, path: path, url: response.url) },
                                       seek: { cursor.offset = $0 }, chunkSize: piece, keepLimit: holdLimit) { scanner in
                try select.stream(&scanner, plan: plan, sampleUntilMatch: true, handoff: handoff) { node in aggregation.add(node) }
            }
        } catch {
            second.stop()
            _ = second.finish()
            throw Self.pluginError(error, path: select, response: response)
        }
        _ = second.finish()
        guard jumped else { return (aggregation, candidates) }
        guard aggregation.add(second.aggregation), aggregation.matches > 0 else { return nil }
        return (aggregation, candidates)
    }

    /// The offset of the first place from `offset`, within one piece, where a `,` and
    /// whitespace are followed by `first` (the array's first element's first byte): a guess
    /// at where an element of the array starts, which the first half checks.
    private static func elementStart(_ file: Int32, from offset: Int, first: UInt8, size: Int, piece: Int) -> Int? {
        guard offset < size else { return nil }
        var window = [UInt8](repeating: 0, count: min(piece, size - offset))
        let count = window.withUnsafeMutableBytes { pread(file, $0.baseAddress, $0.count, off_t(offset)) }
        guard count > 0 else { return nil }
        var index = 0
        while index < count {
            if window[index] == UInt8(ascii: ",") {
                var next = index + 1
                while next < count, [0x20, 0x09, 0x0A, 0x0D].contains(window[next]) { next += 1 }
                if next < count, window[next] == first { return offset + next }
                index = next
            } else {
                index += 1
            }
        }
        return nil
    }

    /// Where a stream reading a file with `pread` is; moved by the stream's jump.
    private final class FileCursor {
        var offset = 0

        func read(_ file: Int32, into target: UnsafeMutableRawBufferPointer, path: String, url: String) throws -> Int {
            while true {
                let count = pread(file, target.baseAddress, target.count, off_t(offset))
                if count >= 0 {
                    offset += count
                    return count
                }
                guard errno == EINTR else {
                    throw PluginError("the file \(path) holding the body of \(url) could not be read: \(String(cString: strerror(errno)))")
                }
            }
        }
    }

    /// The second half: its thread reads from an element start through the array's `]`.
    private final class SecondHalf: @unchecked Sendable {
        // @unchecked: `aggregation` and `end` are written by the second half's thread before it
        // signals `done`, and read by the first half's only after waiting for it; `stopping`
        // is behind `lock`; `started` and `finished` are the first half's alone.
        private let file: Int32
        private let path: JSONPath
        private let plan: JSONPath.StreamingPlan
        private let piece: Int
        private let holdLimit: Int
        private(set) var aggregation: JSONAggregation
        /// Where the second half ended (just after the `]`), counted from its first byte, and
        /// the line and column there counted the same way; nil when it did not get there.
        private var end: (offset: Int, line: Int, column: Int)?
        private let lock = NSLock()
        private var stopping = false
        private let done = DispatchSemaphore(value: 0)
        private var started = false
        private var finished = false

        init(file: Int32, path: JSONPath, plan: JSONPath.StreamingPlan, piece: Int, holdLimit: Int, aggregation: JSONAggregation) {
            self.file = file
            self.path = path
            self.plan = plan
            self.piece = piece
            self.holdLimit = holdLimit
            self.aggregation = aggregation
        }

        func start(at offset: Int, depth: Int) {
            started = true
            DispatchQueue.global().async { [self] in
                run(from: offset, depth: depth)
                done.signal()
            }
        }

        func stop() {
            lock.withLock { stopping = true }
        }

        /// Waits for the thread; where it ended, or nil when it stopped, failed or never started.
        func finish() -> (offset: Int, line: Int, column: Int)? {
            guard started else { return nil }
            if !finished {
                done.wait()
                finished = true
            }
            return end
        }

        private func run(from offset: Int, depth: Int) {
            let cursor = FileCursor()
            cursor.offset = offset
            let stream = JSONByteStream(chunkSize: piece, keepLimit: holdLimit) { [file] target in
                try cursor.read(file, into: target, path: "", url: "")
            }
            var scanner = JSONStreamScanner(stream, depth: depth)
            do {
                let read = try path.streamElements(&scanner, plan: plan, shouldStop: { lock.withLock { stopping } }) { node in
                    aggregation.add(node)
                }
                guard read != nil else { return }
                let (line, column) = stream.position(of: stream.index)
                end = (stream.offset, line, column)
            } catch {
                // The first half reads on in order and meets the same error, named at its place.
            }
        }
    }
}
