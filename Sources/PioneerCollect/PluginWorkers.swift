// The threads a collection run computes on: hashing response bodies and running plugins,
// so that libcurl's driver thread only moves bytes.
import Foundation
import Logging
import PioneerCore

/// A fixed set of threads that run submitted work in the order it was submitted.
///
/// Plugins are synchronous code that may block (a slow computation today, an external
/// process tomorrow), so they get threads of their own rather than Swift concurrency's
/// cooperative pool, which a blocked task would starve, or Dispatch's global queues,
/// which answer blocking with ever more threads. With a fixed number of threads a plugin
/// that takes seconds holds one of them and delays only its own indicator-period; the
/// others keep computing, and the transfers keep going on libcurl's thread meanwhile.
///
/// The queue is not bounded: what waits in it are response bodies the run has already
/// received, which it would hold in memory anyway until their indicator-periods are done.
final class PluginWorkers: @unchecked Sendable {
    // @unchecked: `queue`, `head` and `closing` are only touched with `condition` locked;
    // `threads` is immutable after init.

    /// One per processor, and at least two, so a single slow plugin never holds them all.
    static var defaultCount: Int { max(2, ProcessInfo.processInfo.activeProcessorCount) }

    private let condition = NSCondition()
    /// Work not yet taken, from `head` on. A taken slot is cleared at once (its closure holds
    /// a response body) and the cleared prefix dropped once it is half the array.
    private var queue: [(@Sendable () -> Void)?] = []
    private var head = 0
    private var closing = false

    /// Whether no thread could be started: work then runs where it is submitted, which is
    /// slower (the transfers wait for the plugins) but never waits for a thread that will not come.
    /// Written only in init, before anything is submitted.
    private var inline = false

    /// Starts `count` threads named `name`, or as many of them as the system allows.
    init(count: Int, name: String, logger: Logger? = nil) {
        var started = 0
        var refusal: ThreadStartError?
        for _ in 0..<max(1, count) {
            do {
                try SystemThread.start(name: name) { [self] in work() }
                started += 1
            } catch {
                refusal = error
                break
            }
        }
        inline = started == 0
        if let refusal {
            logger?.warning("\(refusal); the run goes on with \(started) of the \(max(1, count)) \(name) threads")
        }
    }

    /// Queues `work` for the next free thread.
    func submit(_ work: @escaping @Sendable () -> Void) {
        if inline {
            work()
            return
        }
        condition.lock()
        queue.append(work)
        condition.signal()
        condition.unlock()
    }

    /// Lets the threads finish what is queued, then exit. Nothing may be submitted afterwards.
    func close() {
        condition.lock()
        closing = true
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        Self.yieldOnWake()
        while let next = take() {
            next()
        }
    }

    /// On Linux, marks the calling worker thread as batch work (`SCHED_BATCH`): it gets the
    /// same share of the processor, but waking it no longer preempts the thread that woke it.
    /// The thread that hands responses over is libcurl's, which moves every transfer's bytes;
    /// when each response woke a worker that took its processor at once, a run of 10,000 small
    /// feeds had about 7,000 involuntary context switches, and with this about 2,500. A program
    /// a plugin starts from here inherits the policy, which suits it as well (it is batch work
    /// too, and gets the same share). A refusal leaves the thread as it was.
    private static func yieldOnWake() {
        #if os(Linux)
        var parameters = sched_param()
        parameters.sched_priority = 0
        // SCHED_BATCH from linux/sched.h: glibc defines it only for _GNU_SOURCE, which
        // Swift's import of it does not set.
        let batch: Int32 = 3
        _ = sched_setscheduler(0, batch, &parameters)
        #endif
    }

    /// The next piece of work, waiting for one; nil once closed and empty.
    private func take() -> (@Sendable () -> Void)? {
        condition.lock()
        defer { condition.unlock() }
        while head == queue.count {
            if closing { return nil }
            condition.wait()
        }
        let next = queue[head]
        queue[head] = nil
        head += 1
        if head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024, head * 2 >= queue.count {
            queue.removeFirst(head)
            head = 0
        }
        return next
    }
}
