import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Asks for credentials on the terminal, the secret with echo off, so that it never lands in shell
/// history or on screen.
enum SecretPrompt {
    struct NotATerminal: Error, CustomStringConvertible {
        var description: String { "cannot prompt for the secret: standard input is not a terminal" }
    }

    /// Prompts on standard error and reads a line from standard input, echoing it or not.
    static func ask(_ prompt: String, echo: Bool) throws -> String {
        guard isatty(STDIN_FILENO) == 1 else { throw NotATerminal() }
        FileHandle.standardError.write(Data(prompt.utf8))
        var original = termios()
        let hasTerminal = tcgetattr(STDIN_FILENO, &original) == 0
        if !echo, hasTerminal {
            var silent = original
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        }
        defer {
            if !echo, hasTerminal {
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
                FileHandle.standardError.write(Data("\n".utf8))
            }
        }
        return (Swift.readLine(strippingNewline: true) ?? "").trimmingCharacters(in: .whitespaces)
    }
}
