import ShareWire

/// Decodes request bodies through ShareWire, turning every ``WireError`` into an
/// `invalid_request` that names the field (ShareWire never echoes a value, so no secret leaks
/// into the answer).
enum BodyCodec {
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], format: WireFormat) throws -> T {
        // Both codecs reject invalid UTF-8; checking first gives one message for both formats.
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw OAuthFailure.invalidRequest("the request body is not valid UTF-8")
        }
        do {
            return try format.decode(type, from: bytes)
        } catch {
            throw OAuthFailure.invalidRequest(
                error.codingPath.isEmpty ? "the request body: \(error.reason)" : error.description)
        }
    }
}
