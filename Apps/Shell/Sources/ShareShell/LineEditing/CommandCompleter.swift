import ArgumentParser
import Foundation
import SharePartners

/// Tab completion for shell lines: command and subcommand names, the flags of the command being
/// typed, partner ids after `--partner` / `--with`, and the values of ``valueCandidates``; after
/// `as ORG `, the command that runs as ORG.
///
/// The command tree is read from ArgumentParser's own description of it (`_dumpHelp()`, the JSON
/// behind `--experimental-dump-help`), so completion never drifts from what the parser accepts.
/// Only the few fields completion needs are decoded.
struct CommandCompleter: LineCompleter {
    struct Node: Decodable, Sendable {
        struct Argument: Decodable, Sendable {
            struct Name: Decodable, Sendable {
                var kind: String
                var name: String
            }
            var kind: String
            var names: [Name]?
            var shouldDisplay: Bool?
        }

        var commandName: String
        var aliases: [String]?
        var subcommands: [Node]?
        var arguments: [Argument]?

        var flags: [String] {
            (arguments ?? []).filter { $0.kind != "positional" && $0.shouldDisplay != false }.flatMap { argument in
                (argument.names ?? []).filter { $0.kind == "long" }.map { "--" + $0.name }
            }
        }
    }

    private struct Dump: Decodable { var command: Node }

    let root: Node
    let partnerNames: [String]

    /// Options whose value is a partner name.
    static let partnerOptions: Set<String> = ["--partner", "--with"]

    /// Values offered for a command's argument from a short list, by the command's path and the
    /// option (`""` for its positional argument): `sandbox clock advance`'s amounts, `sandbox fault
    /// add`'s paths, methods and statuses.
    static let valueCandidates: [[String]: [String: [String]]] = [
        ["sandbox", "clock", "advance"]: ["": ["30s", "15m", "1h", "1d", "14d"]],
        ["sandbox", "fault", "add"]: [
            "--method": ["DELETE", "GET", "POST"],
            "--status": ["400", "401", "429", "500", "502", "503", "504"],
            "--path": ["/api/v1/connect/share-tokens", "/oauth/introspect", "/oauth/revoke", "/oauth/token", "/user/create"],
        ],
    ]

    init(partners: PartnerRegistry) {
        let json = ShellCommand._dumpHelp()
        root = (try? JSONDecoder().decode(Dump.self, from: Data(json.utf8)).command) ?? Node(commandName: "share")
        partnerNames = partners.ids.map(\.rawValue)
    }

    func complete(_ textBeforeCursor: String) -> Completion {
        if let command = textBeforeCursor.wholeMatch(of: /\s*as\s+\S+\s+(.*)/)?.1 {
            // `as ORG COMMAND …`: what follows the organization completes as a line of its own.
            return complete(String(command))
        }
        var words = textBeforeCursor.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let current = textBeforeCursor.last == " " || textBeforeCursor.isEmpty ? "" : (words.popLast() ?? "")
        var node = root
        var path: [String] = []
        for word in words {
            guard let next = node.subcommands?.first(where: { $0.commandName == word || ($0.aliases ?? []).contains(word) }) else { break }
            node = next
            path.append(next.commandName)
        }
        let option = words.count > path.count && words.last?.hasPrefix("-") == true ? words.last! : ""
        let listedValues = words.count == path.count || !option.isEmpty ? Self.valueCandidates[path]?[option] : nil
        let candidates: [String]
        if let previous = words.last, Self.partnerOptions.contains(previous) {
            // Complete the last item of a comma list: "fannie-mae,ex" → "fannie-mae,experian".
            let done = current.split(separator: ",", omittingEmptySubsequences: false).dropLast().joined(separator: ",")
            let head = done.isEmpty ? "" : done + ","
            let partial = String(current.dropFirst(head.count))
            let matches = partnerNames.filter { $0.hasPrefix(partial) }.map { head + $0 }
            return Completion(prefixLength: current.count, candidates: matches.sorted())
        } else if let listedValues, !current.hasPrefix("-") {
            return Completion(prefixLength: current.count, candidates: listedValues.filter { $0.hasPrefix(current) })
        } else if current.hasPrefix("-") {
            candidates = node.flags + ["--help"]
        } else if let subcommands = node.subcommands, !subcommands.isEmpty {
            candidates = subcommands.map(\.commandName) + (node.commandName == root.commandName ? ["help"] : [])
        } else {
            candidates = node.flags
        }
        let unique = Array(Set(candidates.filter { $0.hasPrefix(current) })).sorted()
        return Completion(prefixLength: current.count, candidates: unique)
    }
}

extension CommandCompleter.Node {
    init(commandName: String) {
        self.commandName = commandName
    }
}
