// A value behind a lock, for state shared with threads outside Swift concurrency.
import Foundation

/// A mutable value that is only read or written while holding a lock.
///
/// The feed transport shares state between async callers and its libcurl thread,
/// which Swift concurrency cannot see; this is the one place that state lives.
package final class Locked<Value>: @unchecked Sendable {
    // @unchecked: `value` is only touched inside `withLock`, under `lock`.
    private let lock = NSLock()
    private var value: Value

    package init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with exclusive access to the value.
    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
