/// The `error` of an OAuth error response (RFC 6749 §5.2, RFC 7009, RFC 8693).
public struct OAuthErrorCode: WireString {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let invalidRequest: OAuthErrorCode = "invalid_request"
    public static let invalidClient: OAuthErrorCode = "invalid_client"
    public static let invalidGrant: OAuthErrorCode = "invalid_grant"
    public static let unauthorizedClient: OAuthErrorCode = "unauthorized_client"
    public static let invalidScope: OAuthErrorCode = "invalid_scope"
    public static let unsupportedGrantType: OAuthErrorCode = "unsupported_grant_type"
    /// RFC 8693 §2.2.2: the requested audience or resource is not acceptable.
    public static let invalidTarget: OAuthErrorCode = "invalid_target"
    /// RFC 7009 §2.2.1: the server does not revoke this token type.
    public static let unsupportedTokenType: OAuthErrorCode = "unsupported_token_type"

    /// The HTTP status a server answers this error with: 401 for `invalid_client`, else 400.
    public var httpStatus: Int { self == .invalidClient ? 401 : 400 }
}
