// Where large response bodies wait while they are read: a folder per process, so that what a
// process leaves behind (a body still held when it exits, or a process killed part-way) is
// found and removed by the next one.
public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The folder of this process's temporary bodies, `<temporary folder>/pioneer-bodies-<pid>-<start>-<random>/`.
public enum TemporaryBodies {
    static let prefix = "pioneer-bodies-"

    /// Where the folders go: `$TMPDIR` when it is set; otherwise `/tmp`, unless `/tmp` is held
    /// in memory (a tmpfs, as Debian 13 and Fedora mount it), when `/var/tmp` on the disk takes
    /// the large bodies instead: a 700 MB extract waiting in a tmpfs would take 700 MB of the
    /// machine's memory, whatever pioneer's own memory.
    public static let parent: URL = chooseParent(environment: ProcessInfo.processInfo.environment)

    /// This process's folder; created when the first large body arrives (``prepare()``). Its
    /// name ends in a random part, so another user cannot make it first and read or swap the
    /// bodies written into it.
    public static let folder: URL = parent.appending(
        path: "\(prefix)\(getpid())-\(processStartTicks(getpid()) ?? 0)-\(UUID().uuidString.prefix(12).lowercased())",
        directoryHint: .isDirectory)

    /// Creates ``folder`` (mode 0700) unless it is there, for each large body.
    ///
    /// A folder already there under that name is refused unless it is this user's own and
    /// closed to others: a folder another user made (or a link to one) could let them read or
    /// replace a body between its hashing and its reading.
    static func prepare() -> Result<URL, SpillFailure> {
        create(folder)
    }

    static func create(_ folder: URL) -> Result<URL, SpillFailure> {
        if mkdir(folder.path, 0o700) == 0 { return .success(folder) }
        let error = errno
        guard error == EEXIST else {
            return .failure(SpillFailure(message: "cannot create the temporary folder \(folder.path) for large bodies: \(String(cString: strerror(error))) (is TMPDIR writable?)"))
        }
        var status = stat()
        guard lstat(folder.path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR,
              status.st_uid == geteuid(), status.st_mode & 0o077 == 0 else {
            return .failure(SpillFailure(message: "the temporary folder \(folder.path) for large bodies already exists and is not this process's own; "
                                         + "nothing is written into it (remove it, or set TMPDIR to a folder of your own)"))
        }
        return .success(folder)
    }

    static func chooseParent(environment: [String: String], inMemory: (String) -> Bool = isInMemory,
                             writable: (String) -> Bool = { access($0, W_OK) == 0 }) -> URL {
        if let set = environment["TMPDIR"], !set.isEmpty { return URL(fileURLWithPath: set, isDirectory: true) }
        if inMemory("/tmp"), !inMemory("/var/tmp"), writable("/var/tmp") {
            return URL(fileURLWithPath: "/var/tmp", isDirectory: true)
        }
        return URL(fileURLWithPath: "/tmp", isDirectory: true)
    }

    /// Whether the file system holding `path` keeps its files in memory (tmpfs or ramfs), by
    /// the mount table: the type of the longest mount point that holds the path.
    static func isInMemory(_ path: String) -> Bool {
        guard let table = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8) else { return false }
        return fileSystemType(of: URL(fileURLWithPath: path).resolvingSymlinksInPath().path, mounts: table)
            .map { ["tmpfs", "ramfs"].contains($0) } ?? false
    }

    /// The type of the file system holding `path` in a mount table (`/proc/self/mounts`: device,
    /// mount point with spaces written `\040`, type, ...), or nil when no line holds it.
    static func fileSystemType(of path: String, mounts table: String) -> String? {
        var best: (point: String, type: String)?
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            let point = fields[1].replacingOccurrences(of: "\\040", with: " ")
            let holds = point == "/" || path == point || path.hasPrefix(point + "/")
            if holds, point.count >= (best?.point.count ?? -1) { best = (point, String(fields[2])) }
        }
        return best?.type
    }

    /// Removes this process's folder, and the folders of processes no longer running.
    /// `pioneer collect` calls it as it finishes, when no body is being read any more.
    public static func removeLeftovers() {
        try? FileManager.default.removeItem(at: folder)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            // `pioneer-bodies-<pid>-<random>`, or `pioneer-bodies-<pid>` as earlier versions named it.
            guard let (pid, ticks) = processOfName(name.dropFirst(prefix.count)), pid != getpid(),
                  leftByAProcessGone(pid: pid, ticks: ticks) else { continue }
            try? FileManager.default.removeItem(at: parent.appending(path: name))
        }
    }
}


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
