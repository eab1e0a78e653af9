import Foundation

/// The three ways the shell runs: one command, a script on standard input, and the interactive
/// REPL.
struct ShellRunner: Sendable {
    var interpreter: ShellInterpreter
    var io: ShellIO

    /// `share <command> …`: runs the words once and returns their status.
    mutating func runOnce(words: [String]) async -> ShellExitCode {
        let result = await interpreter.run(words: words)
        io.emit(result)
        return result.status
    }

    /// Piped input: runs each line in order; stops at the first failure unless `keepGoing`, and
    /// returns the first failure's status (or ok).
    mutating func runScript(lines: some Sequence<String>, keepGoing: Bool) async -> ShellExitCode {
        var firstFailure: ShellExitCode?
        for (number, line) in lines.enumerated() {
            let result = await interpreter.run(line: line)
            var reported = result
            if let error = result.error { reported.error = "line \(number + 1): \(error)" }
            io.emit(reported)
            if result.status != .ok {
                firstFailure = firstFailure ?? result.status
                if !keepGoing { break }
            }
            if result.shouldExit { break }
        }
        return firstFailure ?? .ok
    }

    /// The REPL: prompts until `exit` or Ctrl-D. Ctrl-C drops the line being typed, or cancels the
    /// running request; neither leaves the shell.
    /// The prompt is the interpreter's (``ShellInterpreter/prompt``), so it follows `as ORG`.
    mutating func runInteractive(editor: LineEditor) async -> ShellExitCode {
        let monitor = InterruptMonitor()
        monitor.start()
        defer { monitor.stop() }
        while true {
            let outcome = await Self.readLine(editor: editor, prompt: interpreter.prompt)
            switch outcome {
            case .endOfInput:
                return .ok
            case .interrupted:
                continue
            case .line(let line):
                let snapshot = interpreter
                let result = await monitor.run { [snapshot] in
                    var copy = snapshot
                    let result = await copy.run(line: line)
                    return (copy, result)
                }
                interpreter = result.0
                io.emit(result.1)
                if result.1.shouldExit { return .ok }
            }
        }
    }

    /// Reads a line on a thread of its own: the editor blocks on the terminal.
    private static func readLine(editor: LineEditor, prompt: String) async -> LineEditor.Outcome {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: editor.readLine(prompt: prompt)) }.start()
        }
    }
}
