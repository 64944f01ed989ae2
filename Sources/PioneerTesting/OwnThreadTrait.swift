// A trait that runs a test on a thread of its own rather than Swift concurrency's shared pool.
//
// On Linux the pool has as many threads as there are processors (two here). Tests that compute
// or block for seconds hold them, and every other test's tasks wait: a test timing a child
// process then measured its own wait for a thread, not the child (30 s for a run that takes half
// a second). For such timing tests. Not for suites that compute hard: more threads than
// processors made the whole run slower, and other tests' time limits ran out.
import Dispatch
public import Testing

/// Runs the jobs of the tasks that prefer it on a serial dispatch queue of its own, which gets
/// a thread of its own whatever the shared pool is doing.
public final class OwnThreadExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: the queue is thread-safe and never replaced.
    private let queue: DispatchQueue

    public init(label: String = "pioneer.testing.own-thread") {
        queue = DispatchQueue(label: label)
        queue.setSpecific(key: Self.marker, value: true)
    }

    private static let marker = DispatchSpecificKey<Bool>()

    /// Whether the caller runs on the queue of such an executor.
    public static var isCurrent: Bool { DispatchQueue.getSpecific(key: marker) == true }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { [self] in
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// Runs each test it is given to, or each test of the suite, on a thread of its own (see
/// ``OwnThreadExecutor``); the test's task and its task-local values are as usual.
public struct OwnThreadTrait: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        // Once per test case; a suite's own scope needs none.
        testCase == nil ? nil : self
    }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        try await withTaskExecutorPreference(OwnThreadExecutor(label: "pioneer.testing.\(test.name)")) {
            try await function()
        }
    }
}

extension Trait where Self == OwnThreadTrait {
    /// Runs the test (or every test of the suite) on a thread of its own: for tests that time a
    /// child process, so they time the child and not their own wait for one of the shared threads.
    public static var ownThread: Self { OwnThreadTrait() }
}
