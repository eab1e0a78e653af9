import Foundation

/// The lines a person entered, newest last, with the browsing position for Up/Down and an
/// optional file that keeps them between runs.
///
/// The file is written with mode 0600 and capped at ``limit`` lines. As in bash with
/// `HISTCONTROL=ignoreboth`, a line that repeats the previous one is stored once and a line that
/// starts with a space is not stored at all — the way to keep a line out of the file. Lines that
/// carry a token are otherwise kept (tokens are short-lived and the file is private); the client
/// secret never is (see ``HistoryStore``).
struct History: Sendable {
    private(set) var entries: [String] = []
    let limit: Int
    let fileURL: URL?
    private var position: Int?
    private var draft = ""
    /// Edits made to recalled entries, by index, while browsing.
    private var edits: [Int: String] = [:]

    init(fileURL: URL?, limit: Int = 1000) {
        self.fileURL = fileURL
        self.limit = limit
        if let fileURL, let text = try? String(contentsOf: fileURL, encoding: .utf8) {
            entries = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init).suffix(limit).map { $0 }
        }
    }

    /// The default file: `$XDG_STATE_HOME/share/history`, else `~/.local/state/share/history`.
    static func defaultFileURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        ShellStateDirectory.url(environment: environment)?.appendingPathComponent("history")
    }

    /// Records a line and saves the file — unless it is blank, repeats the previous entry, or
    /// starts with a space.
    mutating func add(_ line: String) {
        resetBrowsing()
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, line.first?.isWhitespace != true, entries.last != trimmed else { return }
        entries.append(trimmed)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
        save()
    }

    /// `history delete N`: removes the entry numbered `number` (1 is the oldest, as `history`
    /// lists them) and saves the file. Returns the removed line, or `nil` when there is no such entry.
    @discardableResult
    mutating func delete(number: Int) -> String? {
        guard entries.indices.contains(number - 1) else { return nil }
        resetBrowsing()
        let removed = entries.remove(at: number - 1)
        save()
        return removed
    }

    /// Up: the previous entry, remembering the unfinished line as a draft. An entry edited while
    /// browsing keeps its edit until the line is finished, as in readline.
    mutating func previous(current: String) -> String? {
        guard !entries.isEmpty else { return nil }
        let next: Int
        if let position {
            guard position > 0 else { return nil }
            next = position - 1
        } else {
            next = entries.count - 1
        }
        leave(with: current)
        position = next
        return edits[next] ?? entries[next]
    }

    /// Down: the next entry, or the draft after the newest.
    mutating func next(current: String? = nil) -> String? {
        guard let position else { return nil }
        if let current { leave(with: current) }
        if position + 1 < entries.count {
            self.position = position + 1
            return edits[position + 1] ?? entries[position + 1]
        }
        self.position = nil
        return draft
    }

    /// Remembers the line shown as the draft or as an edit of the entry being browsed.
    private mutating func leave(with current: String) {
        guard let position else {
            draft = current
            return
        }
        edits[position] = current == entries[position] ? nil : current
    }

    /// Leaves browsing mode (after Enter or Ctrl-C).
    mutating func resetBrowsing() {
        position = nil
        edits = [:]
    }

    private func save() {
        guard let fileURL else { return }
        let manager = FileManager.default
        try? manager.createDirectory(
            at: fileURL.deletingLastPathComponent(), withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let text = entries.joined(separator: "\n") + "\n"
        _ = manager.createFile(atPath: fileURL.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
    }
}
