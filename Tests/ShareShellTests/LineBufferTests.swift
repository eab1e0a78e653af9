import Testing

@testable import ShareShell

@Suite("LineBuffer")
struct LineBufferTests {
    @Test("typing inserts at the cursor and moves it")
    func insertAtCursor() {
        var buffer = LineBuffer("intro")
        buffer.moveLeft()
        buffer.moveLeft()
        buffer.insert("spect ")
        #expect(buffer.text == "intspect ro")
        #expect(buffer.cursor == 9)
    }

    @Test("backspace at the start of the line does nothing")
    func backspaceAtStart() {
        var buffer = LineBuffer("x")
        buffer.moveToStart()
        buffer.deleteBackward()
        #expect(buffer.text == "x")
        buffer.moveToEnd()
        buffer.deleteBackward()
        #expect(buffer.text.isEmpty)
    }

    @Test("Ctrl-W deletes the previous word, Ctrl-U to the start, Ctrl-K to the end")
    func killCommands() {
        var buffer = LineBuffer("token exchange --user usr_1")
        buffer.deleteWordBackward()
        #expect(buffer.text == "token exchange --user ")
        buffer.moveWordLeft()
        buffer.deleteToEnd()
        #expect(buffer.text == "token exchange ")
        buffer.moveLeft()
        buffer.deleteToStart()
        #expect(buffer.text == " ")
    }

    @Test("word motion skips whitespace runs")
    func wordMotion() {
        var buffer = LineBuffer("a  bc   d")
        buffer.moveToStart()
        buffer.moveWordRight()
        #expect(buffer.cursor == 1)
        buffer.moveWordRight()
        #expect(buffer.cursor == 5)
        buffer.moveWordLeft()
        #expect(buffer.cursor == 3)
    }

    @Test("completion replaces the partial word")
    func completion() {
        var buffer = LineBuffer("token exch")
        buffer.completeWord(prefixLength: 4, with: "exchange ")
        #expect(buffer.text == "token exchange ")
        #expect(buffer.cursor == buffer.text.count)
    }

    @Test("cursor counts characters, not bytes")
    func graphemes() {
        var buffer = LineBuffer("é👍🏽")
        buffer.deleteBackward()
        #expect(buffer.text == "é")
    }
}
