// The spelling rules for the names a site file defines: site, indicator and goal ids,
// and feed names. They appear in URLs, file names and database keys, so they are plain.
import PioneerKit

/// Checks identifiers against the site schema's spelling rules.
enum SiteIdentifier {
    /// Site, indicator and goal ids: `[a-z0-9-]+`.
    static func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// Feed names: `[a-z0-9_-]+`.
    static func isFeedName(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
    }

    /// What an identifier may contain, for messages, with a suggested spelling when one is obvious.
    static func rule(for text: String) -> String {
        let visible = text.removingControlCharacters()
        if visible != text, !visible.isEmpty, isFeedName(visible) {
            return "holds an invisible character, which an editor may not show; delete it and type `\(visible)` again"
        }
        let suggestion = text.lowercased()
            .map { $0 == " " || $0 == "_" ? "-" : $0 }
            .filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        let hint = !suggestion.isEmpty && String(suggestion) != text ? " (e.g. `\(String(suggestion))`)" : ""
        return "may use only lowercase letters, digits and `-`\(hint)"
    }
}
