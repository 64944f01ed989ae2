// Ctrl-C and SIGTERM during a long command: the first one asks the work to stop
// cleanly (a collection commits what it has and records the run as interrupted);
// a second one ends the process at once.
import Dispatch
import Foundation

/// Runs work in a task that SIGINT or SIGTERM cancels.
///
/// The signals are taken from their default action (which kills the process before
/// it can record anything) and watched with dispatch sources, so the handler runs as
/// ordinary code on a queue rather than inside a signal handler.
enum Interruption {
    /// Whether a signal came, kept under a lock: the dispatch queue writes it, the caller reads it.
    private final class State: @unchecked Sendable {
        // @unchecked: `signalled` is only read and written with `lock` held.
        private let lock = NSLock()
        private var signalled: Int32?

        /// Records `signal`; true when it is the first.
        func record(_ signal: Int32) -> Bool {
            lock.lock()
            defer { lock.unlock() }
            guard signalled == nil else { return false }
            signalled = signal
            return true
        }

        var signal: Int32? {
            lock.lock()
            defer { lock.unlock() }
            return signalled
        }
    }

    /// Runs `operation` until it returns; a first SIGINT or SIGTERM cancels it and writes
    /// `notice` to stderr, a second ends the process with status 130 at once.
    ///
    /// - Returns: what `operation` returned, and the signal that interrupted it, if any.
    ///
    /// `onFirst` runs after the first signal's cancel (collect asks running plugins to stop);
    /// `onSecond` just before the process ends (collect kills them and removes their files).
    static func cancellingOnSignal<T: Sendable>(
        notice: String, onFirst: @escaping @Sendable () -> Void = {}, onSecond: @escaping @Sendable () -> Void = {},
        _ operation: @escaping @Sendable () async -> T
    ) async -> (result: T, signal: Int32?) {
        let task = Task { await operation() }
        let state = State()
        let signals = [SIGINT, SIGTERM]
        var sources: [any DispatchSourceSignal] = []
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                guard state.record(number) else {
                    onSecond()
                    StandardError.write("\nstopped at once\n")
                    _exit(130)
                }
                StandardError.write("\n" + notice + "\n")
                task.cancel()
                onFirst()
            }
            source.resume()
            sources.append(source)
        }
        let result = await task.value
        for source in sources { source.cancel() }
        for number in signals { signal(number, SIG_DFL) }
        return (result, state.signal)
    }
}
