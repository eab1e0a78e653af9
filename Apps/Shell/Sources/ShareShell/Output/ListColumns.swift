import ShareWire

/// The columns of a list, from a description of its items where there is one — by JSON:API
/// resource type, or by the fields of plain items — else from the items' own shape: for JSON:API
/// resources their id and attributes, for plain objects their fields. A new list needs no code
/// here to print as a table; a description only chooses and orders its columns.
struct ListColumns: Sendable {
    /// Which items a description is for.
    enum Items: Sendable {
        /// JSON:API resources of this `type`.
        case resourceType(String)
        /// Plain objects that have every one of these fields.
        case fields(Set<String>)
    }

    var items: Items
    var columns: [TableColumn]

    /// The lists the shell knows how to show best.
    static let described: [ListColumns] = [
        ListColumns(items: .fields(["id", "name", "aliases", "audience"]), columns: [
            TableColumn("id"), TableColumn("name"), TableColumn("aliases"), TableColumn("audience URN", "audience"),
        ]),
        // Share tokens are shown as ShareToken encodes them, whatever the answer named the
        // connection relationship (Persona's 2025-12-08 examples say `connect-connection`).
        ListColumns(items: .resourceType("connect/share-token"), columns: [
            TableColumn("id"), TableColumn("status", "attributes", "status"), TableColumn("direction", "attributes", "direction"),
            TableColumn("connection", "relationships", "connection", "data", "id"),
            TableColumn("source", "relationships", "source", "data", "id"), TableColumn("expires", "attributes", "expires-at"),
        ]),
        ListColumns(items: .resourceType("event"), columns: [
            TableColumn("id"), TableColumn("name", "attributes", "name"), TableColumn("created", "attributes", "created-at"),
            TableColumn("subject", "attributes", "payload", "data", "id"),
        ]),
    ]

    /// The columns for `items`.
    static func columns(for items: [JSONValue]) -> [TableColumn] {
        guard let first = items.first else { return [] }
        for description in described where description.matches(first) { return description.columns }
        return inferred(from: items)
    }

    func matches(_ item: JSONValue) -> Bool {
        switch items {
        case .resourceType(let type):
            return item["type"] == .string(type)
        case .fields(let names):
            guard case .object(let fields) = item else { return false }
            return names.isSubset(of: Set(fields.keys))
        }
    }

    /// Columns from the items themselves: `id` first, then every field (a JSON:API resource's
    /// attributes) that holds a value or a list of values in some item.
    static func inferred(from items: [JSONValue]) -> [TableColumn] {
        let isResource = items.allSatisfy { $0["type"] != nil && $0["attributes"] != nil }
        var names: Set<String> = []
        for item in items {
            guard case .object(let fields)? = isResource ? item["attributes"] : item else { continue }
            for (name, value) in fields where isCellValue(value) { names.insert(name) }
        }
        let leading = ResultRenderer.leadingFields.filter(names.contains)
        let ordered = leading + names.subtracting(leading).sorted()
        let columns = ordered.filter { $0 != "id" }.map { TableColumn(title: $0, path: isResource ? ["attributes", $0] : [$0]) }
        let hasID = items.contains { $0["id"] != nil }
        return (hasID ? [TableColumn("id")] : []) + columns
    }

    /// A scalar, or a list of scalars: what fits in a cell.
    static func isCellValue(_ value: JSONValue) -> Bool {
        switch value {
        case .object: return false
        case .array(let items): return items.allSatisfy { if case .object = $0 { false } else if case .array = $0 { false } else { true } }
        default: return true
        }
    }
}
