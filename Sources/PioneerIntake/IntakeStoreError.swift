// Why the intake store could not be opened, read or written, in words that name the
// database and what was being done.
internal import GRDB
import Foundation

/// A problem with the intake database.
///
/// The message names the database and the operation, because an office running several
/// servers needs to know which file (or, later, which database) is at fault:
/// `intake store /srv/pioneer/intake.sqlite: cannot store a submission: the disk is full`.
public struct IntakeStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is, for callers that react differently (a 503 for `busy`, say).
    public enum Kind: String, Sendable, Hashable {
        case notADatabase
        case corrupt
        /// Another process held the database past the busy timeout.
        case busy
        case readOnly
        case cannotOpen
        /// A database written by a newer pioneer.
        case newerVersion
        /// No token or submission with the id given.
        case notFound
        /// An argument the store cannot accept (a site token without a site, say).
        case invalidArgument
        /// The disk the database writes to is full: nothing can be stored until room is made.
        case full
        case other
    }

    public var kind: Kind
    /// The database: its file path.
    public var path: String
    /// What was being done: `opening`, `creating a token`, `storing a submission`.
    public var operation: String
    /// What went wrong, in plain English, without the path.
    public var message: String

    public init(_ kind: Kind, path: String, operation: String, _ message: String) {
        self.kind = kind
        self.path = path
        self.operation = operation
        self.message = message
    }

    public var description: String {
        let place = path.isEmpty ? "intake store" : "intake store \(path)"
        return operation.isEmpty ? "\(place): \(message)" : "\(place): cannot \(operation): \(message)"
    }

    /// Translates an error thrown by SQLite or GRDB into a message a user can act on.
    static func from(_ error: any Error, path: String, operation: String) -> IntakeStoreError {
        if let intakeError = error as? IntakeStoreError {
            // Raised inside a database closure, which knows neither the path nor the operation.
            guard intakeError.path.isEmpty else { return intakeError }
            return IntakeStoreError(intakeError.kind, path: path,
                                    operation: intakeError.operation.isEmpty ? operation : intakeError.operation, intakeError.message)
        }
        if error is CancellationError {
            return IntakeStoreError(.other, path: path, operation: operation,
                "the request was cancelled before the database was reached; nothing was written")
        }
        guard let databaseError = error as? DatabaseError else {
            return IntakeStoreError(.other, path: path, operation: operation, String(describing: error))
        }
        switch databaseError.resultCode {
        case .SQLITE_NOTADB:
            return IntakeStoreError(.notADatabase, path: path, operation: operation,
                "the file is not a SQLite database; move it aside or pass another file with --db")
        case .SQLITE_CORRUPT:
            return IntakeStoreError(.corrupt, path: path, operation: operation,
                "the database is corrupt (\(databaseError.message ?? "malformed")); restore it from a backup or move it aside")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return IntakeStoreError(.busy, path: path, operation: operation,
                "the database stayed locked by another process past the wait allowed; try again")
        case .SQLITE_READONLY:
            return IntakeStoreError(.readOnly, path: path, operation: operation,
                "the file is read-only; check the permissions of the file and of its folder")
        case .SQLITE_CANTOPEN:
            return IntakeStoreError(.cannotOpen, path: path, operation: operation,
                "the file cannot be opened; check that its folder exists and is writable")
        case .SQLITE_FULL:
            return IntakeStoreError(.full, path: path, operation: operation, "the disk is full")
        case .SQLITE_IOERR:
            if diskIsFull(holding: path) { return IntakeStoreError(.full, path: path, operation: operation, "the disk is full") }
            return IntakeStoreError(.other, path: path, operation: operation,
                "a disk read or write failed (\(databaseError.message ?? "I/O error"))")
        default:
            return IntakeStoreError(.other, path: path, operation: operation,
                "SQLite reported: \(databaseError.message ?? databaseError.resultCode.description)")
        }
    }
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
