import Foundation
import ShareWire

/// The results of earlier commands and the variables set with `set`, and the `$…` expansion that
/// lets a line use them.
///
/// - `$last.FIELD` — a field of the most recent result (`$last.access_token`);
/// - `$N.FIELD` — a field of the N-th result of this session, counting from 1;
/// - `$NAME` / `${NAME}` — a variable from `set NAME VALUE`; `$NAME.FIELD` when it holds JSON.
///
/// A JSON:API document's fields are reachable without its `data` wrapper: `$last.id` is
/// `$last.data.id` and `$last.status` is `$last.data.attributes.status` when the document itself
/// has no such field. A reference to a whole object or list where a value is expected is an error
/// that names the fields there are. Text in single quotes, and `\$`, is left alone.
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

    /// Expands every `$reference` in `word`; an object or a list is accepted only when
    /// `allowingStructured` (the value of `set`).
    func expand(_ word: ShellWords.Word, allowingStructured: Bool = false) throws(UnresolvedReference) -> String {
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
            let value = try resolve(reference)
            if !allowingStructured, let problem = Self.structureProblem(value, reference: reference) {
                throw UnresolvedReference(reference: reference, reason: problem)
            }
            output += value.plainText
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
        let path = Array(parts.dropFirst())
        for base in Self.documentRoots(of: root) {
            if let value = base.value(at: path) { return value }
        }
        let known = Self.fieldNames(of: root)
        let hint = known.isEmpty ? "" : "; it has " + known.map { "\(head).\($0)" }.map { "$" + $0 }.joined(separator: ", ")
        throw UnresolvedReference(reference: reference, reason: "the result has no field \"\(path.joined(separator: "."))\"\(hint)")
    }

    /// Where a field of `root` is looked up: the value itself, then, for a JSON:API document,
    /// its `data` and `data.attributes`.
    private static func documentRoots(of root: JSONValue) -> [JSONValue] {
        switch root["data"] {
        case .object(let data)?: return [root, .object(data)] + (data["attributes"].map { [$0] } ?? [])
        case .array(let items)?: return [root, .array(items)]
        default: return [root]
        }
    }

    /// The fields a reference into `value` can name, shallowest first.
    static func fieldNames(of value: JSONValue) -> [String] {
        switch value {
        case .object(let fields):
            if case .object(let data)? = fields["data"] {
                let attributes: [String]
                if case .object(let inner)? = data["attributes"] { attributes = inner.keys.sorted() } else { attributes = [] }
                return data.keys.filter { $0 != "attributes" }.sorted() + attributes
            }
            if case .array(let items)? = fields["data"] { return fieldNames(of: .array(items)) }
            return fields.keys.sorted()
        case .array(let items):
            return items.isEmpty ? [] : ["0"] + (items.count > 1 ? ["\(items.count - 1)"] : [])
        default:
            return []
        }
    }

    /// Why `value` cannot stand where a single value is expected, or `nil` when it can.
    private static func structureProblem(_ value: JSONValue, reference: String) -> String? {
        switch value {
        case .object:
            let fields = fieldNames(of: value).map { "$\(reference).\($0)" }
            return "it is an object, not a value; name one of its fields: " + fields.joined(separator: ", ")
        case .array(let items):
            let example = items.isEmpty ? "" : ", e.g. $\(reference).0" + (fieldNames(of: items[0]).first.map { ".\($0)" } ?? "")
            return "it is a list of \(items.count), not a value; name an item by its index\(example)"
        default:
            return nil
        }
    }
}

extension String {
    /// `\$` is kept as NUL while splitting so expansion skips it; this restores the `$`.
    fileprivate func replacingNulls() -> String { replacingOccurrences(of: "\u{0}", with: "$") }
}
