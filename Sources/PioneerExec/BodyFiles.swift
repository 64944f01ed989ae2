// The files that hold the bodies of one `observe` call for a plugin declared with
// `bodies: file`: a body the feed client already keeps in a file is named where it lies; one
// held in memory is written to a file of the call's own, removed when the call is over.
import Foundation
import PioneerKit

/// The body files of one call. Used by the one task making the call.
final class BodyFiles {
    private var folder: URL?
    private var written = 0

    /// The path of a file holding `body`, and its size in bytes.
    func file(holding body: FeedResponse.Body) throws(PluginError) -> (path: String, size: Int) {
        if let url = body.fileURL {
            guard let size = body.size else {
                throw PluginError("the file \(url.path) holding it cannot be read")
            }
            return (url.path, size)
        }
        let data = try body.bytes()
        let folder: URL
        if let existing = self.folder {
            folder = existing
        } else {
            folder = try makeFolder()
        }
        written += 1
        let file = folder.appending(path: "body-\(written)")
        do {
            try data.write(to: file)
        } catch {
            throw PluginError("it could not be written to \(file.path) for the plugin: \((error as NSError).localizedDescription)")
        }
        return (file.path, data.count)
    }

    /// Removes the files written for the call (never a body's own file).
    func remove() {
        if let folder {
            try? FileManager.default.removeItem(at: folder)
            RunningPlugins.removed(folder.path)
        }
        folder = nil
    }

    /// The prefix of the folders' names; the process id follows, then a UUID.
    static let prefix = "pioneer-plugin-bodies-"

    /// Removes the body folders that processes no longer running left behind (a pioneer
    /// killed outright): once per process, when it first writes a folder of its own.
    private static let abandonedRemoved: Void = {
        let temporary = FileManager.default.temporaryDirectory
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? [] where name.hasPrefix(prefix) {
            // `pioneer-plugin-bodies-<pid>-<uuid>`: a folder whose pid is gone is abandoned.
            guard let pid = pid_t(name.dropFirst(prefix.count).prefix { $0 != "-" }), pid != getpid(),
                  kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: temporary.appending(path: name))
        }
    }()

    deinit {
        remove()
    }

    private func makeFolder() throws(PluginError) -> URL {
        _ = Self.abandonedRemoved
        let folder = FileManager.default.temporaryDirectory.appending(path: "\(Self.prefix)\(getpid())-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw PluginError("no folder for the plugin's body files could be made in \(folder.deletingLastPathComponent().path): \((error as NSError).localizedDescription)")
        }
        self.folder = folder
        RunningPlugins.wrote(folder.path)
        return folder
    }
}
