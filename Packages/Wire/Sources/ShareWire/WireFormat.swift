/// A body format ShareKit speaks: JSON or `application/x-www-form-urlencoded`.
///
/// The OAuth endpoints accept both with the same field names; everything else is JSON.
public enum WireFormat: Sendable, Hashable {
    /// `application/json`, through ``WireJSON``.
    case json
    /// `application/x-www-form-urlencoded`, through ``FormEncoder`` and ``FormDecoder``.
    case form

    /// The format a `Content-Type` header names, ignoring parameters (`; charset=utf-8`), case and
    /// surrounding whitespace; `nil` for any other media type.
    public init?(contentType: String) {
        // The exact spellings every client sends, without the lowercasing below.
        if contentType == "application/json" {
            self = .json
            return
        }
        if contentType == "application/x-www-form-urlencoded" {
            self = .form
            return
        }
        var mediaType = Substring(contentType)
        if let semicolon = mediaType.firstIndex(of: ";") { mediaType = mediaType[..<semicolon] }
        switch mediaType.trimmingASCIIWhitespace().lowercased() {
        case "application/json": self = .json
        case "application/x-www-form-urlencoded": self = .form
        default: return nil
        }
    }

    /// The media type to send in `Content-Type`.
    public var contentType: String {
        switch self {
        case .json: "application/json"
        case .form: "application/x-www-form-urlencoded"
        }
    }

    /// Encodes `value` as a body in this format.
    public func encode<T: Encodable>(_ value: T) throws(WireError) -> [UInt8] {
        switch self {
        case .json: try WireJSON.encode(value)
        case .form: try FormEncoder().encodedBytes(value)
        }
    }

    /// Decodes a body in this format.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws(WireError) -> T {
        switch self {
        case .json: try WireJSON.decode(type, from: bytes)
        case .form: try FormDecoder().decode(type, from: bytes)
        }
    }
}

extension Substring {
    fileprivate func trimmingASCIIWhitespace() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
