import HTTPTypes
import ShareWire
import ShareCore

/// Removes credential fields from a JSON or form body and adds new ones.
///
/// A form body is edited pair by pair, so every other pair keeps its bytes and order. A JSON body
/// is decoded to a tree and encoded again with ShareWire (sorted keys). Bodies that cannot hold
/// credentials are not touched, and bodies that certainly hold none (no `client_id`, `secret`,
/// `%` or `\u` bytes) are not parsed at all.
enum BodyCredentialEditor {
    static func edit(_ request: inout HTTPRequest, body: inout [UInt8]?, adding fields: [(String, String)]) throws(CredentialsError) {
        let bytes = body ?? []
        let declared = request.headerFields[.contentType]
        var format = declared.flatMap(WireFormat.init(contentType:))
        if declared != nil, format == nil {
            guard fields.isEmpty else {
                throw CredentialsError(.unsupportedPlacement, "a body of type \(declared!) cannot carry credential fields")
            }
            return
        }
        if format == nil, !bytes.isEmpty {
            format = bytes.first(where: { !isSpace($0) }) == UInt8(ascii: "{") ? .json : .form
        }
        if bytes.allSatisfy(isSpace) {
            guard !fields.isEmpty else { return }
            let format = format ?? .json
            if declared == nil { request.headerFields[.contentType] = format.contentType }
            body = format == .json ? encodeJSON(fields.map { ($0.0, .string($0.1)) }) : encodeForm(kept: [], adding: fields)
            return
        }
        guard !fields.isEmpty || mightHoldCredentials(bytes) else { return }
        switch format ?? .json {
        case .form:
            body = editForm(bytes, adding: fields)
        case .json:
            guard let object = try? WireJSON.decode(JSONObject.self, from: bytes) else {
                guard fields.isEmpty else {
                    throw CredentialsError(.unsupportedPlacement, "the JSON body is not an object, so it cannot carry credential fields")
                }
                // Not rebuildable, yet a server reading only its own fields could still find
                // credentials in it: refuse rather than send them.
                if CredentialFieldProbe.namesCredentials(bytes) {
                    throw CredentialsError(
                        .unsupportedPlacement, "the JSON body holds credential fields but cannot be rewritten without them"
                    )
                }
                return
            }
            var members = object.members.filter { !CredentialPlacement.bodyFieldNames.contains($0.key) }
            for (name, value) in fields { members[name] = .string(value) }
            body = encodeJSON(members.map { ($0.key, $0.value) })
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    private static let markers: [[UInt8]] = CredentialField.names.map { Array($0.utf8) } + [Array("%".utf8), Array("\\u".utf8)]

    private static func mightHoldCredentials(_ bytes: [UInt8]) -> Bool {
        markers.contains { marker in
            guard bytes.count >= marker.count else { return false }
            return (0...(bytes.count - marker.count)).contains { start in
                bytes[start] == marker[0] && bytes[start..<(start + marker.count)].elementsEqual(marker)
            }
        }
    }

    private static func editForm(_ bytes: [UInt8], adding fields: [(String, String)]) -> [UInt8] {
        let kept: [[UInt8]] = bytes.withUnsafeBytes { raw in
            var kept: [[UInt8]] = []
            var pairs = FormPairScanner(raw)
            while let pair = pairs.next() {
                let name = PercentCoding.decode(String(decoding: raw[pair.name], as: UTF8.self), plus: .space) ?? ""
                // ShareWire's FormDecoder reads `client_id[]=x` as `client_id = "x"`: a bracketed
                // key counts as its base field (CredentialField(formName:)).
                if CredentialField(formName: name) == nil { kept.append(Array(raw[pair.range])) }
            }
            return kept
        }
        return encodeForm(kept: kept, adding: fields)
    }

    private static func encodeForm(kept: [[UInt8]], adding fields: [(String, String)]) -> [UInt8] {
        let added = fields.map { Array((PercentCoding.formEncoded($0.0) + "=" + PercentCoding.formEncoded($0.1)).utf8) }
        return Array((kept + added).joined(separator: [UInt8(ascii: "&")]))
    }

    private static func encodeJSON(_ members: [(String, JSONValue)]) -> [UInt8] {
        // Encoding strings, numbers and booleans cannot fail.
        (try? WireJSON.encode(JSONObject(members: Dictionary(members, uniquingKeysWith: { $1 })))) ?? Array("{}".utf8)
    }
}

/// A JSON object, decoded generically so that unknown fields survive a credential edit.
struct JSONObject: Codable {
    var members: [String: JSONValue]

    init(members: [String: JSONValue]) { self.members = members }

    init(from decoder: any Decoder) throws { members = try decoder.singleValueContainer().decode([String: JSONValue].self) }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(members)
    }
}
