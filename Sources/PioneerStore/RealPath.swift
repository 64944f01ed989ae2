import Foundation

/// Paths as the system resolves them when it opens a file, for telling whether two given paths
/// name one file (one store, one site folder).
public enum RealPath {
    /// `path` made absolute, with the links and `..` of the part of it that exists resolved by the
    /// system, as opening the file resolves them: `link/..` is the link's target's parent, not the
    /// folder holding the link. The part that does not exist yet (a store and its `.pioneer`
    /// folder before the first run) is appended as written, its `.` and `..` read lexically (a
    /// missing folder holds no links).
    public static func of(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var existing = absolute.split(separator: "/").map(String.init)
        var missing: [String] = []
        while true {
            if let resolved = realpath("/" + existing.joined(separator: "/"), nil) {
                defer { free(resolved) }
                var components = String(cString: resolved).split(separator: "/").map(String.init)
                for component in missing.reversed() {
                    switch component {
                    case ".": continue
                    case "..": _ = components.popLast()
                    default: components.append(component)
                    }
                }
                return "/" + components.joined(separator: "/")
            }
            guard let last = existing.popLast() else { return absolute }
            missing.append(last)
        }
    }
}
