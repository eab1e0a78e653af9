/// Draws the prompt and the line being edited over as many terminal rows as they need, and puts the
/// cursor where it belongs, as a pure function from (prompt, text, cursor, width, previous layout)
/// to the bytes to write and the new layout.
///
/// Each redraw clears the rows the previous render used, from the last up to the first, writes
/// prompt and text (the terminal wraps them), then moves the cursor to its computed row and column
/// — the approach of linenoise's multi-line mode. Rows are cleared one by one (`ESC[K`) rather than
/// with clear-to-end-of-screen, because tmux (`scroll-on-clear`) copies the whole screen into its
/// scrollback when `ESC[J` runs on the top row: each keystroke would leave a copy of the line there,
/// which a resize then pulls back onto the screen. When the text ends exactly at the
/// right margin the terminal leaves its cursor in the "pending wrap" state on the last column, so
/// the renderer writes a newline to put it on the next row before positioning it.
enum LineRenderer {
    /// Where a render left the screen: the next render starts from it.
    struct Layout: Equatable, Sendable {
        /// Rows used, counted from the prompt's first row.
        var rows: Int
        /// The row of the cursor, counted from the prompt's first row.
        var cursorRow: Int

        /// Nothing drawn yet: the cursor is at the start of an empty row.
        static let fresh = Layout(rows: 1, cursorRow: 0)
    }

    /// A cell on screen relative to the prompt's first row.
    struct Position: Equatable, Sendable {
        var row: Int
        var column: Int
    }

    /// The bytes that redraw `prompt` + `text` with the cursor before the `cursor`-th character.
    static func render(prompt: String, text: String, cursor: Int, width: Int, previous: Layout) -> (output: String, layout: Layout) {
        let placement = place(prompt: prompt, text: text, cursor: cursor, width: width)
        var output = clearRows(previous) + prompt + text
        var terminalRow = placement.end.row
        if placement.end.column == max(width, 1) {
            output += "\r\n"
            terminalRow += 1
        }
        let target = placement.cursor
        if terminalRow > target.row { output += "\u{1B}[\(terminalRow - target.row)A" }
        output += "\r"
        if target.column > 0 { output += "\u{1B}[\(target.column)C" }
        return (output, Layout(rows: terminalRow + 1, cursorRow: target.row))
    }

    /// The bytes that draw the line one last time and leave the cursor at the start of the row below
    /// it, after `suffix` (such as "^C"): for Enter, Ctrl-C, and output printed under the line.
    static func finish(prompt: String, text: String, suffix: String = "", previous: Layout) -> String {
        clearRows(previous) + prompt + text + suffix + "\r\n"
    }

    /// The layout as it stands after the terminal reflowed the rows to `width` (what a resize does
    /// in terminals that rewrap, such as tmux, VTE, iTerm2, kitty): the cursor stays on the same
    /// character, so its row is where that character now falls.
    static func layoutAfterResize(prompt: String, text: String, cursor: Int, width: Int) -> Layout {
        let placement = place(prompt: prompt, text: text, cursor: cursor, width: width)
        return Layout(rows: max(placement.end.row, placement.cursor.row) + 1, cursorRow: placement.cursor.row)
    }

    /// Where the text ends and where the cursor goes, with the terminal's wrapping rules: a
    /// character that does not fit in what is left of a row (a wide one on the last column) starts
    /// the next row.
    static func place(prompt: String, text: String, cursor: Int, width: Int) -> (end: Position, cursor: Position) {
        let width = max(width, 1)
        var position = Position(row: 0, column: 0)
        func advance(over character: Character) {
            let columns = DisplayWidth.of(character)
            if position.column == width || position.column + columns > width {
                position = Position(row: position.row + 1, column: 0)
            }
            position.column += columns
        }
        for character in visibleText(of: prompt) { advance(over: character) }
        var cursorPosition: Position?
        for (index, character) in text.enumerated() {
            if index == cursor {
                let columns = DisplayWidth.of(character)
                cursorPosition =
                    position.column == width || position.column + columns > width
                    ? Position(row: position.row + 1, column: 0) : position
            }
            advance(over: character)
        }
        let end = position
        let atEnd = position.column == width ? Position(row: position.row + 1, column: 0) : position
        return (end, cursorPosition ?? atEnd)
    }

    /// `prompt` without its ANSI escape sequences (colours), which take no columns.
    static func visibleText(of prompt: String) -> String {
        var visible = String.UnicodeScalarView()
        var inEscape = false
        for scalar in prompt.unicodeScalars {
            if inEscape {
                if (0x40...0x7E).contains(scalar.value), scalar != "[" { inEscape = false }
            } else if scalar == "\u{1B}" {
                inEscape = true
            } else {
                visible.append(scalar)
            }
        }
        return String(visible)
    }

    /// Clears every row of `previous`, leaving the cursor at the start of its first row.
    static func clearRows(_ previous: Layout) -> String {
        var output = ""
        let rowsBelow = previous.rows - 1 - previous.cursorRow
        if rowsBelow > 0 { output += "\u{1B}[\(rowsBelow)B" }
        output += String(repeating: "\r\u{1B}[K\u{1B}[1A", count: previous.rows - 1)
        return output + "\r\u{1B}[K"
    }
}
