import Foundation
import ShareCredentials

/// The session's history, shared by the line editor (which records lines and browses a copy) and
/// the `history` command (which lists and deletes entries).
///
/// A line containing one of the session's secrets is never recorded, whatever its shape: the
/// secret typed at the `--ask-secret` prompt or read from a credentials file must not reach the
/// history file even if someone pastes it into a command.
final class HistoryStore: @unchecked Sendable {
    private let lock = NSLock()
    private var history: History
    private let secrets: [Secret]

    init(_ history: History, secrets: [Secret] = []) {
        self.history = history
        self.secrets = secrets.filter { !$0.isEmpty }
    }

    /// A copy to browse while editing one line.
    var snapshot: History { lock.withLock { history } }

    /// The entries, oldest first (numbered from 1 by `history`).
    var entries: [String] { lock.withLock { history.entries } }

    /// Records a finished line (see ``History/add(_:)`` for what is left out).
    func add(_ line: String) {
        guard !secrets.contains(where: { line.contains($0.revealed) }) else { return }
        lock.withLock { history.add(line) }
    }

    /// Removes entry `number` (1-based) from memory and the file; the removed line, if any.
    func delete(number: Int) -> String? {
        lock.withLock { history.delete(number: number) }
    }
}
