/// The answer to `/oauth/introspect` (RFC 7662).
///
/// For an inactive token — unknown, expired, revoked, or not visible to the caller — only
/// `active: false` and `request_id` are present.
public struct OAuthIntrospectResponse: Hashable, Sendable, Codable {
    public var active: Bool
    public var scope: ScopeSet?
    public var clientID: String?
    /// Expiry, seconds since 1970 (a JSON integer).
    public var exp: Int?
    /// Issue time, seconds since 1970 (a JSON integer).
    public var iat: Int?
    public var sub: String?
    /// The audience, comma-joined when several parties share the token.
    public var aud: String?
    public var iss: String?
    public var tokenType: String?
    public var userID: String?
    public var requestID: String

    public init(
        active: Bool,
        scope: ScopeSet? = nil,
        clientID: String? = nil,
        exp: Int? = nil,
        iat: Int? = nil,
        sub: String? = nil,
        aud: String? = nil,
        iss: String? = nil,
        tokenType: String? = nil,
        userID: String? = nil,
        requestID: String
    ) {
        self.active = active
        self.scope = scope
        self.clientID = clientID
        self.exp = exp
        self.iat = iat
        self.sub = sub
        self.aud = aud
        self.iss = iss
        self.tokenType = tokenType
        self.userID = userID
        self.requestID = requestID
    }

    /// The answer for any token the caller may not learn about.
    public static func inactive(requestID: String) -> OAuthIntrospectResponse {
        OAuthIntrospectResponse(active: false, requestID: requestID)
    }

    enum CodingKeys: String, CodingKey {
        case active, scope
        case clientID = "client_id"
        case exp, iat, sub, aud, iss
        case tokenType = "token_type"
        case userID = "user_id"
        case requestID = "request_id"
    }
}
