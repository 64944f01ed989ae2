// Which process left a run or a file behind: its id and when it started, since an id alone is
// given again to later processes (a container's entrypoint is always process 1).
import Foundation

/// Whether an item named for process `pid`, started at `ticks` (its start in clock ticks since
/// boot, as ``processStartTicks(_:)`` gives it; nil for a name without it), was left by a
/// process that is gone: none has that id, or the one that has it started at another time (the
/// id was given again: a container's entrypoint is always process 1).
func leftByAProcessGone(pid: Int32, ticks: Int64?) -> Bool {
    guard FileManager.default.fileExists(atPath: "/proc/\(pid)") else { return true }
    guard let ticks, let now = processStartTicks(pid) else { return false }
    return now != ticks
}

/// When process `pid` started, in clock ticks since the machine booted (field 22 of
/// /proc/<pid>/stat): with the id, it names one process.
func processStartTicks(_ pid: Int32) -> Int64? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = text.lastIndex(of: ")") else { return nil }
    let fields = text[text.index(after: close)...].split(separator: " ")
    return fields.count > 19 ? Int64(fields[19]) : nil
}

/// The process id and start ticks at the head of `name` after `prefix`: `<pid>-<ticks>-…`.
func processOfName(_ name: Substring) -> (pid: Int32, ticks: Int64?)? {
    let parts = name.split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
    guard let first = parts.first, let pid = Int32(first) else { return nil }
    return (pid, parts.count > 2 ? Int64(parts[1]) : nil)
}
