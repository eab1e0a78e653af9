import Foundation

/// Where the shell keeps what outlives a run: `$XDG_STATE_HOME/share`, else
/// `~/.local/state/share` (the XDG Base Directory default,
/// https://specifications.freedesktop.org/basedir-spec/latest/).
enum ShellStateDirectory {
    /// The directory, or `nil` when neither `XDG_STATE_HOME` nor `HOME` is set.
    static func url(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty {
            return URL(fileURLWithPath: state).appendingPathComponent("share")
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return URL(fileURLWithPath: home).appendingPathComponent(".local/state/share")
    }
}
