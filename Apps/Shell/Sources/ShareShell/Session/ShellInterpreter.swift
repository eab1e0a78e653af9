import ArgumentParser
import Foundation

/// Runs shell lines: splits words, expands `$references`, parses with the command tree, runs the
/// command, remembers its result and renders it.
///
/// The same interpreter serves the REPL, piped scripts and one-shot commands, so all three behave
/// alike; tests drive it with injected output.
struct ShellInterpreter: Sendable {
    typealias Mode = UsageErrorMessage.Mode

    var context: ShellContext
    var memory = ResultMemory()
    /// The style chosen for this destination; output flags on a line override it.
    var style: OutputStyle
    /// Where lines come from, for the wording of usage errors.
    var mode: Mode

    /// What one line did.
    struct LineResult: Sendable, Equatable {
        var status: ShellExitCode
        /// Text for standard output.
        var output: String?
        /// One line for standard error.
        var error: String?
        var shouldExit = false
        /// A fact for a person about the result, for standard error (never part of `--json`).
        var note: String? = nil
    }

    init(context: ShellContext, style: OutputStyle, mode: Mode = .shell) {
        self.context = context
        self.style = style
        self.mode = mode
    }

    /// Splits and expands a line into the words the parser sees. A reference to an object or a
    /// list is an error, except as the value of `set` (`set grant $last`).
    func words(of line: String) throws -> [String] {
        let split = try ShellWords.split(line)
        return try split.enumerated().map { index, word in
            try memory.expand(word, allowingStructured: index >= 2 && split.first?.text == "set")
        }
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
    mutating func run(words given: [String]) async -> LineResult {
        // Output flags typed before the command (`--json partners`) belong to it.
        let leadingFlags = given.prefix { OutputOptions.flagNames.contains($0) }
        let words = Array(given.dropFirst(leadingFlags.count)) + leadingFlags
        guard !words.isEmpty else { return LineResult(status: .ok) }
        if words.first == "help" { return help(for: Array(words.dropFirst())) }
        if words == ["--help"] || words == ["-h"] { return help(for: []) }
        let parsed: ParsableCommand
        do {
            parsed = try ShellCommand.parseAsRoot(words)
        } catch {
            if ShellCommand.exitCode(for: error) == .success {
                return LineResult(status: .ok, output: ShellCommand.fullMessage(for: error))
            }
            return LineResult(status: .usage, error: UsageErrorMessage(ShellCommand.message(for: error), mode: mode, words: words).text)
        }
        guard let command = parsed as? any ShellRunnable else {
            // A command group without a subcommand: show its help.
            return LineResult(status: .ok, output: ShellCommand.helpMessage(for: type(of: parsed)))
        }
        let outcome: CommandOutcome
        do {
            outcome = try await command.run(in: context)
        } catch {
            let failure = ShellFailure(error, target: context.target.baseURL?.absoluteString)
            return LineResult(status: failure.exitCode, error: failure.message(color: style.color))
        }
        var renderer = ResultRenderer(style: style)
        let options = command.outputOptions
        if options.json { renderer.style.json = true }
        if options.table { renderer.style.json = false }
        if options.reveal { renderer.style.reveal = true }
        if options.quiet { renderer.style.quiet = true }
        switch outcome {
        case .result(let value):
            memory.record(value)
            return LineResult(status: .ok, output: renderer.render(value))
        case .annotatedResult(let value, let note):
            memory.record(value)
            return LineResult(status: .ok, output: renderer.render(value), note: renderer.style.quiet ? nil : note)
        case .message(let text):
            return LineResult(status: .ok, output: text)
        case .setVariable(let name, let value):
            memory.set(name, to: value)
            return LineResult(status: .ok)
        case .actAs(let organization):
            do {
                try context.act(as: organization)
            } catch {
                return LineResult(status: .usage, error: "error: \(ShellCommand.message(for: error))")
            }
            return LineResult(status: .ok, note: renderer.style.quiet ? nil : "share-token commands now act as \(organization)")
        case .exit:
            return LineResult(status: .ok, shouldExit: true)
        }
    }

    /// The REPL's prompt: the target, and the organization chosen with `as`
    /// (`share:embedded as org_demo-bank> `).
    var prompt: String {
        let text = "share:\(context.target.name)" + (context.actingAs.map { " as \($0)" } ?? "") + ">"
        return (style.color ? "\u{1B}[1m\(text)\u{1B}[0m" : text) + " "
    }

    /// `help [COMMAND [SUBCOMMAND]]`: the overview, or the help of that command.
    private func help(for path: [String]) -> LineResult {
        guard !path.isEmpty else {
            return LineResult(status: .ok, output: mode == .commandLine ? ShellHelp.commandLineOverview : ShellHelp.shellOverview)
        }
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
                var message = "error: no command \"\(path.joined(separator: " "))\""
                if let suggestion = CommandCatalog.suggestion(for: path) {
                    message += "; did you mean `\(suggestion)`?"
                } else {
                    message += "; commands here: \(known)"
                }
                return LineResult(status: .usage, error: message)
            }
            command = next
        }
        return LineResult(status: .ok, output: ShellCommand.helpMessage(for: command))
    }
}
