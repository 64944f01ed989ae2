// Waiting for async work from synchronous code: the blocking side of an exec plugin's
// `IndicatorPlugin` methods, which run on the collection engine's own worker threads.
import Foundation

/// Runs async work and blocks the calling thread until it is done.
///
/// Only for threads of the caller's own (PluginWorkers', a command's): blocking one of
/// Swift concurrency's cooperative threads would take it from the work being waited for.
enum Blocking {
    static func wait<T: Sendable>(_ operation: @escaping @Sendable () async -> T) -> T {
        let box = ResultBox<T>()
        Task { box.set(await operation()) }
        return box.wait()
    }
}

private final class ResultBox<T: Sendable>: @unchecked Sendable {
    // @unchecked: `value` is only touched with `condition` locked.
    private let condition = NSCondition()
    private var value: T?

    func set(_ result: T) {
        condition.lock()
        value = result
        condition.broadcast()
        condition.unlock()
    }

    func wait() -> T {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let value { return value }
            condition.wait()
        }
    }
}
