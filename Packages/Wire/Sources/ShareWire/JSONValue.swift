/// Any JSON value, for documents whose shape is not known in advance: free-form record
/// attributes, a response kept for later reference, a body whose credential fields are edited.
///
/// Integers and fractional numbers stay apart (`integer` / `number`), so `900` round-trips as
/// `900`, never `900.0`.
public enum JSONValue: Hashable, Sendable, Codable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The value at a path of object keys and array indices: `["data", "attributes", "status"]`,
    /// `["data", "0", "id"]`. `nil` when any step is missing.
    public func value(at path: some Collection<String>) -> JSONValue? {
        guard let first = path.first else { return self }
        switch self {
        case .object(let fields):
            return fields[first]?.value(at: path.dropFirst())
        case .array(let items):
            guard let index = Int(first), items.indices.contains(index) else { return nil }
            return items[index].value(at: path.dropFirst())
        default:
            return nil
        }
    }

    /// The field `key` of an object; `nil` for other values.
    public subscript(key: String) -> JSONValue? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    /// The string, when this is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }
}
