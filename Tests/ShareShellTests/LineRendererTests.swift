import Testing

@testable import ShareShell

@Suite("LineRenderer")
struct LineRendererTests {
    let escape = "\u{1B}["

    @Test("a short line is drawn on one row with the cursor in its column")
    func oneRow() {
        let rendered = LineRenderer.render(prompt: "> ", text: "abc", cursor: 1, width: 80, previous: .fresh)
        #expect(rendered.output == "\r\(escape)K> abc\r\(escape)3C")
        #expect(rendered.layout == LineRenderer.Layout(rows: 1, cursorRow: 0))
    }

    @Test("a long line wraps; the cursor goes up from the last row to its own row")
    func wrapsAndPositionsCursor() {
        let text = String(repeating: "x", count: 20)
        let rendered = LineRenderer.render(prompt: "> ", text: text, cursor: 5, width: 10, previous: .fresh)
        // prompt + 20 characters = 22 columns: rows 0, 1 and 2; the cursor is at column 7 of row 0.
        #expect(rendered.output == "\r\(escape)K> \(text)\(escape)2A\r\(escape)7C")
        #expect(rendered.layout == LineRenderer.Layout(rows: 3, cursorRow: 0))
    }

    @Test("a redraw first clears the rows the previous render used, from the last up to the first")
    func redrawClearsPreviousRows() {
        let previous = LineRenderer.Layout(rows: 3, cursorRow: 2)
        let rendered = LineRenderer.render(prompt: "> ", text: "ab", cursor: 2, width: 10, previous: previous)
        #expect(rendered.output.hasPrefix("\r\(escape)K\(escape)1A\r\(escape)K\(escape)1A\r\(escape)K> ab"))
        let fromFirstRow = LineRenderer.clearRows(LineRenderer.Layout(rows: 3, cursorRow: 0))
        #expect(fromFirstRow == "\(escape)2B\r\(escape)K\(escape)1A\r\(escape)K\(escape)1A\r\(escape)K")
        #expect(rendered.layout == LineRenderer.Layout(rows: 1, cursorRow: 0))
    }

    @Test("a line that ends exactly at the margin gets a newline, so the cursor sits on the next row")
    func exactEndOfRow() {
        let text = String(repeating: "y", count: 8)
        let atEnd = LineRenderer.render(prompt: "> ", text: text, cursor: 8, width: 10, previous: .fresh)
        #expect(atEnd.output == "\r\(escape)K> \(text)\r\n\r")
        #expect(atEnd.layout == LineRenderer.Layout(rows: 2, cursorRow: 1))
        let atStart = LineRenderer.render(prompt: "> ", text: text, cursor: 0, width: 10, previous: atEnd.layout)
        #expect(atStart.output == "\r\(escape)K\(escape)1A\r\(escape)K> \(text)\r\n\(escape)1A\r\(escape)2C")
        #expect(atStart.layout == LineRenderer.Layout(rows: 2, cursorRow: 0))
    }

    @Test("the cursor crosses the row boundary: the first character of a row is at column 0")
    func cursorCrossesRows() {
        let text = String(repeating: "z", count: 20)
        let lastOfRow = LineRenderer.place(prompt: "> ", text: text, cursor: 7, width: 10)
        #expect(lastOfRow.cursor == LineRenderer.Position(row: 0, column: 9))
        let firstOfNext = LineRenderer.place(prompt: "> ", text: text, cursor: 8, width: 10)
        #expect(firstOfNext.cursor == LineRenderer.Position(row: 1, column: 0))
        let back = LineRenderer.render(prompt: "> ", text: text, cursor: 7, width: 10, previous: LineRenderer.Layout(rows: 3, cursorRow: 1))
        #expect(back.output.hasPrefix("\(escape)1B\r\(escape)K\(escape)1A\r\(escape)K\(escape)1A\r\(escape)K> "))
        #expect(back.output.hasSuffix("\(escape)2A\r\(escape)9C"))
    }

    @Test("a wide character that does not fit on the last column starts the next row")
    func wideCharacterAtMargin() {
        let placement = LineRenderer.place(prompt: "> ", text: "abcdefg漢", cursor: 7, width: 10)
        #expect(placement.cursor == LineRenderer.Position(row: 1, column: 0))
        #expect(placement.end == LineRenderer.Position(row: 1, column: 2))
        let wide = LineRenderer.place(prompt: "", text: "漢字かな", cursor: 4, width: 80)
        #expect(wide.cursor == LineRenderer.Position(row: 0, column: 8))
    }

    @Test("colour escapes in the prompt take no columns")
    func colouredPrompt() {
        let placement = LineRenderer.place(prompt: "\u{1B}[1mshare>\u{1B}[0m ", text: "ab", cursor: 2, width: 80)
        #expect(placement.cursor == LineRenderer.Position(row: 0, column: 9))
    }

    @Test("after a resize the cursor's row is where its character falls at the new width")
    func resize() {
        let text = String(repeating: "w", count: 100)
        let narrow = LineRenderer.layoutAfterResize(prompt: "> ", text: text, cursor: 50, width: 40)
        #expect(narrow == LineRenderer.Layout(rows: 3, cursorRow: 1))
        let wide = LineRenderer.layoutAfterResize(prompt: "> ", text: text, cursor: 50, width: 200)
        #expect(wide == LineRenderer.Layout(rows: 1, cursorRow: 0))
    }

    @Test("the final draw leaves the cursor below the line, after the suffix")
    func finish() {
        let output = LineRenderer.finish(prompt: "> ", text: "env", suffix: "^C", previous: LineRenderer.Layout(rows: 2, cursorRow: 1))
        #expect(output == "\r\(escape)K\(escape)1A\r\(escape)K> env^C\r\n")
    }

    @Test("rows are cleared one by one, never with clear-to-end-of-screen, which tmux copies into its scrollback")
    func noClearToEndOfScreen() {
        let text = String(repeating: "q", count: 300)
        var layout = LineRenderer.Layout.fresh
        for cursor in [300, 0, 150, 299] {
            let rendered = LineRenderer.render(prompt: "> ", text: text, cursor: cursor, width: 40, previous: layout)
            #expect(!rendered.output.contains("\(escape)J"))
            layout = rendered.layout
        }
        #expect(layout == LineRenderer.Layout(rows: 8, cursorRow: 7))
    }
}
