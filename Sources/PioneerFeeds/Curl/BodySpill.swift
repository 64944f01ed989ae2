// Writing a large response body to a temporary file as libcurl delivers it, hashing it on
// the way; memory stays at a few write buffers however large the body grows.
import Crypto
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import PioneerKit

/// The temporary file a ``CurlTransfer`` writes its body to once it outgrows memory.
///
/// Called by the driver thread alone. The driver thread gathers the bytes into buffers of
/// ``writeBuffer`` bytes; hashing and writing each full buffer happen on a queue of the
/// spill's own, so the driver thread goes back to the sockets while the last megabyte is
/// hashed and written (SHA-256 of a large body was half the driver thread's time). At most
/// ``buffersInFlight`` buffers wait for the queue: a slow disk holds the transfer back
/// rather than memory growing. The file belongs to ``owner`` from the start, so a transfer
/// that fails or is dropped part-way leaves nothing behind.
final class BodySpill {
    /// Bytes gathered before one write to the file: fewer system calls than one per callback.
    private static let writeBuffer = 1 << 20
    /// Full buffers handed to the queue and not yet written.
    private static let buffersInFlight = 4

    private let sink: Sink
    private let owner: FeedResponse.Body
    private let url: URL
    private let queue = DispatchQueue(label: "pioneer.body-spill")
    private let slots = DispatchSemaphore(value: BodySpill.buffersInFlight)
    private var pending = Data()
    private(set) var size = 0
    /// Why writing failed, once it has.
    var failure: String? { sink.failure.withLock { $0 } }

    /// Creates the file in the temporary folder (`TMPDIR`); nil with `failure` set when it cannot.
    static func create() -> Result<BodySpill, SpillFailure> {
        let folder: URL
        switch TemporaryBodies.prepare() {
        case .success(let prepared): folder = prepared
        case .failure(let failure): return .failure(failure)
        }
        let url = folder.appending(path: "pioneer-body-\(UUID().uuidString)")
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            return .failure(SpillFailure(message: "cannot create the temporary file \(url.path) for a large body: \(String(cString: strerror(errno))) (is TMPDIR writable?)"))
        }
        return .success(BodySpill(descriptor: descriptor, url: url))
    }

    private init(descriptor: CInt, url: URL) {
        sink = Sink(descriptor: descriptor, url: url)
        self.url = url
        owner = .temporaryFile(url)
        pending.reserveCapacity(Self.writeBuffer)
    }

    /// Appends `bytes`; false once writing has failed (the disk full, say).
    func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard failure == nil else { return false }
        size += bytes.count
        pending.append(contentsOf: bytes)
        if pending.count >= Self.writeBuffer { handOver() }
        return true
    }

    /// Gives the gathered bytes to the queue, once one of its buffers is free.
    private func handOver() {
        guard !pending.isEmpty else { return }
        let buffer = pending
        pending = Data()
        pending.reserveCapacity(Self.writeBuffer)
        slots.wait()
        queue.async { [sink, slots] in
            sink.take(buffer)
            slots.signal()
        }
    }

    /// Writes what is left, waits for the queue, and closes the file: the body, or nil when
    /// writing failed.
    func finish() -> ReceivedBodyFile? {
        handOver()
        guard let digest = queue.sync(execute: { sink.close() }) else { return nil }
        return ReceivedBodyFile(body: owner, size: size, contentHash: "sha256:" + HexText.lowercase(digest))
    }

    /// The hash and the file, used on the spill's queue alone (and its failure, read under a lock).
    private final class Sink: @unchecked Sendable {
        // @unchecked: `hasher` and `descriptor` are used only on the spill's serial queue;
        // `failure` is behind its lock.
        private var hasher = SHA256()
        /// The open file; -1 once closed.
        private var descriptor: CInt
        private let url: URL
        let failure = Locked<String?>(nil)

        init(descriptor: CInt, url: URL) {
            self.descriptor = descriptor
            self.url = url
        }

        deinit {
            if descriptor >= 0 { _ = Glibc.close(descriptor) }
        }

        func take(_ buffer: Data) {
            guard failure.withLock({ $0 == nil }) else { return }
            hasher.update(data: buffer)
            // write(2) itself, so a full disk or a file-size limit is named as the system names
            // it ("No space left on device", "File too large").
            let error = buffer.withUnsafeBytes { bytes -> CInt? in
                var offset = 0
                while offset < bytes.count, let base = bytes.baseAddress {
                    let written = Glibc.write(descriptor, base + offset, bytes.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return errno
                    }
                    offset += written
                }
                return nil
            }
            if let error { fail("cannot write the body to the temporary file \(url.path): \(String(cString: strerror(error)))") }
        }

        /// The digest of everything written, or nil (with `failure` set) when writing failed.
        func close() -> SHA256.Digest? {
            if descriptor >= 0, Glibc.close(descriptor) != 0 {
                fail("cannot write the body to the temporary file \(url.path): \(String(cString: strerror(errno)))")
            }
            descriptor = -1
            guard failure.withLock({ $0 == nil }) else { return nil }
            return hasher.finalize()
        }

        private func fail(_ message: String) {
            failure.withLock { if $0 == nil { $0 = message } }
        }
    }
}

/// Why a large body could not be written to its temporary file.
struct SpillFailure: Error, Sendable {
    var message: String
}
