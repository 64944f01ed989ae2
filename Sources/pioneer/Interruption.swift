// Ctrl-C and SIGTERM during a long command: the first one asks the work to stop
// cleanly (a collection commits what it has and records the run as interrupted);
// a second one ends the process at once.
import Dispatch
import Foundation

/// Runs work in a task that SIGINT or SIGTERM cancels.
///
/// The signals are watched with dispatch sources, which take them from their default
/// action (ending the process before it can record anything), so the handler runs as
/// ordinary code on a queue of its own rather than inside a signal handler.
enum Interruption {
    /// Whether a signal came, and the task it cancels, kept under a lock: the signal queue
    /// writes the one, the caller the other.
    private final class State: @unchecked Sendable {
        // @unchecked: `signalled` and `task` are only read and written with `lock` held.
        private let lock = NSLock()
        private var signalled: Int32?
        private var task: (@Sendable () -> Void)?

        /// Records `signal` and cancels the work if it has started; true when it is the first.
        func record(_ signal: Int32) -> Bool {
            let cancel: (@Sendable () -> Void)? = lock.withLock {
                guard signalled == nil else { return nil }
                signalled = signal
                return task ?? {}
            }
            cancel?()
            return cancel != nil
        }

        /// Keeps the way to cancel the work; cancels it at once if a signal came first.
        func started(_ cancel: @escaping @Sendable () -> Void) {
            let already = lock.withLock {
                task = cancel
                return signalled != nil
            }
            if already { cancel() }
        }

        var signal: Int32? {
            lock.withLock { signalled }
        }
    }

    /// The queue the signals are handled on: its own, so a handler never waits behind work that
    /// fills the shared global queues' threads (under load a Ctrl-C on `.global()` waited seconds).
    private static let queue = DispatchQueue(label: "pioneer.signals")

    /// Runs `operation` until it returns; a first SIGINT or SIGTERM cancels it and writes
    /// `notice` to stderr, a second ends the process with status 130 at once.
    ///
    /// - Returns: what `operation` returned, and the signal that interrupted it, if any.
    ///
    /// `onFirst` runs after the first signal's cancel (collect asks running plugins to stop);
    /// `onSecond` just before the process ends (collect kills them and removes their files).
    ///
    /// `operation` starts only once the signals are watched, so a Ctrl-C while it starts is
    /// never lost. Called once in a process: the signals then go back to their default action.
    static func cancellingOnSignal<T: Sendable>(
        notice: String, onFirst: @escaping @Sendable () -> Void = {}, onSecond: @escaping @Sendable () -> Void = {},
        _ operation: @escaping @Sendable () async -> T
    ) async -> (result: T, signal: Int32?) {
        let state = State()
        let sources = watch(state: state, notice: notice, onFirst: onFirst, onSecond: onSecond)
        let task = Task { await operation() }
        state.started { task.cancel() }
        let result = await task.value
        for source in sources { source.cancel() }
        for number in signals { signal(number, SIG_DFL) }
        return (result, state.signal)
    }

    private static let signals = [SIGINT, SIGTERM]

    /// Starts watching the signals, and returns once the sources are registered.
    private static func watch(
        state: State, notice: String, onFirst: @escaping @Sendable () -> Void, onSecond: @escaping @Sendable () -> Void
    ) -> [any DispatchSourceSignal] {
        var sources: [any DispatchSourceSignal] = []
        let registered = DispatchSemaphore(value: 0)
        for number in signals {
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                guard state.record(number) else {
                    onSecond()
                    StandardError.write("\nstopped at once\n")
                    _exit(130)
                }
                StandardError.write("\n" + notice + "\n")
                onFirst()
            }
            source.setRegistrationHandler { registered.signal() }
            #if !os(Linux)
            // kqueue reports a signal beside its action, which would still end the process.
            // On Linux the source installs a handler of its own when it is registered, and
            // until then the default action stands (a signal ignored meanwhile would be lost).
            signal(number, SIG_IGN)
            #endif
            source.resume()
            sources.append(source)
        }
        // Registered on the sources' own queue, promptly; the bound only keeps a broken
        // dispatch from stopping the command.
        for _ in signals { _ = registered.wait(timeout: .now() + 5) }
        return sources
    }
}
