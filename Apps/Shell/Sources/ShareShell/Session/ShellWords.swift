/// Splits a command line into words the way a POSIX shell does for the cases people type:
/// whitespace separates words, `'…'` keeps everything literally, `"…"` keeps spaces and honours
/// `\"` and `\\`, and a backslash outside quotes escapes the next character. `#` at the start of a
/// word begins a comment.
enum ShellWords {
    struct UnterminatedQuote: Error, Equatable, CustomStringConvertible {
        let quote: Character
        var description: String { "unterminated \(quote) quote" }
    }

    /// One word and whether any part of it was quoted with `'` (so `$` stays literal).
    struct Word: Equatable, Sendable {
        var text: String
        /// Character ranges of `text` that came from single quotes, where `$` is not expanded.
        var isLiteral: Bool
    }

    static func split(_ line: String) throws(UnterminatedQuote) -> [Word] {
        var words: [Word] = []
        var current = ""
        var inWord = false
        var literal = false
        var iterator = Array(line)[...]
        func finish() {
            if inWord { words.append(Word(text: current, isLiteral: literal)) }
            current = ""
            inWord = false
            literal = false
        }
        while let character = iterator.popFirst() {
            switch character {
            case " ", "\t", "\n", "\r":
                finish()
            case "#" where !inWord:
                return words
            case "'":
                inWord = true
                literal = true
                guard let end = iterator.firstIndex(of: "'") else { throw UnterminatedQuote(quote: "'") }
                current += String(iterator[..<end])
                iterator = iterator[(end + 1)...]
            case "\"":
                inWord = true
                var closed = false
                while let next = iterator.popFirst() {
                    if next == "\"" {
                        closed = true
                        break
                    }
                    if next == "\\", let escaped = iterator.first, escaped == "\"" || escaped == "\\" || escaped == "$" {
                        iterator = iterator.dropFirst()
                        current.append(escaped == "$" ? "\u{0}" : escaped)
                        continue
                    }
                    current.append(next)
                }
                guard closed else { throw UnterminatedQuote(quote: "\"") }
            case "\\":
                inWord = true
                if let next = iterator.popFirst() { current.append(next == "$" ? "\u{0}" : next) }
            default:
                inWord = true
                current.append(character)
            }
        }
        finish()
        return words
    }
}
