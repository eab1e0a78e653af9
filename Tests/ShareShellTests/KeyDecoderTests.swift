import Testing

@testable import ShareShell

@Suite("KeyDecoder")
struct KeyDecoderTests {
    func keys(_ chunks: [String]) -> [Key] {
        var decoder = KeyDecoder()
        return chunks.flatMap { decoder.feed(Array($0.utf8)) }
    }

    @Test("text, control keys and escape sequences")
    func ordinaryKeys() {
        #expect(keys(["ab\u{1B}[D\u{01}\u{12}\r"]) == [.text("ab"), .left, .control("a"), .control("r"), .enter])
        #expect(keys(["\u{1B}[1;5C\u{1B}[3~\u{07}"]) == [.wordRight, .delete, .control("g")])
    }

    @Test("a bracketed paste is one key; its tabs are spaces and its CRs line breaks")
    func bracketedPaste() {
        #expect(keys(["\u{1B}[200~user create\r\ttoken\u{1B}[D\r\n\u{1B}[201~x"]) == [.paste("user create\n token[D\n"), .text("x")])
    }

    @Test("a paste split across reads waits for its end marker")
    func splitPaste() {
        #expect(keys(["\u{1B}[20", "0~abc", "\tdef\u{1B}[2", "01~"]) == [.paste("abc def")])
    }

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
