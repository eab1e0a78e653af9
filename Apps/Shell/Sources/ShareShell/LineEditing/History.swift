import Foundation

/// The lines a person entered, newest last, with the browsing position for Up/Down and an
/// optional file that keeps them between runs.
///
/// The file is written with mode 0600 and capped at ``limit`` lines. Lines that look like they
/// carry a secret (`set` of a name containing "secret", or a whole token value) are still kept —
/// tokens are short-lived and the file is private — but the file is never shared.
struct History: Sendable {
    private(set) var entries: [String] = []
    let limit: Int
    let fileURL: URL?
    private var position: Int?
    private var draft = ""

    init(fileURL: URL?, limit: Int = 1000) {
        self.fileURL = fileURL
        self.limit = limit
        if let fileURL, let text = try? String(contentsOf: fileURL, encoding: .utf8) {
            entries = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init).suffix(limit).map { $0 }
        }
    }

    /// The default file: `$XDG_STATE_HOME/share/history`, else `~/.local/state/share/history`.
    static func defaultFileURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty {
            return URL(fileURLWithPath: state).appendingPathComponent("share/history")
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return URL(fileURLWithPath: home).appendingPathComponent(".local/state/share/history")
    }

    /// Records a line (not blank, not a repeat of the previous one) and saves the file.
    mutating func add(_ line: String) {
        position = nil
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, entries.last != trimmed else { return }
        entries.append(trimmed)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
        save()
    }

    /// Up: the previous entry, remembering the unfinished line as a draft.
    mutating func previous(current: String) -> String? {
        guard !entries.isEmpty else { return nil }
        let next: Int
        if let position {
            guard position > 0 else { return nil }
            next = position - 1
        } else {
            draft = current
            next = entries.count - 1
        }
        position = next
        return entries[next]
    }

    /// Down: the next entry, or the draft after the newest.
    mutating func next() -> String? {
        guard let position else { return nil }
        if position + 1 < entries.count {
            self.position = position + 1
            return entries[position + 1]
        }
        self.position = nil
        return draft
    }

    /// Leaves browsing mode (after Enter or Ctrl-C).
    mutating func resetBrowsing() { position = nil }

    private func save() {
        guard let fileURL else { return }
        let manager = FileManager.default
        try? manager.createDirectory(
            at: fileURL.deletingLastPathComponent(), withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let text = entries.joined(separator: "\n") + "\n"
        if manager.createFile(atPath: fileURL.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) {
            return
        }
    }
}
