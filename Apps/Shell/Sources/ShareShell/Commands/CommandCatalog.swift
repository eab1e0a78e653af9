import ArgumentParser

/// The commands of a shell line, as paths of words (`user create`, `token refresh`, `partners`)
/// with their one-line descriptions, read from the command tree (``ShellCommand``): for the help
/// overview and for "did you mean" suggestions.
enum CommandCatalog {
    struct Entry: Sendable, Equatable {
        /// The words that name the command, e.g. `["user", "create"]`.
        var path: [String]
        var abstract: String
        var name: String { path.joined(separator: " ") }
    }

    /// Every runnable command, in the tree's order; a group with a default subcommand (`history`)
    /// is listed by its own name too.
    static let entries: [Entry] = collect(ShellCommand.self, prefix: [])

    private static func collect(_ command: ParsableCommand.Type, prefix: [String]) -> [Entry] {
        var entries: [Entry] = []
        for subcommand in command.configuration.subcommands {
            let path = prefix + [subcommand._commandName]
            let children = subcommand.configuration.subcommands
            if children.isEmpty {
                entries.append(Entry(path: path, abstract: subcommand.configuration.abstract))
            } else {
                if subcommand.configuration.defaultSubcommand != nil {
                    entries.append(Entry(path: path, abstract: subcommand.configuration.abstract))
                }
                let defaultName = subcommand.configuration.defaultSubcommand?._commandName
                entries += collect(subcommand, prefix: path).filter { $0.path.last != defaultName || $0.path.count != path.count + 1 }
            }
        }
        return entries
    }

    /// The entries under the command `path` names (`["sandbox"]`: `sandbox clock`,
    /// `sandbox clock advance`, …, `sandbox reset`), the command itself included when it runs by
    /// its own name (`history`).
    static func entries(under path: [String]) -> [Entry] {
        entries.filter { Array($0.path.prefix(path.count)) == path }
    }

    /// The command the leading `words` name in the tree, with those words: `sandbox fault add
    /// --path /x` names `sandbox fault add`, `sandbox bogus` names `sandbox`, and words that name
    /// no command name the tree's root (``ShellCommand``) with no words. Names and aliases count.
    static func command(named words: [String]) -> (command: ParsableCommand.Type, path: [String]) {
        var command: ParsableCommand.Type = ShellCommand.self
        var path: [String] = []
        for word in words {
            let next = command.configuration.subcommands.first {
                $0._commandName == word || $0.configuration.aliases.contains(word)
            }
            guard let next else { break }
            command = next
            path.append(next._commandName)
        }
        return (command, path)
    }

    /// The command `words` probably meant, when they name none: `usr create` → `user create`,
    /// `token refesh` → `token refresh`. `nil` when the words name a command or nothing is close.
    static func suggestion(for words: [String]) -> String? {
        let typed = Array(words.prefix { !$0.hasPrefix("-") }.prefix(2))
        guard let first = typed.first else { return nil }
        if entries.contains(where: { Array(typed.prefix($0.path.count)) == $0.path }) { return nil }
        var best: (entry: Entry, distance: Int)?
        for entry in entries {
            let compared = Array(typed.prefix(entry.path.count))
            // A first word that names a group is taken as typed: only its subcommands compete.
            if entries.contains(where: { $0.path.first == first }), entry.path.first != first { continue }
            let distance = zip(compared, entry.path).map { editDistance($0, $1) }.reduce(0, +)
            if best == nil || distance < best!.distance { best = (entry, distance) }
        }
        guard let best, best.distance > 0, best.distance <= max(2, typed.joined().count / 3) else { return nil }
        return best.entry.name
    }

    /// The Levenshtein distance between two words.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
