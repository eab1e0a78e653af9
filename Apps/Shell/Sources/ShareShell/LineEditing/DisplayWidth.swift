/// How many terminal columns text occupies: two for East Asian Wide/Fullwidth characters and
/// emoji, zero for combining marks, zero-width joiners and variation selectors, one otherwise.
///
/// Hand-written because Foundation has no `wcwidth`, Swift's Glibc module does not import it, and
/// glibc's `wcwidth` answers only after `setlocale` switched the whole process to a UTF-8 locale:
/// in the "C" locale a Swift program starts in, it returns -1 for every non-ASCII character (checked
/// against glibc: 漢, 😀 and U+0301 give -1 before `setlocale(LC_CTYPE, "C.UTF-8")`, then 2, 2, 0). The
/// tables follow Unicode's EastAsianWidth (W and F) and Emoji_Presentation ranges closely enough
/// for what people type at a prompt; they are measured per grapheme, the unit the cursor moves by.
enum DisplayWidth {
    /// Columns of one grapheme: the widest of its scalars, so a base letter with combining marks
    /// takes one column and an emoji ZWJ sequence two.
    static func of(_ character: Character) -> Int {
        var widest = 0
        var hasEmojiPresentationSelector = false
        for scalar in character.unicodeScalars {
            if scalar.value == 0xFE0F { hasEmojiPresentationSelector = true }
            widest = max(widest, of(scalar))
        }
        // A text-default symbol followed by VS16 (e.g. "❤️") is shown as a two-column emoji.
        if hasEmojiPresentationSelector, widest == 1 { return 2 }
        return widest
    }

    /// Columns of a whole string.
    static func of(_ text: some StringProtocol) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// Columns of one scalar on its own.
    static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
        if value < 0x300 { return 1 }
        if isZeroWidth(value) { return 0 }
        if isWide(value) { return 2 }
        return 1
    }

    private static func isZeroWidth(_ value: UInt32) -> Bool {
        switch scalarCategory(value) {
        case .nonspacingMark, .enclosingMark, .format: return true
        default: break
        }
        return (0x1160...0x11FF).contains(value)  // Hangul medial vowels and final consonants
            || (0xFE00...0xFE0F).contains(value)  // variation selectors
            || (0xE0100...0xE01EF).contains(value)
            || value == 0x200B  // zero width space
    }

    private static func scalarCategory(_ value: UInt32) -> Unicode.GeneralCategory? {
        Unicode.Scalar(value)?.properties.generalCategory
    }

    /// East Asian Wide and Fullwidth ranges plus the emoji that terminals draw two columns wide.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F,  // Hangul Jamo initial consonants
        0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693,
        0x26A1...0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE,
        0x26D4...0x26D4, 0x26EA...0x26EA, 0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA,
        0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728, 0x274C...0x274C,
        0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797, 0x27B0...0x27B0,
        0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E,  // CJK radicals, Kangxi, ideographic description, CJK symbols
        0x3041...0x33FF,  // Hiragana, Katakana, Bopomofo, Hangul compatibility, CJK compatibility
        0x3400...0x4DBF,  // CJK extension A
        0x4E00...0x9FFF,  // CJK unified ideographs
        0xA000...0xA4CF,  // Yi
        0xA960...0xA97F,  // Hangul Jamo extended A
        0xAC00...0xD7A3,  // Hangul syllables
        0xF900...0xFAFF,  // CJK compatibility ideographs
        0xFE10...0xFE19, 0xFE30...0xFE6F,  // vertical forms, CJK compatibility forms, small forms
        0xFF00...0xFF60, 0xFFE0...0xFFE6,  // fullwidth forms
        0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF,  // Tangut, Kana supplement
        0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A,
        0x1F200...0x1F202, 0x1F210...0x1F23B, 0x1F240...0x1F248, 0x1F250...0x1F251, 0x1F260...0x1F265,
        0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C, 0x1F37E...0x1F393, 0x1F3A0...0x1F3CA,
        0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4...0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440...0x1F440,
        0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A...0x1F57A,
        0x1F595...0x1F596, 0x1F5A4...0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC...0x1F6CC,
        0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7, 0x1F6DC...0x1F6DF, 0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC,
        0x1F7E0...0x1F7EB, 0x1F7F0...0x1F7F0, 0x1F90C...0x1F93A, 0x1F93C...0x1F945, 0x1F947...0x1F9FF,
        0x1FA70...0x1FAFF,
        0x20000...0x2FFFD, 0x30000...0x3FFFD,  // CJK extensions B and later
    ]

    private static func isWide(_ value: UInt32) -> Bool {
        var low = 0
        var high = wideRanges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let range = wideRanges[middle]
            if value < range.lowerBound {
                high = middle - 1
            } else if value > range.upperBound {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }
}
