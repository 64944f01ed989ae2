// One file a plugin scaffold writes, with the placeholders its text and path may hold.
import Foundation

/// A file of a scaffolded plugin: where it goes and what it says, before the names are filled in.
struct PluginTemplate {
    /// Relative to the plugin's folder (external plugins) or the package (Swift), with placeholders.
    var path: String
    /// Whether the file is a program the host or a test runs (`chmod +x`).
    var executable: Bool
    var text: String

    /// `text` with every placeholder replaced: `__NAME__` → `bed-days`, and so on.
    static func fill(_ text: String, _ values: [String: String]) -> String {
        values.keys.sorted { $0.count > $1.count }.reduce(text) { text, key in
            text.replacingOccurrences(of: key, with: values[key] ?? "")
        }
    }
}
