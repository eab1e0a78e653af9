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

@Suite("KeyDecoder")
struct KeyDecoderTests {
    @Test("arrow keys, Home/End and Delete decode from CSI and SS3 sequences")
    func escapeSequences() {
        var decoder = KeyDecoder()
        let keys = decoder.feed(Array("\u{1B}[A\u{1B}[B\u{1B}[C\u{1B}[D\u{1B}OH\u{1B}[F\u{1B}[3~\u{1B}[1;5D".utf8))
        #expect(keys == [.up, .down, .right, .left, .home, .end, .delete, .wordLeft])
    }

    @Test("a sequence split across reads waits for its end")
    func splitSequence() {
        var decoder = KeyDecoder()
        #expect(decoder.feed([0x1B, UInt8(ascii: "[")]).isEmpty)
        #expect(decoder.feed([UInt8(ascii: "A")]) == [.up])
    }

    @Test("control keys, Tab, Enter and Backspace")
    func controlKeys() {
        var decoder = KeyDecoder()
        #expect(decoder.feed([0x03, 0x04, 0x09, 0x0D, 0x7F, 0x17]) == [.control("c"), .control("d"), .tab, .enter, .backspace, .control("w")])
    }

    @Test("UTF-8 text arrives whole even when split mid-character")
    func utf8() {
        var decoder = KeyDecoder()
        let bytes = Array("ü".utf8)
        #expect(decoder.feed(bytes[..<1]).isEmpty)
        #expect(decoder.feed(bytes[1...]) == [.text("ü")])
    }

    @Test("a lone Escape is flushed as a key; unknown sequences are dropped")
    func loneEscape() {
        var decoder = KeyDecoder()
        #expect(decoder.feed([0x1B]).isEmpty)
        #expect(decoder.hasPendingEscape)
        #expect(decoder.flushEscape() == .escape)
        #expect(decoder.feed(Array("\u{1B}[99Zx".utf8)) == [.text("x")])
    }
}
