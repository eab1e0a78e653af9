/// What Tab offers for the word before the cursor.
struct Completion: Equatable, Sendable {
    /// Length of the word being completed (replaced by the chosen candidate).
    var prefixLength: Int
    /// Every candidate, sorted.
    var candidates: [String]

    /// The longest text every candidate starts with.
    var commonPrefix: String {
        guard var prefix = candidates.first else { return "" }
        for candidate in candidates.dropFirst() {
            while !candidate.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}

/// Supplies completions for a line; implemented by the command tree.
protocol LineCompleter: Sendable {
    func complete(_ textBeforeCursor: String) -> Completion
}
