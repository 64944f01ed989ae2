// Reading a site directory's site.yaml from disk, refusing anything that is not an
// ordinary file (a FIFO, a device, a symlink loop) with a message that says what it is.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens and reads one configuration file, or says in plain English why it cannot.
///
/// The file is opened without blocking and checked after opening (`fstat`), so a named
/// pipe never stalls `validate` or `collect` waiting for a writer, `/dev/zero` is never
/// read forever, and nothing can swap the file between the check and the read.
enum SiteFileReader {
    /// Why a path cannot be read as a configuration file.
    enum Failure: Error, Equatable {
        case missing
        /// A symbolic link whose target does not exist.
        case danglingLink(target: String)
        case linkLoop
        case permissionDenied
        case isDirectory
        /// Not a regular file; the kind in words ("a named pipe (FIFO)").
        case notRegular(kind: String)
        /// Larger than the limit; `size` is the file's size, or what was read before stopping.
        case tooLarge(size: Int)
        case other(String)

        /// The message, without the path.
        var message: String {
            switch self {
            case .missing: return "does not exist"
            case .danglingLink(let target): return "is a symbolic link to `\(target)`, which does not exist"
            case .linkLoop: return "is a symbolic link loop (following the links leads back round); point the link at the real file"
            case .permissionDenied: return "cannot read the file: permission denied"
            case .isDirectory: return "is a directory, not a file"
            case .notRegular(let kind): return "is not a regular file (it is \(kind)); give an ordinary text file"
            case .tooLarge(let size): return "the file is \(ByteCount.describe(size))"
            case .other(let reason): return "cannot read the file: \(reason)"
            }
        }
    }

    /// What is at `path`, following symbolic links, without opening it.
    enum Entry: Equatable {
        case directory
        case file
        case failure(Failure)
    }

    /// What `path` is, following links: a directory, something else, or why it cannot be reached.
    static func entry(at path: String) -> Entry {
        var info = stat()
        guard stat(path, &info) == 0 else { return .failure(failure(errno: errno, path: path)) }
        return (info.st_mode & S_IFMT) == S_IFDIR ? .directory : .file
    }

    /// Whether anything, even a broken link, is at `path` (it is not followed).
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// The bytes of the regular file at `path`, at most `limit` of them.
    static func read(_ path: String, limit: Int) -> Result<Data, Failure> {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(failure(errno: errno, path: path)) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(.other(String(cString: strerror(errno)))) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .failure(.isDirectory)
        case S_IFIFO: return .failure(.notRegular(kind: "a named pipe (FIFO)"))
        case S_IFCHR: return .failure(.notRegular(kind: "a character device"))
        case S_IFBLK: return .failure(.notRegular(kind: "a block device"))
        case S_IFSOCK: return .failure(.notRegular(kind: "a socket"))
        default: return .failure(.notRegular(kind: "a special file"))
        }
        guard Int(info.st_size) <= limit else { return .failure(.tooLarge(size: Int(info.st_size))) }
        // Read to the end, but never past the limit: the file may grow while it is read.
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(.other(String(cString: strerror(errno))))
            }
            if count == 0 { return .success(data) }
            data.append(contentsOf: buffer[..<count])
            if data.count > limit { return .failure(.tooLarge(size: data.count)) }
        }
    }

    private static func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(descriptor, buffer, count)
        #else
        Darwin.read(descriptor, buffer, count)
        #endif
    }

    private static func failure(errno code: Int32, path: String) -> Failure {
        switch code {
        case ENOENT, ENOTDIR:
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                return .danglingLink(target: target)
            }
            return .missing
        case ELOOP: return .linkLoop
        case EACCES, EPERM: return .permissionDenied
        default: return .other(String(cString: strerror(code)))
        }
    }
}
