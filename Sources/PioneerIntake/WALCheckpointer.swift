// Copies the intake store's write-ahead log into the database file from a thread of its own,
// so that the writer, which must do it inside a submission's commit, finds little left to copy.
internal import GRDBSQLite
import Foundation
import PioneerCore

/// Copies what has been committed in a SQLite database's WAL into the file every `interval`,
/// on a connection and thread of its own (a PASSIVE checkpoint: it never blocks the writer).
///
/// SQLite's automatic checkpoint runs inside the commit that takes the log past 1,000 pages:
/// that submission (one in about 25 here) waited while the writer copied 4 MB and synced the
/// file, with every other submission queued behind it. The automatic checkpoint stays on, so
/// the log is still reset within about 1,000 pages (a checkpoint that runs beside a busy
/// writer never catches up with it, and the log would grow without end); but by the time it
/// runs, this thread has copied all but the last tenth of a second's pages, on the other core.
///
/// Nothing committed is at risk: a checkpoint only copies committed pages, and a crash at any
/// point leaves them in the log, where SQLite finds them on opening.
final class WALCheckpointer: @unchecked Sendable {
    // @unchecked: `stopped` is read and written only with `condition` locked; `connection`
    // is used only by the checkpoint thread, and closed by it.
    private let condition = NSCondition()
    private var stopped = false
    private let interval: TimeInterval
    private let finished = DispatchSemaphore(value: 0)

    /// Starts checkpointing the database at `path`; nil when a connection cannot be opened
    /// (SQLite's automatic checkpoints then do all the copying).
    init?(path: String, interval: TimeInterval = 0.1) {
        var handle: OpaquePointer?
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK,
              let connection = handle else {
            sqlite3_close(handle)
            return nil
        }
        // A connection finds the file in WAL mode when it first reads it; until then a
        // checkpoint has no log to copy.
        guard sqlite3_exec(connection, "SELECT count(*) FROM sqlite_master", nil, nil, nil) == SQLITE_OK else {
            sqlite3_close(connection)
            return nil
        }
        self.interval = interval
        let owned = Connection(handle: connection)
        do {
            try SystemThread.start(name: "pioneer.wal-checkpoint") { [self] in run(owned.handle) }
        } catch {
            // No thread to spare: the store checkpoints as SQLite does by default instead.
            sqlite3_close(connection)
            return nil
        }
    }

    /// Stops the thread after a last checkpoint, and waits for it. The thread holds this
    /// object until then: its owner must call this (the store does in `close` and `deinit`).
    func stop() {
        condition.lock()
        let first = !stopped
        stopped = true
        condition.broadcast()
        condition.unlock()
        if first { finished.wait() }
    }

    private func run(_ connection: OpaquePointer) {
        while true {
            condition.lock()
            if !stopped { _ = condition.wait(until: Date(timeIntervalSinceNow: interval)) }
            let last = stopped
            condition.unlock()
            checkpoint(connection)
            if last { break }
        }
        sqlite3_close(connection)
        finished.signal()
    }

    /// The checkpoint thread's connection, handed to it once.
    private struct Connection: @unchecked Sendable {
        let handle: OpaquePointer
    }

    private func checkpoint(_ connection: OpaquePointer) {
        // SQLITE_BUSY (another checkpoint under way, the writer's or another process's) is
        // no failure: the pages are copied by that one or the next.
        _ = sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
    }
}
