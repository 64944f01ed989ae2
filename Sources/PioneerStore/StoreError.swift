// Why the measure store could not be opened, read or written, in words that name the file.
internal import GRDB
import Foundation

/// A problem with the measure store file.
///
/// The message always names the path, because a user with several sites and a
/// `--store` flag needs to know which file is at fault:
/// `cannot open the measure store sites/torbay/.pioneer/store.sqlite: the file is not a SQLite database`.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is, for callers that react differently.
    public enum Kind: String, Sendable, Hashable {
        case notADatabase
        case corrupt
        case locked
        case readOnly
        case cannotOpen
        /// No file at the path (when reading; a writer creates it).
        case notFound
        /// A SQLite file without the measure store's schema.
        case notAStore
        case newerVersion
        /// A schema that only a writer (`pioneer collect`) can bring up to date.
        case olderVersion
        /// The disk has no room for the write, or the file has reached the size the process may write.
        case full
        /// A read or write of the file failed (a failing disk, a quota).
        case ioError
        /// The store holds a site id's runs from another folder that still declares that id:
        /// collecting this folder's site would replace the other folder's measures.
        case siteClaimed
        case other
    }

    public var kind: Kind
    /// The store file.
    public var path: String
    /// What went wrong, in plain English, without the path.
    public var message: String

    public init(_ kind: Kind, path: String, _ message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    public var description: String {
        path.isEmpty ? "measure store: \(message)" : "measure store \(path): \(message)"
    }

    /// Whether every later write would be refused the same way (the disk is full, a write
    /// failed, the file is read-only or corrupt), so a run should stop writing rather than try
    /// each row.
    public var refusesEveryWrite: Bool {
        switch kind {
        case .full, .ioError, .readOnly, .corrupt, .notADatabase: true
        default: false
        }
    }

    /// An empty store path: SQLite would quietly open a temporary database instead.
    static let emptyPath = StoreError(.cannotOpen, path: "", "no file given; --store needs a path")

    /// Translates an error thrown by SQLite into a message a user can act on.
    static func from(_ error: any Error, path: String) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        guard let databaseError = error as? DatabaseError else {
            return StoreError(.other, path: path, String(describing: error))
        }
        switch databaseError.resultCode {
        case .SQLITE_NOTADB:
            return StoreError(.notADatabase, path: path,
                "the file is not a SQLite database; move it aside or pass another file with --store")
        case .SQLITE_CORRUPT:
            return StoreError(.corrupt, path: path,
                "the database is corrupt (\(databaseError.message ?? "malformed")); restore it from a backup or move it aside")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StoreError(.locked, path: path,
                "the file is locked by another process (is another `pioneer collect` running?); try again when it has finished")
        case .SQLITE_READONLY:
            return StoreError(.readOnly, path: path,
                "the file is read-only; check the permissions of the file and of its folder")
        case .SQLITE_CANTOPEN:
            if let limit = openFileLimitReached() {
                return StoreError(.cannotOpen, path: path,
                    "the file cannot be opened: pioneer has as many files open as this system allows it (\(limit), `ulimit -n`); "
                    + "collect fewer sites at once, or raise the limit")
            }
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
                return StoreError(.cannotOpen, path: path,
                    "this is a folder, not a store file; give a file in it, such as \((path as NSString).appendingPathComponent("store.sqlite"))")
            }
            return StoreError(.cannotOpen, path: path,
                "the file cannot be opened; check that its folder exists and is writable")
        case .SQLITE_FULL:
            return StoreError(.full, path: path, "the disk is full")
        case .SQLITE_IOERR:
            if let limit = fileSizeLimitReached(path: path) {
                return StoreError(.full, path: path,
                    "the file has reached the largest size this process may write (\(limit / 1024) KB, `ulimit -f`); raise the limit")
            }
            if diskIsFull(holding: path) { return StoreError(.full, path: path, "the disk is full") }
            return StoreError(.ioError, path: path, "a disk read or write failed (\(databaseError.message ?? "I/O error"))")
        default:
            return StoreError(.other, path: path, "SQLite reported: \(databaseError.message ?? databaseError.resultCode.description)")
        }
    }
}

/// The process's limit on open files when it has reached it or nearly (SQLite reports only that
/// it cannot open the file; the stores of many sites are opened at once, so by the time the
/// message is made a few of the failed opens may have given their files back), else nil.
private func openFileLimitReached() -> Int? {
    var limit = rlimit()
    guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
    let allowed = Int(clamping: limit.rlim_cur)
    // Listing the open files needs a file of its own: failing is an answer too.
    guard let open = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return allowed }
    return open.count >= allowed - max(16, allowed / 10) ? allowed : nil
}

/// The limit on the size of a file this process may write (`ulimit -f`), in bytes, when the
/// store, its write-ahead log or its journal has reached it (writing past it fails with EFBIG,
/// which SQLite reports only as an I/O error), else nil.
private func fileSizeLimitReached(path: String) -> Int? {
    var limit = rlimit()
    guard getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
    let allowed = Int(clamping: limit.rlim_cur)
    // A write that does not fit is refused whole: the file stops short of the limit by up to a page or a frame.
    let margin = 128 * 1024
    for file in [path, path + "-wal", path + "-journal"] {
        if let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int, size + margin >= allowed {
            return allowed
        }
    }
    return nil
}

/// Whether the file system holding `path` has no room left for a write (less than 64 KB that
/// this process may use). SQLite reports a write refused for want of space as an I/O error when
/// it meets it writing its journal or shared memory, not only as SQLITE_FULL.
private func diskIsFull(holding path: String) -> Bool {
    var folder = (path as NSString).deletingLastPathComponent
    if folder.isEmpty { folder = "." }
    var stats = statvfs()
    guard statvfs(folder, &stats) == 0 else { return false }
    let blocks = geteuid() == 0 ? UInt64(stats.f_bfree) : UInt64(stats.f_bavail)
    return blocks * UInt64(stats.f_frsize) < 64 * 1024
}
