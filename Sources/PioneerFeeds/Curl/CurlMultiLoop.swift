// The one libcurl multi handle and the thread that drives it: queueing, limits, completion.
import CCurlShim
import PioneerCore
import Foundation

/// Runs every transfer of a ``CurlTransport`` on one libcurl multi handle.
///
/// Callers' tasks queue transfers and suspend on a continuation. One driver thread
/// admits queued transfers within the limits, calls `curl_multi_perform`, completes
/// finished transfers and sleeps in `curl_multi_poll` until libcurl or a new request
/// needs it. When nothing is queued or running the thread lingers for ``idleLinger``
/// (a caller usually submits its next request a moment after the last one finished,
/// and starting a thread each time cost more than the transfer), then exits; a new
/// one starts on the next request. Idle connections stay in the multi handle's cache.
final class CurlMultiLoop: @unchecked Sendable {
    // @unchecked Sendable, because libcurl handles are not thread-safe and Swift cannot
    // check C pointers. The discipline that makes it safe:
    // - `state` (queue, counts, flags) is only touched under its lock.
    // - `multi`, the easy handles and `running` are only touched by the driver thread,
    //   and at most one driver runs at a time: `state.driverRunning` is set under the lock
    //   before a driver starts and cleared under the lock as its last act, so one driver's
    //   work happens-before the next one's.
    // - The only call made on `multi` from other threads is `curl_multi_wakeup`, which
    //   libcurl documents as safe from any thread.

    /// How long an idle driver thread waits for new work before it exits.
    static let idleLinger: Duration = .milliseconds(200)

    private let multi: UnsafeMutableRawPointer?
    private let limits: FeedClientLimits
    private let state = Locked(State())
    /// Body bytes received by every transfer so far (written by the driver thread as they
    /// arrive, read by anyone).
    let bodyBytesReceived = Locked(0)
    /// Transfers added to the multi handle, by easy handle. Driver thread only.
    private var running: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    /// Finished easy handles, reset and kept for the next transfers (at most `maxParallel`):
    /// setting up a fresh handle per request showed in the benchmark. Driver thread only.
    private var idleHandles: [UnsafeMutableRawPointer] = []

    private struct State {
        var nextID: UInt64 = 0
        var pending: [CurlTransfer] = []
        var activeIDs: Set<UInt64> = []
        var activeByHost: [String: Int] = [:]
        var cancelRequests: Set<UInt64> = []
        var driverRunning = false
        /// The driver is (about to be) asleep in `curl_multi_poll`, so new work must wake it.
        /// While it is awake it looks at the queue before sleeping again, so no wakeup
        /// (a write to libcurl's socket pair) is needed.
        var polling = false
    }

    /// What the driver does next, taken from the shared state in one locked step.
    private struct Work {
        var admitted: [CurlTransfer]
        var cancelled: Set<UInt64>
    }

    init(limits: FeedClientLimits) {
        self.limits = limits
        multi = pc_global_init() == CURLE_OK ? curl_multi_init() : nil
        if let multi {
            _ = pc_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, limits.maxParallel)
            _ = pc_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, limits.maxPerHost)
            _ = pc_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(limits.maxParallel, 4))
        }
    }

    deinit {
        // Runs only when no driver holds `self`, so no transfer is in flight.
        for handle in idleHandles { curl_easy_cleanup(handle) }
        if let multi { curl_multi_cleanup(multi) }
    }

    /// Runs `request` once and returns its response or failure; cancelling the task aborts it.
    func perform(_ request: TransportRequest) async -> Result<TransportResponse, TransportError> {
        let attempt = CancellableAttempt()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                attempt.started(start(request) { continuation.resume(returning: $0) })
            }
        } onCancel: {
            attempt.cancel()
        }
    }

    /// Queues `request` and returns at once; `completion` runs exactly once with the outcome,
    /// on the driver thread (or the caller's, when the request never starts).
    func start(_ request: TransportRequest,
               completion: @escaping @Sendable (Result<TransportResponse, TransportError>) -> Void) -> TransportAttempt {
        guard multi != nil else {
            completion(.failure(TransportError(.transport(code: 2, detail: "libcurl could not be initialised"))))
            return TransportAttempt {}
        }
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let transfer = CurlTransfer(id: id, request: request, counter: bodyBytesReceived)
        transfer.completion = completion
        submit(transfer)
        return TransportAttempt { [weak self] in self?.cancel(transfer) }
    }

    // MARK: Caller side

    private func submit(_ transfer: CurlTransfer) {
        enum Next { case alreadyCancelled, queued, wakeDriver, startDriver }
        let next = state.withLock { state -> Next in
            if transfer.cancelRequested { return .alreadyCancelled }
            state.pending.append(transfer)
            if state.driverRunning { return state.polling ? .wakeDriver : .queued }
            state.driverRunning = true
            return .startDriver
        }
        switch next {
        case .alreadyCancelled:
            transfer.finish(.failure(TransportError(.cancelled)))
        case .queued:
            break
        case .wakeDriver:
            wakeDriver()
        case .startDriver:
            do {
                try SystemThread.start(name: "pioneer.curl") { self.drive() }
            } catch {
                // No thread to move the bytes: fail what is queued rather than leave it waiting.
                let queued = state.withLock { state in
                    defer { state.pending.removeAll(); state.driverRunning = false }
                    return state.pending
                }
                for transfer in queued {
                    transfer.finish(.failure(TransportError(.transport(code: 0, detail: "\(error)"))))
                }
            }
        }
    }

    private func cancel(_ transfer: CurlTransfer) {
        enum Next { case finishQueued, wakeDriver, nothing }
        let next = state.withLock { state -> Next in
            transfer.cancelRequested = true
            if let index = state.pending.firstIndex(where: { $0 === transfer }) {
                state.pending.remove(at: index)
                return .finishQueued
            }
            guard state.activeIDs.contains(transfer.id) else { return .nothing }
            state.cancelRequests.insert(transfer.id)
            return state.polling ? .wakeDriver : .nothing
        }
        switch next {
        case .finishQueued: transfer.finish(.failure(TransportError(.cancelled)))
        case .wakeDriver: wakeDriver()
        case .nothing: break
        }
    }

    private func wakeDriver() {
        if let multi { _ = curl_multi_wakeup(multi) }
    }

    // MARK: Driver thread

    private func drive() {
        guard let multi else { return }
        let clock = ContinuousClock()
        var idleSince: ContinuousClock.Instant?
        while true {
            guard let work = state.withLock({ takeWork(&$0) }) else {
                // Nothing queued or running: wait for a wakeup, or stop after the linger.
                let now = clock.now
                let since = idleSince ?? now
                idleSince = since
                let left = Self.idleLinger - since.duration(to: now)
                if left <= .zero {
                    if state.withLock({ stopIfIdle(&$0) }) { return }
                    continue
                }
                let milliseconds = max(1, Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
                poll(multi, milliseconds: milliseconds)
                continue
            }
            idleSince = nil
            for id in work.cancelled {
                if let (handle, transfer) = running.first(where: { $0.value.id == id }) {
                    remove(handle, transfer, from: multi, result: .failure(TransportError(.cancelled)))
                }
            }
            for transfer in work.admitted {
                start(transfer, on: multi)
            }
            var stillRunning: Int32 = 0
            _ = curl_multi_perform(multi, &stillRunning)
            var handle: UnsafeMutableRawPointer?
            var code = CURLE_OK
            while pc_multi_next_done(multi, &handle, &code) != 0 {
                guard let handle, let transfer = running[handle] else { continue }
                remove(handle, transfer, from: multi, result: transfer.outcome(handle, code: code))
            }
            if !running.isEmpty {
                // Sleeps until a socket is ready, libcurl's next timeout, or a wakeup.
                poll(multi, milliseconds: 1000)
            }
        }
    }

    /// Sleeps in `curl_multi_poll` unless work arrived since the queue was last read.
    private func poll(_ multi: UnsafeMutableRawPointer, milliseconds: Int32) {
        let sleep = state.withLock { state -> Bool in
            // Any queued transfer that could start, not only the first: one waiting for a host
            // at its limit must not make the others wait for the next socket event (a second).
            let admissible = state.activeIDs.count < limits.maxParallel && state.pending.contains { transfer in
                state.activeByHost[transfer.hostKey, default: 0] < limits.maxPerHost
            }
            guard state.cancelRequests.isEmpty, !admissible else { return false }
            state.polling = true
            return true
        }
        guard sleep else { return }
        _ = curl_multi_poll(multi, nil, 0, milliseconds, nil)
        state.withLock { $0.polling = false }
    }

    /// Admits queued transfers within the limits and collects cancellations; nil when
    /// nothing is queued or running. Called under the lock.
    private func takeWork(_ state: inout State) -> Work? {
        var admitted: [CurlTransfer] = []
        var index = 0
        while index < state.pending.count, state.activeIDs.count < limits.maxParallel {
            let transfer = state.pending[index]
            if state.activeByHost[transfer.hostKey, default: 0] < limits.maxPerHost {
                state.pending.remove(at: index)
                state.activeIDs.insert(transfer.id)
                state.activeByHost[transfer.hostKey, default: 0] += 1
                admitted.append(transfer)
            } else {
                index += 1
            }
        }
        if state.activeIDs.isEmpty {
            return nil
        }
        let cancelled = state.cancelRequests
        state.cancelRequests.removeAll()
        return Work(admitted: admitted, cancelled: cancelled)
    }

    /// Marks the driver stopped when there is still no work; the next submit starts a new one.
    /// Called under the lock, as the driver's last act when it returns true.
    private func stopIfIdle(_ state: inout State) -> Bool {
        guard state.pending.isEmpty, state.activeIDs.isEmpty else { return false }
        state.driverRunning = false
        return true
    }

    private func start(_ transfer: CurlTransfer, on multi: UnsafeMutableRawPointer) {
        guard let handle = idleHandles.popLast() ?? curl_easy_init() else {
            release(transfer)
            transfer.finish(.failure(TransportError(.transport(code: 2, detail: "libcurl could not create a handle"))))
            return
        }
        do throws(TransportError) {
            try transfer.configure(handle)
            let added = curl_multi_add_handle(multi, handle)
            guard added == CURLM_OK else {
                let reason = String(cString: curl_multi_strerror(added))
                throw TransportError(.transport(code: Int(added.rawValue), detail: "libcurl could not start the transfer: \(reason)"))
            }
            running[handle] = transfer
        } catch {
            curl_easy_cleanup(handle)
            release(transfer)
            transfer.finish(.failure(error))
        }
    }

    private func remove(_ handle: UnsafeMutableRawPointer, _ transfer: CurlTransfer, from multi: UnsafeMutableRawPointer,
                        result: Result<TransportResponse, TransportError>) {
        running[handle] = nil
        _ = curl_multi_remove_handle(multi, handle)
        if idleHandles.count < limits.maxParallel {
            // Back to a fresh handle's options; live connections stay in the multi handle's cache.
            curl_easy_reset(handle)
            idleHandles.append(handle)
        } else {
            curl_easy_cleanup(handle)
        }
        release(transfer)
        transfer.finish(result)
    }

    /// Frees the transfer's slot so a queued one can start.
    private func release(_ transfer: CurlTransfer) {
        state.withLock { state in
            state.activeIDs.remove(transfer.id)
            state.cancelRequests.remove(transfer.id)
            let count = state.activeByHost[transfer.hostKey, default: 1] - 1
            state.activeByHost[transfer.hostKey] = count > 0 ? count : nil
        }
    }
}
