import Foundation

/// One key press, decoded from the bytes a terminal sends in raw mode.
enum Key: Equatable, Sendable {
    case text(String)
    case enter
    case tab
    case backspace
    case delete
    case left, right, up, down
    case home, end
    case wordLeft, wordRight
    /// Ctrl plus a letter, lower-cased (`.control("a")` is Ctrl-A).
    case control(Character)
    case escape
    /// Text the terminal delivered as one bracketed paste (`ESC[200~` … `ESC[201~`), with its line
    /// breaks as `\n`: never read as keys, so its tabs do not complete and its newlines do not
    /// submit half a line.
    case paste(String)
}

/// Turns the byte stream of a raw-mode terminal into ``Key``s: UTF-8 text, control characters and
/// the common VT100/xterm escape sequences. Incomplete sequences wait for more bytes; unknown
/// sequences are dropped rather than typed into the line. Between the bracketed-paste markers every
/// byte is text, collected into one ``Key/paste(_:)``.
///
/// Hand-written: no package in the mirror offers a non-GPL line editor, and the ones that exist
/// elsewhere (linenoise ports) are not available here.
struct KeyDecoder: Sendable {
    private var pending: [UInt8] = []
    private var isInPaste = false

    static let pasteStart: [UInt8] = Array("\u{1B}[200~".utf8)
    static let pasteEnd: [UInt8] = Array("\u{1B}[201~".utf8)

    /// Feeds bytes and returns every key they complete.
    mutating func feed(_ bytes: some Sequence<UInt8>) -> [Key] {
        pending.append(contentsOf: bytes)
        var keys: [Key] = []
        while true {
            if isInPaste {
                guard let end = Self.firstIndex(of: Self.pasteEnd, in: pending) else { break }
                keys.append(.paste(Self.normalizedPaste(pending[..<end])))
                pending.removeFirst(end + Self.pasteEnd.count)
                isInPaste = false
            } else if pending.starts(with: Self.pasteStart) {
                pending.removeFirst(Self.pasteStart.count)
                isInPaste = true
            } else if let (key, consumed) = Self.decodeOne(pending) {
                pending.removeFirst(consumed)
                if let key { keys.append(key) }
            } else {
                break
            }
        }
        return keys
    }

    /// Whether a lone ESC is waiting (a real Escape key when nothing follows soon).
    var hasPendingEscape: Bool { !isInPaste && pending == [0x1B] }

    /// Pasted bytes as text: CR LF and CR become LF (terminals send Enter as CR), a tab becomes a
    /// space, which separates words the same way and takes one column, and other control
    /// characters are dropped.
    private static func normalizedPaste(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
            .replacingOccurrences(of: "\r\n", with: "\n")
            .replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\t", with: " ")
            .unicodeScalars.filter { $0 == "\n" || ($0.value >= 0x20 && $0.value != 0x7F) }
            .reduce(into: "") { $0.unicodeScalars.append($1) }
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }

    /// Flushes a lone ESC as ``Key/escape``.
    mutating func flushEscape() -> Key? {
        guard hasPendingEscape else { return nil }
        pending.removeAll()
        return .escape
    }

    /// Decodes the first key of `bytes`: `nil` when more bytes are needed; `(nil, n)` to drop `n`
    /// bytes that form no key.
    private static func decodeOne(_ bytes: [UInt8]) -> (Key?, Int)? {
        guard let first = bytes.first else { return nil }
        switch first {
        case 0x0D, 0x0A: return (.enter, 1)
        case 0x09: return (.tab, 1)
        case 0x7F, 0x08: return (.backspace, 1)
        case 0x1B: return decodeEscape(bytes)
        case 0x01...0x1A: return (.control(Character(Unicode.Scalar(first + 0x60))), 1)
        case 0x00, 0x1C...0x1F: return (nil, 1)
        default: return decodeText(bytes)
        }
    }

    private static func decodeEscape(_ bytes: [UInt8]) -> (Key?, Int)? {
        guard bytes.count >= 2 else { return nil }
        switch bytes[1] {
        case UInt8(ascii: "b"): return (.wordLeft, 2)
        case UInt8(ascii: "f"): return (.wordRight, 2)
        case UInt8(ascii: "["), UInt8(ascii: "O"):
            // CSI / SS3: parameters (digits and ';') then one final byte in 0x40...0x7E.
            var index = 2
            while index < bytes.count, (0x30...0x3F).contains(bytes[index]) { index += 1 }
            guard index < bytes.count else { return bytes.count > 16 ? (nil, bytes.count) : nil }
            let final = bytes[index]
            let parameters = String(decoding: bytes[2..<index], as: UTF8.self)
            let consumed = index + 1
            switch (final, parameters) {
            case (UInt8(ascii: "A"), _): return (.up, consumed)
            case (UInt8(ascii: "B"), _): return (.down, consumed)
            case (UInt8(ascii: "C"), "1;5"), (UInt8(ascii: "C"), "1;3"): return (.wordRight, consumed)
            case (UInt8(ascii: "D"), "1;5"), (UInt8(ascii: "D"), "1;3"): return (.wordLeft, consumed)
            case (UInt8(ascii: "C"), _): return (.right, consumed)
            case (UInt8(ascii: "D"), _): return (.left, consumed)
            case (UInt8(ascii: "H"), _): return (.home, consumed)
            case (UInt8(ascii: "F"), _): return (.end, consumed)
            case (UInt8(ascii: "~"), "1"), (UInt8(ascii: "~"), "7"): return (.home, consumed)
            case (UInt8(ascii: "~"), "4"), (UInt8(ascii: "~"), "8"): return (.end, consumed)
            case (UInt8(ascii: "~"), "3"): return (.delete, consumed)
            default: return (nil, consumed)
            }
        default:
            return (.escape, 1)
        }
    }

    private static func decodeText(_ bytes: [UInt8]) -> (Key?, Int)? {
        // Take every complete UTF-8 sequence up to the next control byte as one text key.
        var index = 0
        while index < bytes.count, bytes[index] >= 0x20, bytes[index] != 0x7F {
            let length: Int
            switch bytes[index] {
            case 0x00..<0x80: length = 1
            case 0xC0..<0xE0: length = 2
            case 0xE0..<0xF0: length = 3
            case 0xF0..<0xF8: length = 4
            default: length = 1  // stray continuation byte: decoded as U+FFFD below
            }
            guard index + length <= bytes.count else { break }
            index += length
        }
        guard index > 0 else { return nil }
        return (.text(String(decoding: bytes[..<index], as: UTF8.self)), index)
    }
}
