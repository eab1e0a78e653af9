import ShareModels
import ShareWire

/// JSON bodies of every request the sandbox and gateway decode.
enum JSONRequestTarget {
    static func run(_ bytes: [UInt8]) {
        RoundTrip.check(OAuthTokenRequest.self, bytes, format: .json)
        RoundTrip.check(OAuthIntrospectRequest.self, bytes, format: .json)
        RoundTrip.check(OAuthRevokeRequest.self, bytes, format: .json)
        RoundTrip.check(UserCreateRequest.self, bytes, format: .json)
        RoundTrip.check(JSONAPIRequestDocument<ShareTokenCreateAttributes>.self, bytes, format: .json)
        RoundTrip.check(JSONAPIRequestDocument<ShareTokenRedeemAttributes>.self, bytes, format: .json)
        if let create = try? WireJSON.decode(JSONAPIRequestDocument<ShareTokenCreateAttributes>.self, from: bytes) {
            _ = try? create.data.attributes.ttl()
        }
    }
}
