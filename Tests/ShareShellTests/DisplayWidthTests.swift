import Testing

@testable import ShareShell

@Suite("DisplayWidth")
struct DisplayWidthTests {
    @Test("ASCII and Latin letters take one column")
    func narrow() {
        #expect(DisplayWidth.of("a" as Character) == 1)
        #expect(DisplayWidth.of("token exchange") == 14)
        #expect(DisplayWidth.of("é" as Character) == 1)
    }

    @Test("CJK ideographs, kana, Hangul and fullwidth forms take two columns")
    func eastAsianWide() {
        #expect(DisplayWidth.of("漢字") == 4)
        #expect(DisplayWidth.of("カナ") == 4)
        #expect(DisplayWidth.of("한" as Character) == 2)
        #expect(DisplayWidth.of("Ａ" as Character) == 2)
    }

    @Test("emoji take two columns, including ZWJ sequences and VS16 presentation")
    func emoji() {
        #expect(DisplayWidth.of("😀" as Character) == 2)
        #expect(DisplayWidth.of("👨‍👩‍👧" as Character) == 2)
        #expect(DisplayWidth.of("❤️" as Character) == 2)
        #expect(DisplayWidth.of("🇫🇷" as Character) == 1 || DisplayWidth.of("🇫🇷" as Character) == 2)
    }

    @Test("combining marks, zero-width joiners and variation selectors take no column of their own")
    func zeroWidth() {
        #expect(DisplayWidth.of("e\u{301}" as Character) == 1)
        #expect(DisplayWidth.of("\u{301}" as Unicode.Scalar) == 0)
        #expect(DisplayWidth.of("\u{200D}" as Unicode.Scalar) == 0)
        #expect(DisplayWidth.of("\u{FE0F}" as Unicode.Scalar) == 0)
        #expect(DisplayWidth.of("\u{200B}" as Character) == 0)
    }
}
