// Writing a large response body to a temporary file as libcurl delivers it, hashing it on
// the way; memory stays at one write buffer however large the body grows.
import Crypto
import Foundation
import PioneerKit

/// The temporary file a ``CurlTransfer`` writes its body to once it outgrows memory.
///
/// Used by the driver thread alone. The file belongs to ``owner`` from the start, so a
/// transfer that fails or is dropped part-way leaves nothing behind.
final class BodySpill {
    /// Bytes gathered before one write to the file: fewer system calls than one per callback.
    private static let writeBuffer = 1 << 20

    private let handle: FileHandle
    private let owner: FeedResponse.Body
    private let url: URL
    private var hasher = SHA256()
    private var pending = Data()
    private(set) var size = 0
    /// Why writing failed, once it has.
    private(set) var failure: String?

    /// Creates the file in the temporary folder (`TMPDIR`); nil with `failure` set when it cannot.
    static func create() -> Result<BodySpill, SpillFailure> {
        let folder = TemporaryBodies.folder
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appending(path: "pioneer-body-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            return .failure(SpillFailure(message: "cannot create the temporary file \(url.path) for a large body (is TMPDIR writable?)"))
        }
        do {
            return .success(BodySpill(handle: try FileHandle(forWritingTo: url), url: url))
        } catch {
            try? FileManager.default.removeItem(at: url)
            return .failure(SpillFailure(message: "cannot write the temporary file \(url.path): \((error as NSError).localizedDescription)"))
        }
    }

    private init(handle: FileHandle, url: URL) {
        self.handle = handle
        self.url = url
        owner = .temporaryFile(url)
        pending.reserveCapacity(Self.writeBuffer)
    }

    deinit {
        try? handle.close()
    }

    /// Appends `bytes`; false once writing has failed (the disk full, say).
    func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard failure == nil else { return false }
        hasher.update(bufferPointer: bytes)
        size += bytes.count
        pending.append(contentsOf: bytes)
        return pending.count < Self.writeBuffer || flush()
    }

    private func flush() -> Bool {
        guard !pending.isEmpty else { return true }
        do {
            try handle.write(contentsOf: pending)
            pending.removeAll(keepingCapacity: true)
            return true
        } catch {
            failure = "cannot write the body to the temporary file \(url.path): \((error as NSError).localizedDescription)"
            return false
        }
    }

    /// Writes what is left and closes the file: the body, or nil when writing failed.
    func finish() -> ReceivedBodyFile? {
        guard flush() else { return nil }
        do {
            try handle.close()
        } catch {
            failure = "cannot write the body to the temporary file \(url.path): \((error as NSError).localizedDescription)"
            return nil
        }
        let digest = hasher.finalize()
        return ReceivedBodyFile(body: owner, size: size, contentHash: "sha256:" + HexText.lowercase(digest))
    }
}

/// Why a large body could not be written to its temporary file.
struct SpillFailure: Error {
    var message: String
}
