import ArgumentParser
import Foundation

/// Runs shell lines: splits words, expands `$references`, parses with the command tree, runs the
/// command, remembers its result and renders it.
///
/// The same interpreter serves the REPL, piped scripts and one-shot commands, so all three behave
/// alike; tests drive it with injected output.
struct ShellInterpreter: Sendable {
    var context: ShellContext
    var memory = ResultMemory()
    /// The style chosen for this destination; `--json`/`--reveal` on a line override it.
    var style: OutputStyle

    /// What one line did.
    struct LineResult: Sendable, Equatable {
        var status: ShellExitCode
        /// Text for standard output.
        var output: String?
        /// One line for standard error.
        var error: String?
        var shouldExit = false
    }

    init(context: ShellContext, style: OutputStyle) {
        self.context = context
        self.style = style
    }

    /// Splits and expands a line into the words the parser sees.
    func words(of line: String) throws -> [String] {
        try ShellWords.split(line).map { try memory.expand($0) }
    }

    /// Runs one line.
    mutating func run(line: String) async -> LineResult {
        let words: [String]
        do {
            words = try self.words(of: line)
        } catch {
            return LineResult(status: .usage, error: "error: \(error)")
        }
        return await run(words: words)
    }

    /// Runs already-split words (one-shot mode passes the process arguments).
    mutating func run(words: [String]) async -> LineResult {
        guard !words.isEmpty else { return LineResult(status: .ok) }
        if words.first == "help" { return help(for: Array(words.dropFirst())) }
        let parsed: ParsableCommand
        do {
            parsed = try ShellCommand.parseAsRoot(words)
        } catch {
            let exitCode = ShellCommand.exitCode(for: error)
            let message = ShellCommand.fullMessage(for: error)
            if exitCode == .success { return LineResult(status: .ok, output: message) }
            return LineResult(status: .usage, error: message)
        }
        guard let command = parsed as? any ShellRunnable else {
            // A command group without a subcommand: show its help.
            return LineResult(status: .ok, output: ShellCommand.helpMessage(for: type(of: parsed)))
        }
        let outcome: CommandOutcome
        do {
            outcome = try await command.run(in: context)
        } catch {
            let failure = ShellFailure(error)
            return LineResult(status: failure.exitCode, error: failure.message(color: style.color))
        }
        var renderer = ResultRenderer(style: style)
        if command.outputOptions.json { renderer.style.json = true }
        if command.outputOptions.reveal { renderer.style.reveal = true }
        switch outcome {
        case .result(let value):
            memory.record(value)
            return LineResult(status: .ok, output: renderer.render(value))
        case .message(let text):
            return LineResult(status: .ok, output: text)
        case .setVariable(let name, let value):
            memory.set(name, to: value)
            return LineResult(status: .ok)
        case .exit:
            return LineResult(status: .ok, shouldExit: true)
        }
    }

    /// `help [COMMAND [SUBCOMMAND]]`: the help of that command, in the shell's own terms.
    private func help(for path: [String]) -> LineResult {
        var command: ParsableCommand.Type = ShellCommand.self
        for word in path {
            let subcommands: [ParsableCommand.Type] = command.configuration.subcommands
            var next: ParsableCommand.Type?
            for candidate in subcommands where candidate._commandName == word || candidate.configuration.aliases.contains(word) {
                next = candidate
                break
            }
            guard let next else {
                let known = subcommands.map { $0._commandName }.joined(separator: ", ")
                return LineResult(status: .usage, error: "error: no command \"\(path.joined(separator: " "))\"; commands here: \(known)")
            }
            command = next
        }
        return LineResult(status: .ok, output: ShellCommand.helpMessage(for: command))
    }
}
