/// Ctrl-R: readline's reverse incremental search through history, as a pure value.
///
/// Each character typed narrows the search to entries containing the query, starting from the
/// entry shown and going back in time; Ctrl-R again moves to the next older match. The screen shows
/// `(reverse-i-search)`query': match`, or `(failed reverse-i-search)` when nothing older matches
/// (the last match stays shown, as readline does).
struct ReverseSearch: Equatable, Sendable {
    /// An entry that contains the query, and where the query starts in it.
    struct Match: Equatable, Sendable {
        var entry: Int
        var offset: Int
    }

    /// History, oldest first.
    let entries: [String]
    /// The line being edited when the search started, restored by Ctrl-G or Esc.
    let original: LineBuffer
    private(set) var query = ""
    private(set) var match: Match?
    private(set) var failed = false

    init(entries: [String], original: LineBuffer) {
        self.entries = entries
        self.original = original
    }

    /// The prompt readline shows while searching.
    var prompt: String { (failed ? "(failed reverse-i-search)`" : "(reverse-i-search)`") + query + "': " }

    /// The line shown after the prompt: the match, or the original line before anything matched.
    var line: String { match.map { entries[$0.entry] } ?? original.text }

    /// The cursor within ``line``: at the start of the matched text.
    var cursor: Int { match?.offset ?? original.cursor }

    /// The match as a line to keep editing, the cursor where the search left it.
    var accepted: LineBuffer { LineBuffer(line, cursor: cursor) }

    /// Extends the query; the shown match stays if it still matches.
    mutating func append(_ text: String) {
        query += text
        search(from: match?.entry ?? entries.count - 1, skippingText: nil)
    }

    /// Backspace: shortens the query and searches again from the newest entry.
    mutating func deleteBackward() {
        guard !query.isEmpty else { return }
        query.removeLast()
        failed = false
        if query.isEmpty {
            match = nil
        } else {
            search(from: entries.count - 1, skippingText: nil)
        }
    }

    /// Ctrl-R again: the next older entry that matches (and differs from the one shown).
    mutating func searchOlder() {
        guard !query.isEmpty else { return }
        guard let match else {
            search(from: entries.count - 1, skippingText: nil)
            return
        }
        search(from: match.entry - 1, skippingText: entries[match.entry])
    }

    private mutating func search(from start: Int, skippingText: String?) {
        var index = start
        while index >= 0 {
            let entry = entries[index]
            if entry != skippingText, let range = entry.range(of: query) {
                match = Match(entry: index, offset: entry.distance(from: entry.startIndex, to: range.lowerBound))
                failed = false
                return
            }
            index -= 1
        }
        failed = true
    }
}
