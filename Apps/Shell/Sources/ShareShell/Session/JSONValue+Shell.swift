import Foundation
import ShareWire

/// How the shell keeps API responses (so that later lines can refer to their fields,
/// `$last.access_token`) and shows them.
extension JSONValue {
    /// Parses JSON bytes.
    init(parsing bytes: some Collection<UInt8>) throws {
        self = try WireJSON.decode(JSONValue.self, from: bytes)
    }

    /// The value of any `Encodable`, as JSON would carry it.
    init(encoding value: some Encodable) throws {
        self = try WireJSON.decode(JSONValue.self, from: try WireJSON.encode(value))
    }

    /// The JSON:API document an API answers with `resource` (one or a list) as its `data`:
    /// what `--json` prints for share-token and event commands, wrapper included.
    init(jsonAPIDocumentOf resource: some Encodable) throws {
        self = .object(["data": try JSONValue(encoding: resource)])
    }

    /// The value as a shell word: strings bare, everything else as compact JSON.
    var plainText: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return String(value)
        case .integer(let value): return String(value)
        case .number(let value): return String(value)
        case .string(let value): return value
        case .array, .object: return compactJSON
        }
    }

    /// Compact JSON with sorted keys.
    var compactJSON: String { render(pretty: false) }

    /// Indented JSON with sorted keys, as `--json` prints it.
    var prettyJSON: String { render(pretty: true) }

    private func render(pretty: Bool) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "null"
    }
}
