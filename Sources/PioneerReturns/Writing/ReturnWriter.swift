// Writing a return file so that it is either all there or not there: the bytes go to a
// temporary file beside the target, which is synced and then renamed over it. A run killed
// part way leaves the old file (or none), never half a return.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files atomically: returns, the national aggregate, reports.
public enum ReturnWriter {
    /// Writes `bytes` to `path` atomically, replacing any file there.
    ///
    /// The temporary file is `.<name>.partial-<pid>` in the same folder (a rename is atomic
    /// only within one file system); it is removed when anything fails. A SQLite database at
    /// `path` (a measure store or an intake database given as the output by mistake) is never
    /// replaced. `kind` names what is written in messages: "return", "report".
    ///
    /// A symbolic link is followed: the file it points to is replaced, the link kept (a
    /// `latest.html` pointing into an archive). A path that is not a regular file (a pipe, a
    /// process substitution's `/dev/fd/63`, a terminal, a device) is written to as it is,
    /// never replaced, and never read first: there is nothing to rename over.
    public static func write(_ bytes: [UInt8], to given: String, kind: String = "return") throws(ReturnWriteError) {
        var path = given
        var info = stat()
        if lstat(given, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
            guard let resolved = realpath(given, nil) else {
                throw ReturnWriteError(path: given, reason: "it is a symbolic link to a file that cannot be reached (\(String(cString: strerror(errno))))", kind: kind)
            }
            path = String(cString: resolved)
            free(resolved)
        }
        if stat(path, &info) == 0 {
            let type = info.st_mode & S_IFMT
            if type != S_IFREG && type != S_IFDIR {
                try writeInPlace(bytes, to: path, shownAs: given, kind: kind)
                return
            }
        }
        let target = URL(fileURLWithPath: path)
        let folder = target.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ReturnWriteError(path: path, reason: "it is a folder; give a file name", kind: kind)
        }
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw ReturnWriteError(path: path, reason: "the folder \(folder) does not exist", kind: kind)
        }
        guard isDirectory.boolValue else {
            throw ReturnWriteError(path: path, reason: "\(folder) is a file, not a folder", kind: kind)
        }
        if isSQLiteDatabase(path) {
            throw ReturnWriteError(path: path, reason: "it is a SQLite database (a measure store?), which is never overwritten; give another file name", kind: kind)
        }
        let prefix = ".\(target.lastPathComponent).partial-"
        removeAbandoned(prefix: prefix, in: folder)
        let temporary = URL(fileURLWithPath: folder).appendingPathComponent(prefix + "\(getpid())").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ReturnWriteError(path: path, reason: "cannot create a file in \(folder) (\(String(cString: strerror(errno))))", kind: kind)
        }
        var failure: String?
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
        do {
            try handle.write(contentsOf: Data(bytes))
            try handle.synchronize()
        } catch {
            failure = Self.describe(error)
        }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw ReturnWriteError(path: path, reason: "cannot write it (\(failure)); nothing was replaced", kind: kind)
        }
    }

    /// A failed write in plain words: `the disk is full`, or the system's text for the error
    /// (Foundation's wraps it in "The operation could not be completed").
    static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        let posix: Int32? = if nsError.domain == NSPOSIXErrorDomain {
            Int32(nsError.code)
        } else if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            Int32(underlying.code)
        } else {
            nil
        }
        if posix == ENOSPC || (error as? CocoaError)?.code == .fileWriteOutOfSpace { return "the disk is full" }
        if let posix { return String(cString: strerror(posix)) }
        return nsError.localizedDescription
    }

    /// Writes `bytes` to a pipe, terminal or device at `path` as they are (no temporary file).
    private static func writeInPlace(_ bytes: [UInt8], to path: String, shownAs given: String, kind: String) throws(ReturnWriteError) {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ReturnWriteError(path: given, reason: "cannot open it for writing (\(String(cString: strerror(errno))))", kind: kind)
        }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                Glibc.write(descriptor, raw.baseAddress! + written, raw.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReturnWriteError(path: given, reason: "cannot write it (\(String(cString: strerror(errno))))", kind: kind)
            }
            written += count
        }
    }

    /// Whether the file at `path` starts with SQLite's header (`SQLite format 3` and a NUL).
    private static func isSQLiteDatabase(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        return header == Data("SQLite format 3\u{0}".utf8)
    }

    /// Removes the temporary files of earlier writes to the same target whose process is
    /// gone: a run killed between creating its temporary file and renaming it leaves one.
    private static func removeAbandoned(prefix: String, in folder: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid(),
                  kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink(URL(fileURLWithPath: folder).appendingPathComponent(name).path)
        }
    }
}

/// A file (a return, the aggregate, a report) that could not be written.
public struct ReturnWriteError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: String
    /// What was being written: "return", "report".
    public var kind: String

    public init(path: String, reason: String, kind: String = "return") {
        self.path = path
        self.reason = reason
        self.kind = kind
    }

    public var description: String {
        "cannot write the \(kind) to \(path): \(reason)"
    }
}
