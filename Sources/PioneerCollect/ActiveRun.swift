// One collection run in progress: which fetches to start, which responses and
// indicator-periods to hand to the worker threads, when to commit, when the run is over.
import Foundation
import Logging
import PioneerCore
import PioneerFeeds
import PioneerKit
import PioneerStore

/// One collection run in progress: fetching, computing, checking and committing.
///
/// Driven by completions rather than by a task, on three kinds of thread that each do one
/// kind of work:
/// - The fetcher's thread (libcurl's, for a ``FeedClient``) only hands a result over: it
///   marks the fetch done, queues the next fetch from there, and passes the result to
///   the run's ``PluginWorkers``.
/// - A worker takes the response in (hashing the body, the feed cache update) and, once
///   an indicator-period has all its responses, computes it (plugin, checks, provenance).
///   That work is done outside the lock, so a slow plugin holds up only its own
///   indicator-periods, never the transfers or the other workers.
/// - The store's writer queue commits batches, one at a time (what gathers meanwhile goes
///   next, every ``CollectionEngine/commitInterval`` at the latest); an indicator-period is
///   reported only once its batch is committed.
///
/// The run ends, and its continuation resumes, when every fetch has been taken in, every
/// indicator-period computed and every batch committed. While the lock is held only the
/// run's bookkeeping is done (and the progress callback, so it is called one at a time);
/// fetches, work, commits, timers and the continuation are started after it is released.
/// A fetcher never completes inside its own `start` (``FeedFetching``), so starting the
/// next fetch from a completion never nests.
final class ActiveRun: @unchecked Sendable {
    /// Where the commit timer fires; what it starts runs elsewhere, so one thread serves all runs.
    private static let commitTimers = DispatchQueue(label: "pioneer.collect.commit-timers")

    // @unchecked: every `var` below is only touched with `lock` held; the `let`s are
    // immutable after init (the plan is only read).
    private let engine: CollectionEngine
    private let plan: CollectionPlan
    private let site: SiteInfo
    private let logger: Logger
    private let runID: Int64
    private let workers: PluginWorkers
    /// Threads of their own for the plugins that run a program and wait for it (an external
    /// plugin, a ``BatchIndicatorPlugin``): a program that hangs to its deadline holds one of
    /// these, never a thread the built-in plugins compute on. Nil when the plan has none.
    private let waitingWorkers: PluginWorkers?
    /// By item index: its plugin runs a program (computed on ``waitingWorkers``).
    private let runsProgram: [Bool]
    private let lock = NSLock()

    private var run: RunState
    private var batch = WriteBatch()
    private var committing = false
    /// Bumped at each commit, so a timer set for an earlier batch does nothing.
    private var commitGeneration = 0
    private var timerSet = false
    /// By job index: the items waiting for it, how many have yet to take its response (it
    /// is dropped when none has), and its response once taken in; by item index: responses
    /// still awaited.
    private var waiting: [[Int]]
    private var usersLeft: [Int]
    private var responses: [Result<FetchedBody, FetchFailure>?]
    private var remaining: [Int]
    /// By job index: how to cancel it while it runs.
    private var cancels: [Int: @Sendable () -> Void] = [:]
    /// By job index: the fetcher has reported (or the fetch was cancelled before it started).
    private var reported: [Bool]
    /// By batch group: its members whose responses have all arrived, until the last one has.
    private var gathered: [[(Int, [Result<FetchedBody, FetchFailure>?])]]
    private var next = 0
    /// Responses taken in and indicator-periods computed, of the plan's jobs and items.
    private var taken = 0
    private var computed = 0
    private var cancelled = false
    /// Set when the store refused a commit in a way that later ones would repeat (the disk
    /// is full, the file is read-only or corrupt): nothing more is fetched, computed or
    /// written, and what is left is reported as not collected, for this reason.
    private var stopped: StoreError?
    private var continuation: CheckedContinuation<RunState, Never>?

    /// What to do once the lock is released.
    private struct Actions {
        var fetches: [Int] = []
        /// Fetch results for the workers to take in, by job index.
        var responses: [(Int, Result<FeedFetchResult, FeedError>)] = []
        /// Items ready for the workers to compute, by item index, with their responses
        /// (one per request).
        var ready: [(Int, [Result<FetchedBody, FetchFailure>?])] = []
        var commit: WriteBatch?
        var timer: Int?
        /// Fetches in flight to cancel, once the run has stopped.
        var cancels: [@Sendable () -> Void] = []
        var done: (CheckedContinuation<RunState, Never>, RunState)?
    }

    /// At most this many plugin programs are waited for at once in a run (each `observe` call
    /// of an external plugin is one program).
    static let waitingWorkerLimit = 8

    init(engine: CollectionEngine, plan: CollectionPlan, run: RunState) {
        self.engine = engine
        self.plan = plan
        self.run = run
        site = run.site.info
        logger = run.logger
        runID = run.runID
        workers = PluginWorkers(count: engine.options.pluginWorkers, name: "pioneer.plugins", logger: run.logger)
        runsProgram = plan.items.map { $0.plugin is any BatchIndicatorPlugin }
        let programs = runsProgram.count { $0 }
        waitingWorkers = programs == 0 ? nil
            : PluginWorkers(count: min(programs, Self.waitingWorkerLimit), name: "pioneer.plugin-programs", logger: run.logger)
        waiting = Array(repeating: [], count: plan.jobs.count)
        remaining = []
        for (index, item) in plan.items.enumerated() {
            remaining.append(item.jobs.count)
            for job in item.jobs { waiting[job].append(index) }
        }
        usersLeft = waiting.map(\.count)
        responses = Array(repeating: nil, count: plan.jobs.count)
        reported = Array(repeating: false, count: plan.jobs.count)
        gathered = Array(repeating: [], count: plan.batches.count)
    }

    func start(_ continuation: CheckedContinuation<RunState, Never>) {
        let actions = decide { actions in
            self.continuation = continuation
            for (sequence, result) in plan.settled {
                batch.add(result, sequence: sequence)
            }
            // Items that need no feed at all are ready at once.
            for index in plan.items.indices where remaining[index] == 0 {
                actions.ready.append((index, []))
            }
            takeNextFetches(count: engine.options.queueDepth, into: &actions)
            settle(&actions)
        }
        perform(actions)
    }

    func cancel() {
        let running = withLock {
            cancelled = true
            return Array(cancels.values)
        }
        for cancel in running { cancel() }
    }

    // MARK: Events

    /// A fetch's result, on the fetcher's thread: queue the next fetch and hand the result on.
    private func fetched(_ index: Int, _ result: Result<FeedFetchResult, FeedError>) {
        let actions = decide { actions in
            guard !reported[index] else { return }
            reported[index] = true
            cancels[index] = nil
            actions.responses.append((index, result))
            takeNextFetches(count: 1, into: &actions)
        }
        perform(actions)
    }

    /// Takes a fetch's response in, on a worker, and computes the indicator-periods it was
    /// the last for: the first here, the others on other workers, so a slow plugin among
    /// them holds up only its own.
    private func take(_ index: Int, _ result: Result<FeedFetchResult, FeedError>) {
        let job = plan.jobs[index]
        let received = job.take(result)
        let actions = decide { actions in
            let failure: FetchFailure? = if case .failure(let failure) = received.body { failure } else { nil }
            run.fetchFinished(job, notModified: received.notModified, error: failure?.message,
                              cancelled: failure?.cancelled ?? false)
            if let update = received.cacheUpdate { batch.add(update) }
            taken += 1
            responses[index] = received.body
            for itemIndex in waiting[index] {
                remaining[itemIndex] -= 1
                guard remaining[itemIndex] == 0 else { continue }
                let item = plan.items[itemIndex]
                actions.ready.append((itemIndex, item.requests.map { responses[$0.job] }))
                for job in item.jobs {
                    usersLeft[job] -= 1
                    if usersLeft[job] == 0 { responses[job] = nil }
                }
            }
            settle(&actions)
        }
        perform(actions, computingOneHere: true)
    }

    /// Computes an indicator-period, on a worker, and adds it to the batch.
    private func compute(_ itemIndex: Int, responses: [Result<FetchedBody, FetchFailure>?]) {
        let item = plan.items[itemIndex]
        if let group = item.batch {
            computeGroup(group, adding: itemIndex, responses: responses)
            return
        }
        let completion: Completion = if let stop = withLock({ stopped }) {
            .settled(item.notCollected(RunState.stoppedReason(stop)))
        } else {
            item.compute(responses: responses, site: site, logger: logger)
        }
        let actions = decide { actions in
            batch.add(completion, sequence: item.sequence)
            computed += 1
            settle(&actions)
        }
        perform(actions)
    }

    /// Adds a member of a batch group; the last to arrive computes the whole group, here.
    private func computeGroup(_ group: Int, adding itemIndex: Int, responses: [Result<FetchedBody, FetchFailure>?]) {
        let members = withLock { () -> [(Int, [Result<FetchedBody, FetchFailure>?])]? in
            gathered[group].append((itemIndex, responses))
            guard gathered[group].count == plan.batches[group].items.count else { return nil }
            defer { gathered[group] = [] }
            return gathered[group]
        }
        guard let members else { return }
        let completions = plan.batches[group].compute(members.map { (plan.items[$0.0], $0.1) }, site: site, logger: logger)
        let actions = decide { actions in
            for (sequence, completion) in completions { batch.add(completion, sequence: sequence) }
            computed += completions.count
            settle(&actions)
        }
        perform(actions)
    }

    private func committed(_ pending: WriteBatch, _ written: Result<[Result<RecordOutcome?, StoreError>], StoreError>) {
        let actions = decide { actions in
            committing = false
            if stopped == nil, let error = Self.storeRefusal(written) {
                stop(error, into: &actions)
            }
            let unrecorded = pending.report(written: written, storePath: engine.store.path, run: &run,
                                            stoppedBy: stopped)
            if stopped == nil {
                for write in unrecorded { batch.add(write) }
            }
            settle(&actions)
        }
        perform(actions)
    }

    /// The store's refusal of a commit when every later commit would be refused the same way.
    private static func storeRefusal(_ written: Result<[Result<RecordOutcome?, StoreError>], StoreError>) -> StoreError? {
        switch written {
        case .failure(let error):
            return error.refusesEveryWrite ? error : nil
        case .success(let results):
            for case .failure(let error) in results where error.refusesEveryWrite { return error }
            return nil
        }
    }

    private func commitDue(_ generation: Int) {
        let actions = decide { actions in
            guard generation == commitGeneration else { return }
            timerSet = false
            startCommit(into: &actions)
            settle(&actions)
        }
        perform(actions)
    }

    // MARK: Decisions (lock held)

    /// Runs `body` with the lock held and returns what it decided to do.
    private func decide(_ body: (inout Actions) -> Void) -> Actions {
        lock.lock()
        defer { lock.unlock() }
        var actions = Actions()
        body(&actions)
        return actions
    }

    private func withLock<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    /// Stops the run on a store that refuses every write: no fetch is started after this, those
    /// in flight are cancelled, and nothing more is committed.
    private func stop(_ error: StoreError, into actions: inout Actions) {
        stopped = error
        cancelled = true
        actions.cancels = Array(cancels.values)
        run.stop(error)
    }

    /// Queues up to `count` more fetches; once the run is cancelled, every fetch not yet
    /// started fails as cancelled instead, all at once (so no chain of them builds up).
    private func takeNextFetches(count: Int, into actions: inout Actions) {
        if cancelled {
            while next < plan.jobs.count {
                let job = plan.jobs[next]
                run.fetchStarted(job)
                reported[next] = true
                actions.responses.append((next, .failure(FeedError(feed: job.key.feed, url: job.shownURL, attempts: 0,
                                                                    cause: .cancelled))))
                next += 1
            }
            return
        }
        for _ in 0..<count where next < plan.jobs.count {
            actions.fetches.append(next)
            run.fetchStarted(plan.jobs[next])
            next += 1
        }
    }

    private func startCommit(into actions: inout Actions) {
        guard !committing, !batch.isEmpty else { return }
        if let stopped {
            // The store would refuse it: report the batch as not collected, without writing.
            _ = batch.report(written: .failure(stopped), storePath: engine.store.path, run: &run, stoppedBy: stopped)
            batch = WriteBatch()
            return
        }
        committing = true
        commitGeneration += 1
        timerSet = false
        actions.commit = batch
        batch = WriteBatch()
    }

    /// Commits when a batch is full or everything is computed, sets the commit timer
    /// otherwise, and ends the run once nothing is left to fetch, compute or commit.
    private func settle(_ actions: inout Actions) {
        let allComputed = computed == plan.items.count && taken == plan.jobs.count
        if batch.count >= CollectionEngine.batchLimit || allComputed {
            startCommit(into: &actions)
        } else if !batch.isEmpty, !committing, !timerSet {
            timerSet = true
            actions.timer = commitGeneration
        }
        if allComputed, !committing, batch.isEmpty, let continuation {
            self.continuation = nil
            actions.done = (continuation, run)
        }
    }

    // MARK: Actions (lock released)

    /// Starts what `actions` asks for: fetches first, so the wire stays busy, then the
    /// workers' share.
    ///
    /// - Parameter computingOneHere: compute the first ready item on this thread (a
    ///   worker's) instead of queueing it, which saves a hand-over per indicator-period.
    private func perform(_ actions: Actions, computingOneHere: Bool = false) {
        for cancel in actions.cancels { cancel() }
        for index in actions.fetches {
            startFetch(index)
        }
        if let pending = actions.commit {
            engine.store.recordInBackground(pending.writes, site: site.id, runID: runID) { [self] written in
                committed(pending, written)
            }
        }
        if let generation = actions.timer {
            let delay = CollectionEngine.commitInterval
            // On a queue of its own, so the commit is not late while blocking work holds the global
            // queues' few threads; a commit only hands its writes to the store's thread.
            Self.commitTimers.asyncAfter(deadline: .now() + Double(delay.components.attoseconds) / 1e18
                                              + Double(delay.components.seconds)) { [self] in
                commitDue(generation)
            }
        }
        for (index, result) in actions.responses {
            workers.submit { [self] in take(index, result) }
        }
        var ready = actions.ready[...]
        // An item whose plugin runs a program is never computed here, on a built-in plugins' thread.
        let here = computingOneHere && ready.first.map({ !runsProgram[$0.0] }) == true ? ready.popFirst() : nil
        for (index, responses) in ready {
            let pool = runsProgram[index] ? (waitingWorkers ?? workers) : workers
            pool.submit { [self] in compute(index, responses: responses) }
        }
        if let (index, responses) = here {
            compute(index, responses: responses)
        }
        if let (continuation, run) = actions.done {
            workers.close()
            waitingWorkers?.close()
            continuation.resume(returning: run)
        }
    }

    private func startFetch(_ index: Int) {
        let cancel = engine.fetcher.start(plan.jobs[index].request) { [self] result in
            fetched(index, result)
        }
        let cancelNow = withLock { () -> Bool in
            guard !reported[index] else { return false }
            cancels[index] = cancel
            return cancelled
        }
        // Cancelled while it was being started: cancel's sweep may have missed it.
        if cancelNow { cancel() }
    }
}
