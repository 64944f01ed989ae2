// "Did you mean ...?" for misspelt keys and names.

enum Suggestions {
    /// The closest candidate to `word` within a small edit distance, or nil. At the same
    /// distance a plain edit wins over an ending added (`feed-20000` suggests `feed-2000`,
    /// not `feed-20`), then the candidate that comes first.
    static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let lowered = word.lowercased()
        var best: (String, Int)?
        for candidate in candidates {
            let edit = editDistance(lowered, candidate.lowercased())
            let ending = inflection(lowered, of: candidate.lowercased())
            let distance = min(edit, ending)
            let limit = max(1, min(3, candidate.count / 3))
            let rank = edit <= ending ? 2 * edit : 2 * ending + 1
            if distance <= limit, rank < (best?.1 ?? Int.max) {
                best = (candidate, rank)
            }
        }
        return best?.0
    }

    /// A distance for words that are a name with an ending added: `monthly` for `month`,
    /// `quarterly` for `quarter`, `weekly` for `iso-week`, `yearly` for `fy-year`. Plain edit
    /// distance finds these too far for short names. Counted as 1 (the ending's letters
    /// are one mistake) when the name, or its last `-`/`_` part, has 4 letters or more and
    /// the ending at most 3; otherwise as no match.
    static func inflection(_ word: String, of candidate: String) -> Int {
        let last = candidate.split(whereSeparator: { $0 == "-" || $0 == "_" }).last.map(String.init) ?? candidate
        for stem in Set([candidate, last]) where stem.count >= 4 && word.hasPrefix(stem) {
            if (1...3).contains(word.count - stem.count) { return 1 }
        }
        return Int.max
    }

    /// Edit distance counting a swap of neighbouring letters as one edit
    /// (optimal string alignment), so `gaols` suggests `goals`. Bounded to short words.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.prefix(64)), b = Array(b.prefix(64))
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], before[j - 2] + 1)
                }
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}

/// " (did you mean `x`?)" or "", for appending to a message.
///
/// A word that is a candidate but for characters an editor does not show (a byte-order mark
/// pasted before a key, a zero-width or no-break space) is said to be so.
package func didYouMean(_ word: String, among candidates: some Sequence<String>) -> String {
    let visible = word.removingControlCharacters()
    if visible != word, !visible.isEmpty, candidates.contains(visible) {
        return " (it is `\(visible)` with an invisible character in it, which an editor may not show; delete it and type `\(visible)` again)"
    }
    guard let match = Suggestions.closest(to: word, in: candidates) else { return "" }
    return " (did you mean `\(match)`?)"
}

/// Names quoted for a message, "`a`, `b`, `c`": at most `limit` of them, a longer list ending
/// "and 988 more", so a message about a site of a thousand indicators stays a few lines long.
package func quotedList(_ names: some Collection<String>, limit: Int = 12) -> String {
    let shown = names.prefix(limit).map { "`\($0)`" }.joined(separator: ", ")
    let rest = names.count - min(names.count, limit)
    return rest == 0 ? shown : "\(shown) and \(rest) more"
}
