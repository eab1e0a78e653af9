import Foundation
import ShareModels
import ShareWire

/// Turns a command's result into text: indented JSON, or a table — one row per item with
/// columns for a list (``ListColumns``), one row per field for a single object — with tokens
/// shortened unless revealed. A JSON:API document is shown as its `data`, and an object whose one
/// member is a list as that list.
struct ResultRenderer: Sendable {
    var style: OutputStyle

    /// Field names whose values are tokens or secrets, shortened in tables.
    static let tokenFields: Set<String> = ["access_token", "refresh_token", "subject_token", "token", "secret", "client_secret", "api_key"]

    /// Fields shown first, in this order, when present.
    static let leadingFields = [
        "active", "user_id", "access_token", "refresh_token", "token_type", "expires_in", "scope", "client_id",
        "aud", "sub", "exp", "iat", "iss", "id", "type", "name", "status", "direction",
    ]

    func render(_ value: JSONValue) -> String {
        if style.json { return value.prettyJSON }
        return table(value)
    }

    private func table(_ value: JSONValue) -> String {
        var shown = value
        if case .object(let fields) = value, let data = fields["data"] {
            shown = data
        } else if case .object(let fields) = value, fields.count == 1, let only = fields.values.first, case .array = only {
            // A list in a one-member wrapper (`{"faults": [...]}`) is shown as the list.
            shown = only
        }
        switch shown {
        case .array(let items):
            return list(items)
        case .object:
            return fieldRows(shown)
        default:
            return shown.plainText
        }
    }

    /// A list as a table: a heading row, then one row per item.
    private func list(_ items: [JSONValue]) -> String {
        guard !items.isEmpty else { return "(none)" }
        let columns = ListColumns.columns(for: items)
        guard !columns.isEmpty else { return items.map(\.plainText).joined(separator: "\n") }
        let rows = items.map { item in columns.map { cell(item.value(at: $0.path), field: $0.path.last ?? $0.title) } }
        let widths = columns.indices.map { index in
            max(DisplayWidth.of(columns[index].title), rows.map { DisplayWidth.of($0[index]) }.max() ?? 0)
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, text in
                index == cells.count - 1 ? text : text + String(repeating: " ", count: widths[index] - DisplayWidth.of(text))
            }.joined(separator: "  ")
        }
        let heading = paint(line(columns.map(\.title)), "2")
        return ([heading] + rows.map(line)).joined(separator: "\n")
    }

    /// A single object as `field  value` rows; a JSON:API resource's attributes are rows of
    /// their own, and nested objects are shown by their path.
    private func fieldRows(_ value: JSONValue) -> String {
        var object = value
        if case .object(var fields) = value, case .object(let attributes)? = fields["attributes"], fields["type"] != nil {
            fields["attributes"] = nil
            for (name, attribute) in attributes where fields[name] == nil { fields[name] = attribute }
            object = .object(fields)
        }
        let rows = flatten(object, prefix: "")
        guard !rows.isEmpty else { return value.plainText }
        let width = rows.map { DisplayWidth.of($0.key) }.max() ?? 0
        return rows.map { row in
            let key = row.key + String(repeating: " ", count: width - DisplayWidth.of(row.key))
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
        case .array(let items) where !ListColumns.isCellValue(value):
            return items.enumerated().flatMap { flatten($0.element, prefix: "\(prefix).\($0.offset)") }
        default:
            let field = prefix.split(separator: ".").last.map(String.init) ?? prefix
            return [(prefix, cell(value, field: field))]
        }
    }

    /// One value as table text: a list of values joined with commas, tokens shortened.
    private func cell(_ value: JSONValue?, field: String) -> String {
        switch value {
        case nil, .null?:
            return "-"
        case .array(let items)?:
            return items.isEmpty ? "(none)" : items.map { cell($0, field: field) }.joined(separator: ",")
        case .string(let text)? where Self.tokenFields.contains(field) && !style.reveal:
            return Redaction.truncated(text)
        case .bool(true)? where field == "active":
            return paint("true", "32")
        case .bool(false)? where field == "active":
            return paint("false", "31")
        case let value?:
            return value.plainText
        }
    }

    /// Wraps `text` in an SGR colour when colour is on.
    func paint(_ text: String, _ code: String) -> String {
        style.color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
