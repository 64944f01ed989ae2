// Where large response bodies wait while they are read: a folder per process, so that what a
// process leaves behind (a body still held when it exits, or a process killed part-way) is
// found and removed by the next one.
public import Foundation

/// The folder of this process's temporary bodies, `$TMPDIR/pioneer-bodies-<pid>/`.
public enum TemporaryBodies {
    static let prefix = "pioneer-bodies-"

    /// This process's folder; created when the first large body arrives.
    public static let folder: URL = FileManager.default.temporaryDirectory
        .appending(path: "\(prefix)\(ProcessInfo.processInfo.processIdentifier)", directoryHint: .isDirectory)

    /// Removes this process's folder, and the folders of processes no longer running.
    /// `pioneer collect` calls it as it finishes, when no body is being read any more.
    public static func removeLeftovers() {
        try? FileManager.default.removeItem(at: folder)
        let parent = FileManager.default.temporaryDirectory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), !isRunning(pid) else { continue }
            try? FileManager.default.removeItem(at: parent.appending(path: name))
        }
    }

    /// Whether a process with this id exists: /proc/<pid> on Linux, no kill(2) needed.
    private static func isRunning(_ pid: Int32) -> Bool {
        FileManager.default.fileExists(atPath: "/proc/\(pid)")
    }
}
