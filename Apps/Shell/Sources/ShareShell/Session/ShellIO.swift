import Foundation

/// Where the shell writes: standard output for results, standard error for errors and notices.
/// Injected so tests can capture both.
struct ShellIO: Sendable {
    var standardOutput: @Sendable (String) -> Void
    var standardError: @Sendable (String) -> Void

    /// The process's own streams.
    static let process = ShellIO(
        standardOutput: { text in FileHandle.standardOutput.write(Data((text + "\n").utf8)) },
        standardError: { text in FileHandle.standardError.write(Data((text + "\n").utf8)) }
    )

    func emit(_ result: ShellInterpreter.LineResult) {
        if let output = result.output, !output.isEmpty { standardOutput(output) }
        if let note = result.note { standardError(note) }
        if let error = result.error { standardError(error) }
    }
}
