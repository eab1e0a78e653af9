import Foundation

/// How results are printed: a table for people, JSON for programs.
struct OutputStyle: Sendable, Equatable {
    /// Print exact API responses as JSON instead of a table.
    var json: Bool
    /// Show tokens whole in tables instead of `pda-RDdg…T3hA`.
    var reveal: Bool
    /// Use ANSI colours.
    var color: Bool
    /// Print no notes on standard error (`--quiet`).
    var quiet = false

    /// The defaults for a destination: tables and colour on a terminal, JSON elsewhere; colour
    /// never when `NO_COLOR` is set (https://no-color.org).
    static func automatic(isTerminal: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) -> OutputStyle {
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return OutputStyle(json: !isTerminal, reveal: false, color: isTerminal && !noColor && environment["TERM"] != "dumb")
    }
}
