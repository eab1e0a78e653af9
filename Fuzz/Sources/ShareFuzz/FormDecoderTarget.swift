import ShareModels
import ShareWire

/// Form bodies: every OAuth request type, plus a nested shape that exercises the bracket syntax
/// (`a[b][0]=…`) and the depth limit.
enum FormDecoderTarget {
    struct Nested: Codable, Equatable {
        var name: String?
        var count: Int?
        var flag: Bool?
        var list: [String]?
        var table: [String: [Int]]?
        var child: [Nested]?
    }

    static func run(_ bytes: [UInt8]) {
        RoundTrip.check(OAuthTokenRequest.self, bytes, format: .form)
        RoundTrip.check(OAuthIntrospectRequest.self, bytes, format: .form)
        RoundTrip.check(OAuthRevokeRequest.self, bytes, format: .form)
        RoundTrip.check(UserCreateRequest.self, bytes, format: .form)
        _ = try? FormDecoder().decode(Nested.self, from: bytes)
        _ = try? FormDecoder(maximumDepth: 2).decode([String: [String: String]].self, from: bytes)
        // The String entry point reads the same bytes as text.
        _ = try? FormDecoder().decode(OAuthTokenRequest.self, from: String(decoding: bytes, as: UTF8.self))
    }
}
