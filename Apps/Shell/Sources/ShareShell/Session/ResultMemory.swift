import Foundation
import ShareWire

/// The results of earlier commands and the variables set with `set`, and the `$…` expansion that
/// lets a line use them.
///
/// - `$last.FIELD` — a field of the most recent result (`$last.access_token`);
/// - `$N.FIELD` — a field of the N-th result of this session, counting from 1;
/// - `$NAME` / `${NAME}` — a variable from `set NAME VALUE`; `$NAME.FIELD` when it holds JSON.
///
/// Text in single quotes, and `\$`, is left alone.
struct ResultMemory: Sendable {
    private(set) var results: [JSONValue] = []
    private(set) var variables: [String: JSONValue] = [:]

    /// Why a reference could not be expanded.
    struct UnresolvedReference: Error, Equatable, CustomStringConvertible {
        let reference: String
        let reason: String
        var description: String { "cannot expand $\(reference): \(reason)" }
    }

    mutating func record(_ result: JSONValue) { results.append(result) }

    mutating func set(_ name: String, to value: JSONValue) { variables[name] = value }

    /// Expands every `$reference` in `word`.
    func expand(_ word: ShellWords.Word) throws(UnresolvedReference) -> String {
        guard !word.isLiteral, word.text.contains("$") else { return word.text.replacingNulls() }
        var output = ""
        var characters = Array(word.text)[...]
        while let character = characters.popFirst() {
            guard character == "$" else {
                output.append(character)
                continue
            }
            var reference = ""
            if characters.first == "{" {
                characters = characters.dropFirst()
                guard let end = characters.firstIndex(of: "}") else {
                    throw UnresolvedReference(reference: "{" + String(characters), reason: "missing }")
                }
                reference = String(characters[..<end])
                characters = characters[(end + 1)...]
            } else {
                while let next = characters.first, next.isLetter || next.isNumber || next == "_" || next == "." || next == "-" {
                    reference.append(next)
                    characters = characters.dropFirst()
                }
                while reference.hasSuffix(".") {
                    reference.removeLast()
                    characters = (["."] + characters)[...]
                }
            }
            if reference.isEmpty {
                output.append("$")
                continue
            }
            output += try resolve(reference).plainText
        }
        return output.replacingNulls()
    }

    /// The value a reference like `last.access_token` names.
    func resolve(_ reference: String) throws(UnresolvedReference) -> JSONValue {
        let parts = reference.split(separator: ".").map(String.init)
        guard let head = parts.first else { throw UnresolvedReference(reference: reference, reason: "empty reference") }
        let root: JSONValue
        if head == "last" {
            guard let last = results.last else { throw UnresolvedReference(reference: reference, reason: "no command has produced a result yet") }
            root = last
        } else if let index = Int(head) {
            guard index >= 1, index <= results.count else {
                throw UnresolvedReference(reference: reference, reason: "there are \(results.count) results so far ($1…$\(results.count))")
            }
            root = results[index - 1]
        } else if let variable = variables[head] {
            root = variable
        } else {
            throw UnresolvedReference(reference: reference, reason: "no variable \"\(head)\" (set one with: set \(head) VALUE)")
        }
        guard let value = root.value(at: Array(parts.dropFirst())) else {
            throw UnresolvedReference(reference: reference, reason: "the result has no field \"\(parts.dropFirst().joined(separator: "."))\"")
        }
        return value
    }
}

extension String {
    /// `\$` is kept as NUL while splitting so expansion skips it; this restores the `$`.
    fileprivate func replacingNulls() -> String { replacingOccurrences(of: "\u{0}", with: "$") }
}
