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

    /// What the words of a line ask for, decided by the command tree alone: nothing runs and
    /// nothing is sent to decide it, so the caller knows before starting anything whether the
    /// line needs an API at all.
    enum Request {
        /// No words.
        case nothing
        /// Help, or a usage error: the line's whole answer.
        case answer(LineResult)
        /// A command to run.
        case command(any ShellRunnable)
    }

    /// Reads already-split words: help (`help sandbox`, `sandbox --help`, a command group alone
    /// such as `sandbox`), a usage error, or the command to run. Output flags typed before the
    /// command (`--json partners`) belong to it.
    static func request(for given: [String], mode: Mode) -> Request {
        let leadingFlags = given.prefix { OutputOptions.flagNames.contains($0) }
        let words = Array(given.dropFirst(leadingFlags.count)) + leadingFlags
        guard !words.isEmpty else { return .nothing }
        if words.first == "help" { return .answer(help(for: Array(words.dropFirst()), mode: mode)) }
        if words == ["--help"] || words == ["-h"] { return .answer(help(for: [], mode: mode)) }
        let parsed: ParsableCommand
        do {
            parsed = try ShellCommand.parseAsRoot(words)
        } catch {
            let named = CommandCatalog.command(named: words)
            if ShellCommand.exitCode(for: error) == .success {
                // `sandbox --help`, `user create -h`: the help of the command the words name.
                return .answer(help(for: named.path, mode: mode))
            }
            if named.command is any ShellCommandGroup.Type, words.dropFirst(named.path.count).allSatisfy(OutputOptions.flagNames.contains) {
                // `--json sandbox`: a group alone, with output flags only, is its help as well.
                return .answer(help(for: named.path, mode: mode))
            }
            return .answer(LineResult(status: .usage, error: UsageErrorMessage(ShellCommand.message(for: error), mode: mode, words: words).text))
        }
        guard let command = parsed as? any ShellRunnable else {
            // A command group without a subcommand: its help.
            return .answer(help(for: CommandCatalog.command(named: words).path, mode: mode))
        }
        return .command(command)
    }

    /// Runs already-split words (one-shot mode passes the process arguments).
    mutating func run(words given: [String]) async -> LineResult {
        if let (organization, command) = Self.oneCommandAs(given) {
            return await run(words: command, actingAs: organization)
        }
        let command: any ShellRunnable
        switch Self.request(for: given, mode: mode) {
        case .nothing: return LineResult(status: .ok)
        case .answer(let result): return result
        case .command(let parsed): command = parsed
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
            if let refused = switchOrganization(to: organization) { return refused }
            return LineResult(status: .ok, note: renderer.style.quiet ? nil : "share-token commands now act as \(organization)")
        case .exit:
            return LineResult(status: .ok, shouldExit: true)
        }
    }

    /// The organization and the command of `as ORG COMMAND …`; `nil` for any other words
    /// (`as ORG` alone switches for good and is parsed as a command).
    static func oneCommandAs(_ words: [String]) -> (organization: String, command: [String])? {
        guard words.first == "as", words.count > 2, !words[2].hasPrefix("-") else { return nil }
        return (words[1], Array(words.dropFirst(2)))
    }

    /// `as ORG COMMAND …`: `COMMAND …` acting as `ORG`, for this line only; the organization in
    /// use before it is in use again after it, whatever the command did.
    private mutating func run(words: [String], actingAs organization: String) async -> LineResult {
        guard words.first != "as" else {
            return LineResult(status: .usage, error: "error: `as ORG` takes one command after it, not another `as`")
        }
        let saved = (shareTokens: context.shareTokens, actingAs: context.actingAs)
        if let refused = switchOrganization(to: organization) { return refused }
        let result = await run(words: words)
        context.shareTokens = saved.shareTokens
        context.actingAs = saved.actingAs
        return result
    }

    /// Acts as `organization` from now on; the usage error to answer when it cannot (no API key
    /// for it, a malformed id), `nil` when it switched.
    private mutating func switchOrganization(to organization: String) -> LineResult? {
        do {
            try context.act(as: organization)
            return nil
        } catch {
            return LineResult(status: .usage, error: "error: \(ShellCommand.message(for: error))")
        }
    }

    /// The REPL's prompt: the target, and the organization chosen with `as`
    /// (`share:embedded as org_demo-bank> `).
    var prompt: String {
        let text = "share:\(context.target.name)" + (context.actingAs.map { " as \($0)" } ?? "") + ">"
        return (style.color ? "\u{1B}[1m\(text)\u{1B}[0m" : text) + " "
    }

    /// `help [COMMAND [SUBCOMMAND]]`: the overview, or the help of that command.
    private static func help(for path: [String], mode: Mode) -> LineResult {
        guard !path.isEmpty else {
            return LineResult(status: .ok, output: mode == .commandLine ? ShellHelp.commandLineOverview : ShellHelp.shellOverview)
        }
        let named = CommandCatalog.command(named: path)
        guard named.path.count == path.count else {
            let known = named.command.configuration.subcommands.map { $0._commandName }.joined(separator: ", ")
            var message = "error: no command \"\(path.joined(separator: " "))\""
            if let suggestion = CommandCatalog.suggestion(for: path) {
                message += "; did you mean `\(suggestion)`?"
            } else {
                message += "; commands here: \(known)"
            }
            return LineResult(status: .usage, error: message)
        }
        return LineResult(status: .ok, output: ShellHelp.help(for: named.command, path: named.path, mode: mode))
    }
}
