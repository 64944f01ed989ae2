// The clock and the exit of one plugin process: SIGTERM then SIGKILL to its group at the
// deadline, and SIGKILL to its group once it has exited, for whatever it left behind.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Watches a plugin's process group for one call.
///
/// Exit is seen with `waitid(WNOWAIT)`, which leaves reaping to swift-subprocess. The
/// group is killed while the plugin is at most just reaped, so its id cannot yet name
/// another process's group in practice (pids are handed out in turn, not reused at once).
struct ProcessGroupWatch: Sendable {
    /// The process group, which is also the plugin's own pid.
    let group: pid_t
    let deadline: ContinuousClock.Instant
    let grace: Duration
    /// How often to look while stdout and stderr are open: this bounds only how long a
    /// child left holding them can delay the answer.
    static let interval = Duration.milliseconds(20)

    /// What ended the watch while the pipes were read.
    enum End: Sendable {
        case deadline, exited, cancelled
    }

    /// While the pipes are read, until cancelled: kills the group at the deadline, or once
    /// the plugin has exited (a child it left holding its pipes must not delay the answer).
    func whileReading() async -> End {
        while !Task.isCancelled {
            // Exit first: on a busy machine this task may first run after the deadline, and a
            // plugin that had already answered and exited did not overrun it.
            if hasExited() {
                kill(-group, SIGKILL)
                return .exited
            }
            if ContinuousClock.now >= deadline {
                await stop()
                return .deadline
            }
            do {
                try await Task.sleep(for: Self.interval)
            } catch {
                return .cancelled
            }
        }
        return .cancelled
    }

    /// Once the pipes have closed: waits for the plugin to exit, looking often at first (it
    /// is usually exiting already), then kills its group. Returns whether the deadline stopped it.
    func untilExit() async -> Bool {
        var wait = Duration.microseconds(250)
        while !hasExited() {
            if ContinuousClock.now >= deadline {
                await stop(cancellable: false)
                return true
            }
            try? await Task.sleep(for: wait)
            wait = min(wait * 2, Self.interval)
        }
        kill(-group, SIGKILL)
        return false
    }

    /// SIGTERM to the group, then SIGKILL after the grace period (sooner when cancelled,
    /// which means the pipes closed: it has gone).
    private func stop(cancellable: Bool = true) async {
        kill(-group, SIGTERM)
        if cancellable {
            try? await Task.sleep(for: grace)
        } else {
            let end = ContinuousClock.now + grace
            while ContinuousClock.now < end, !hasExited() {
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        kill(-group, SIGKILL)
    }

    /// Whether the plugin itself has exited, without reaping it.
    private func hasExited() -> Bool {
        var info = siginfo_t()
        let result = waitid(P_PID, id_t(group), &info, WEXITED | WNOHANG | WNOWAIT)
        if result != 0 { return errno == ECHILD }
        return info._sifields._sigchld.si_pid == group
    }
}
