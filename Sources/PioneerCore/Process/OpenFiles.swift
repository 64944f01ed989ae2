// The process's open files against its limit (`ulimit -n`). A process that reaches the limit
// is not only refused files: libdispatch's thread monitor, which opens /proc/<thread>/stat
// every second while work is queued, ends the process (SIGILL) when it cannot. So collect and
// serve plan to stay below the limit instead of running into it.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation

public enum OpenFiles {
    /// This process's open files and its limit on them; nil where either cannot be read.
    public static func current() -> (open: Int, limit: Int)? {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        // The listing holds a file of its own while it is read, and gives it back.
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return nil }
        return (max(0, entries.count - 1), Int(clamping: limit.rlim_cur))
    }
}
