import Foundation
import ShareModels
import ShareWire

/// Turns a command's result into text: indented JSON, or a two-column table with tokens
/// shortened unless revealed.
struct ResultRenderer: Sendable {
    var style: OutputStyle

    /// Field names whose values are tokens or secrets, shortened in tables.
    static let tokenFields: Set<String> = ["access_token", "refresh_token", "subject_token", "token", "secret", "client_secret", "api_key"]

    /// Fields shown first, in this order, when present.
    static let leadingFields = [
        "active", "user_id", "access_token", "refresh_token", "token_type", "expires_in", "scope", "client_id",
        "aud", "sub", "exp", "iat", "iss", "id", "type", "status", "direction",
    ]

    func render(_ value: JSONValue) -> String {
        if style.json { return value.prettyJSON }
        return table(value)
    }

    private func table(_ value: JSONValue) -> String {
        let rows = flatten(value, prefix: "")
        guard !rows.isEmpty else { return value.plainText }
        let width = rows.map { $0.key.count }.max() ?? 0
        return rows.map { row in
            let key = row.key.padding(toLength: width, withPad: " ", startingAt: 0)
            return "\(paint(key, "2"))  \(row.value)"
        }.joined(separator: "\n")
    }

    private func flatten(_ value: JSONValue, prefix: String) -> [(key: String, value: String)] {
        switch value {
        case .object(let fields):
            let ordered = Self.leadingFields.filter { fields[$0] != nil } + fields.keys.filter { !Self.leadingFields.contains($0) }.sorted()
            return ordered.flatMap { key -> [(key: String, value: String)] in
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                return flatten(fields[key]!, prefix: path)
            }
        case .array(let items):
            if items.isEmpty { return [(prefix, "(none)")] }
            return items.enumerated().flatMap { flatten($0.element, prefix: "\(prefix).\($0.offset)") }
        default:
            let field = prefix.split(separator: ".").last.map(String.init) ?? prefix
            return [(prefix, format(value, field: field))]
        }
    }

    private func format(_ value: JSONValue, field: String) -> String {
        switch value {
        case .string(let text) where Self.tokenFields.contains(field) && !style.reveal:
            return Redaction.truncated(text)
        case .bool(true) where field == "active":
            return paint("true", "32")
        case .bool(false) where field == "active":
            return paint("false", "31")
        default:
            return value.plainText
        }
    }

    /// Wraps `text` in an SGR colour when colour is on.
    func paint(_ text: String, _ code: String) -> String {
        style.color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
