// The plugin processes running now, and the body folders written for them, so that an
// interrupted pioneer can stop the plugins and remove the folders: each plugin runs in a
// process group of its own, which the terminal's Ctrl-C does not reach.
import Foundation
import Synchronization

/// The process groups of the plugins running now, and the body folders of their calls.
public enum RunningPlugins {
    private static let state = Mutex<(groups: Set<pid_t>, folders: Set<String>)>(([], []))

    static func started(_ group: pid_t) {
        state.withLock { _ = $0.groups.insert(group) }
    }

    static func ended(_ group: pid_t) {
        state.withLock { _ = $0.groups.remove(group) }
    }

    static func wrote(_ folder: String) {
        state.withLock { _ = $0.folders.insert(folder) }
    }

    static func removed(_ folder: String) {
        state.withLock { _ = $0.folders.remove(folder) }
    }

    /// Asks every running plugin to stop: SIGTERM to its process group. The call then ends
    /// as a plugin that exited does, or at its deadline if it ignores the signal.
    public static func terminateAll() {
        for group in state.withLock({ $0.groups }) { kill(-group, SIGTERM) }
    }

    /// Stops every running plugin at once (SIGKILL to its group) and removes the body folders
    /// written for their calls: for a process about to exit without unwinding.
    public static func killAllAndClean() {
        let (groups, folders) = state.withLock { ($0.groups, $0.folders) }
        for group in groups { kill(-group, SIGKILL) }
        for folder in folders { try? FileManager.default.removeItem(atPath: folder) }
    }
}
