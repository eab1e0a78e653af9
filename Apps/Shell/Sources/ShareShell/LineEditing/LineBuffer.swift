/// The text being edited on the prompt line and the cursor within it.
///
/// Pure value semantics, so every editing key is unit-tested without a terminal. Positions count
/// `Character`s (grapheme clusters), which is what a person sees as one step of the cursor.
struct LineBuffer: Equatable, Sendable {
    private(set) var characters: [Character]
    private(set) var cursor: Int

    init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    /// `text` with the cursor before its `cursor`-th character (clamped to the line).
    init(_ text: String, cursor: Int) {
        characters = Array(text)
        self.cursor = min(max(0, cursor), characters.count)
    }

    var text: String { String(characters) }
    var isEmpty: Bool { characters.isEmpty }

    /// The text before the cursor.
    var textBeforeCursor: String { String(characters[..<cursor]) }

    mutating func insert(_ text: String) {
        let inserted = Array(text)
        characters.insert(contentsOf: inserted, at: cursor)
        cursor += inserted.count
    }

    /// Backspace: deletes the character before the cursor.
    mutating func deleteBackward() {
        guard cursor > 0 else { return }
        characters.remove(at: cursor - 1)
        cursor -= 1
    }

    /// Delete / Ctrl-D on a non-empty line: deletes the character under the cursor.
    mutating func deleteForward() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
    }

    mutating func moveLeft() { cursor = max(0, cursor - 1) }
    mutating func moveRight() { cursor = min(characters.count, cursor + 1) }
    mutating func moveToStart() { cursor = 0 }
    mutating func moveToEnd() { cursor = characters.count }

    /// Alt-B / Ctrl-Left: to the start of the previous word.
    mutating func moveWordLeft() {
        while cursor > 0, characters[cursor - 1].isWhitespace { cursor -= 1 }
        while cursor > 0, !characters[cursor - 1].isWhitespace { cursor -= 1 }
    }

    /// Alt-F / Ctrl-Right: to the end of the next word.
    mutating func moveWordRight() {
        while cursor < characters.count, characters[cursor].isWhitespace { cursor += 1 }
        while cursor < characters.count, !characters[cursor].isWhitespace { cursor += 1 }
    }

    /// Ctrl-U: deletes from the start of the line to the cursor.
    mutating func deleteToStart() {
        characters.removeSubrange(0..<cursor)
        cursor = 0
    }

    /// Ctrl-K: deletes from the cursor to the end of the line.
    mutating func deleteToEnd() {
        characters.removeSubrange(cursor...)
    }

    /// Ctrl-W: deletes the word before the cursor.
    mutating func deleteWordBackward() {
        let end = cursor
        moveWordLeft()
        characters.removeSubrange(cursor..<end)
    }

    /// Replaces the whole line (history recall), cursor at the end.
    mutating func replace(with text: String) {
        characters = Array(text)
        cursor = characters.count
    }

    /// Replaces the word ending at the cursor with `completion` (tab completion).
    mutating func completeWord(prefixLength: Int, with completion: String) {
        let start = max(0, cursor - prefixLength)
        characters.replaceSubrange(start..<cursor, with: Array(completion))
        cursor = start + completion.count
    }
}
