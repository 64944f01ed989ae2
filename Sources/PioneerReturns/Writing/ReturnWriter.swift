// Writing a return file so that it is either all there or not there: the bytes go to a
// temporary file beside the target, which is synced and then renamed over it. A run killed
// part way leaves the old file (or none), never half a return.
public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files atomically.
public enum ReturnWriter {
    /// Writes `bytes` to `path` atomically, replacing any file there.
    ///
    /// The temporary file is `.<name>.partial-<pid>` in the same folder (a rename is atomic
    /// only within one file system); it is removed when anything fails.
    public static func write(_ bytes: [UInt8], to path: String) throws(ReturnWriteError) {
        let target = URL(fileURLWithPath: path)
        let folder = target.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ReturnWriteError(path: path, reason: "it is a folder; give a file name")
        }
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw ReturnWriteError(path: path, reason: "the folder \(folder) does not exist")
        }
        guard isDirectory.boolValue else {
            throw ReturnWriteError(path: path, reason: "\(folder) is a file, not a folder")
        }
        let temporary = URL(fileURLWithPath: folder).appendingPathComponent(".\(target.lastPathComponent).partial-\(getpid())").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ReturnWriteError(path: path, reason: "cannot create a file in \(folder) (\(String(cString: strerror(errno))))")
        }
        var failure: String?
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
        do {
            try handle.write(contentsOf: Data(bytes))
            try handle.synchronize()
        } catch {
            failure = (error as NSError).localizedDescription
        }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw ReturnWriteError(path: path, reason: "cannot write it (\(failure))")
        }
    }
}

/// A return file that could not be written.
public struct ReturnWriteError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        "cannot write the return to \(path): \(reason)"
    }
}
