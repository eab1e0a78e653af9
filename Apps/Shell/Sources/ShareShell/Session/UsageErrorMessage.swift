import Foundation
import ShareModels

/// A command line the parser refused, worded for where it was typed: in the shell, no `share`
/// prefix and `help` as the way out; on the command line, `share --help`. A first word that names
/// no command is said to be one (the parser itself only reports unexpected arguments), and a near
/// miss of a command's name gets "did you mean". A word that may be a token or a secret (a pasted
/// `pda-…` where a command was expected) is never repeated whole: see ``shown(_:)``.
struct UsageErrorMessage: Sendable, Equatable {
    /// Where the words came from.
    enum Mode: Sendable, Equatable {
        /// `share COMMAND …` on a system shell.
        case commandLine
        /// A line of the interactive shell or of a piped script.
        case shell
    }

    let text: String

    /// - Parameters:
    ///   - parserMessage: What the argument parser said (`Error: Unexpected argument 'usr'`).
    ///   - mode: Where the words were typed.
    ///   - words: The words, to find the command meant.
    init(_ parserMessage: String, mode: Mode, words: [String] = []) {
        var message = parserMessage.split(separator: "\n").first.map(String.init) ?? parserMessage
        for word in Set(words) where Self.shown(word) != word {
            message = message.replacingOccurrences(of: "'\(word)'", with: "'\(Self.shown(word))'")
        }
        for prefix in ["Error: ", "error: "] where message.hasPrefix(prefix) { message.removeFirst(prefix.count) }
        if let first = message.first, first.isUppercase, message.dropFirst().first?.isLowercase == true {
            message = first.lowercased() + message.dropFirst()
        }
        let program = mode == .commandLine ? "share " : ""
        let listing = mode == .commandLine ? "`share --help` lists the commands and options" : "`help` lists the commands"
        if let word = words.first, !word.hasPrefix("-"), CommandCatalog.command(named: [word]).path.isEmpty {
            // `introspct x`: the parser only sees unexpected arguments; say that no command has the name.
            let first = "error: no command `\(Self.shown(word))`"
            if let suggestion = CommandCatalog.suggestion(for: words) {
                text = first + "; did you mean `\(suggestion)`?"
            } else {
                text = [first, listing].joined(separator: "\n")
            }
            return
        }
        if let unknown = Self.unknownCommand(in: words) {
            // `sandbox bogus`: the parser only sees an unexpected argument; name the group's commands.
            let group = unknown.group.joined(separator: " ")
            let known = CommandCatalog.entries(under: unknown.group).map(\.name)
            var first = "error: `\(group)` has no command `\(Self.shown(unknown.word))`"
            if let suggestion = CommandCatalog.suggestion(for: words) { first += "; did you mean `\(suggestion)`?" }
            text = [
                first,
                "its commands: " + known.joined(separator: ", "),
                "`\(program)help \(group)` shows them, with examples",
            ].joined(separator: "\n")
            return
        }
        var lines = ["error: \(message)"]
        if let suggestion = CommandCatalog.suggestion(for: words) {
            lines[0] += "; did you mean `\(suggestion)`?"
        } else if let command = CommandCatalog.entries.last(where: { Array(words.prefix($0.path.count)) == $0.path }) {
            lines.append("`\(program)help \(command.name)` shows its options")
        } else {
            lines.append(listing)
        }
        text = lines.joined(separator: "\n")
    }

    /// `word` as an error may repeat it: as typed when it is short and has no capital letter, as
    /// command names and flags are; otherwise only its type prefix (``Redaction/token(_:)``), since a
    /// long mixed-case word in the wrong place is most often a pasted token or secret.
    static func shown(_ word: String) -> String {
        word.count <= 24 && !word.contains(where: \.isUppercase) ? word : Redaction.token(word)
    }

    /// The group and the word after it when `words` name a command group (``ShellCommandGroup``)
    /// followed by a word that names none of its commands: `sandbox bogus` → (`["sandbox"]`, `bogus`).
    private static func unknownCommand(in words: [String]) -> (group: [String], word: String)? {
        let named = CommandCatalog.command(named: words)
        guard named.command is any ShellCommandGroup.Type, let word = words.dropFirst(named.path.count).first, !word.hasPrefix("-") else {
            return nil
        }
        return (named.path, word)
    }
}
