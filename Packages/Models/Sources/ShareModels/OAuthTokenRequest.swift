/// A request to `/oauth/token`: issue, refresh or exchange a token.
///
/// Build one with the typed constructors — ``clientCredentials(scope:)``,
/// ``refresh(_:scope:)``, ``creditMultiUser(user:audience:scope:)``, ``userToken(user:clientID:scope:)``
/// and ``oauthUserToken(refreshToken:audience:scope:)`` — which set exactly the fields each grant
/// needs. The memberwise initialiser exists for servers and for requests the constructors cannot
/// express. JSON and `application/x-www-form-urlencoded` use the same field names.
public struct OAuthTokenRequest: Hashable, Sendable, Codable {
    public var grantType: GrantType
    public var clientID: String?
    /// The client secret sent as `secret`.
    public var secret: String?
    /// The client secret sent as `client_secret` (the OAuth spelling).
    public var clientSecret: String?
    public var scope: ScopeSet?
    public var refreshToken: String?
    /// URI of the target resource server.
    public var resource: String?
    public var audience: Audience?
    public var subjectToken: String?
    public var subjectTokenType: SubjectTokenType?

    public init(
        grantType: GrantType,
        clientID: String? = nil,
        secret: String? = nil,
        clientSecret: String? = nil,
        scope: ScopeSet? = nil,
        refreshToken: String? = nil,
        resource: String? = nil,
        audience: Audience? = nil,
        subjectToken: String? = nil,
        subjectTokenType: SubjectTokenType? = nil
    ) {
        self.grantType = grantType
        self.clientID = clientID
        self.secret = secret
        self.clientSecret = clientSecret
        self.scope = scope
        self.refreshToken = refreshToken
        self.resource = resource
        self.audience = audience
        self.subjectToken = subjectToken
        self.subjectTokenType = subjectTokenType
    }

    /// Decodes every field as synthesized `Codable` would, except that `null` is refused for
    /// every member (Plaid declares them all as strings), and that a `scope` naming no scope
    /// (empty, or only spaces and tabs) reads as no `scope` at all — which is what it means — so
    /// that the value survives a form round trip, where an empty `scope=` reads as absent (found
    /// by fuzzing: `scope=%20%09` decoded to an empty set that re-encoded as absent).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            grantType: try container.decode(GrantType.self, forKey: .grantType),
            clientID: try container.decodeDeclaredStringIfPresent(String.self, forKey: .clientID),
            secret: try container.decodeDeclaredStringIfPresent(String.self, forKey: .secret),
            clientSecret: try container.decodeDeclaredStringIfPresent(String.self, forKey: .clientSecret),
            scope: try container.decodeDeclaredStringIfPresent(ScopeSet.self, forKey: .scope).flatMap { $0.isEmpty ? nil : $0 },
            refreshToken: try container.decodeDeclaredStringIfPresent(String.self, forKey: .refreshToken),
            resource: try container.decodeDeclaredStringIfPresent(String.self, forKey: .resource),
            audience: try container.decodeDeclaredStringIfPresent(Audience.self, forKey: .audience),
            subjectToken: try container.decodeDeclaredStringIfPresent(String.self, forKey: .subjectToken),
            subjectTokenType: try container.decodeDeclaredStringIfPresent(SubjectTokenType.self, forKey: .subjectTokenType)
        )
    }

    enum CodingKeys: String, CodingKey {
        case grantType = "grant_type"
        case clientID = "client_id"
        case secret
        case clientSecret = "client_secret"
        case scope
        case refreshToken = "refresh_token"
        case resource
        case audience
        case subjectToken = "subject_token"
        case subjectTokenType = "subject_token_type"
    }

    /// The secret, whichever field carried it (`secret` first, then `client_secret`).
    public var anySecret: String? { secret ?? clientSecret }

    // MARK: Typed constructors

    /// `client_credentials`: a token pair for the calling client itself.
    public static func clientCredentials(scope: ScopeSet? = nil) -> OAuthTokenRequest {
        OAuthTokenRequest(grantType: .clientCredentials, scope: scope)
    }

    /// `refresh_token`: a new pair for `refreshToken`, which the server then spends.
    public static func refresh(_ refreshToken: String, scope: ScopeSet? = nil) -> OAuthTokenRequest {
        OAuthTokenRequest(grantType: .refreshToken, scope: scope, refreshToken: refreshToken)
    }

    /// Token exchange with `urn:plaid:params:credit:multi-user`: share `user`'s consumer report with
    /// every party of `audience` (client ids or CRA partner URNs).
    public static func creditMultiUser(user: UserID, audience: Audience, scope: ScopeSet? = .read) -> OAuthTokenRequest {
        OAuthTokenRequest(
            grantType: .tokenExchange,
            scope: scope,
            audience: audience,
            subjectToken: user.rawValue,
            subjectTokenType: .creditMultiUser
        )
    }

    /// Token exchange with `urn:plaid:params:tokens:user`: an OAuth token for `user`, for the caller
    /// itself (`audience` is the caller's `clientID`).
    public static func userToken(user: UserID, clientID: String, scope: ScopeSet? = nil) -> OAuthTokenRequest {
        OAuthTokenRequest(
            grantType: .tokenExchange,
            scope: scope,
            audience: Audience(.client(clientID)),
            subjectToken: user.rawValue,
            subjectTokenType: .user
        )
    }

    /// Token exchange with `urn:plaid:params:oauth:user-token`: trade a refresh token holding the
    /// `exchange` scope for a token of another client id.
    public static func oauthUserToken(refreshToken: String, audience clientID: String, scope: ScopeSet? = nil)
        -> OAuthTokenRequest
    {
        OAuthTokenRequest(
            grantType: .tokenExchange,
            scope: scope,
            audience: Audience(.client(clientID)),
            subjectToken: refreshToken,
            subjectTokenType: .oauthUserToken
        )
    }
}

extension OAuthTokenRequest: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        var parts = ["grant_type: \(grantType)"]
        if let clientID { parts.append("client_id: \(clientID)") }
        if secret != nil { parts.append("secret: \(Redaction.secret(secret))") }
        if clientSecret != nil { parts.append("client_secret: \(Redaction.secret(clientSecret))") }
        if let scope { parts.append("scope: \(scope)") }
        if refreshToken != nil { parts.append("refresh_token: \(Redaction.token(refreshToken))") }
        if let resource { parts.append("resource: \(resource)") }
        if let audience { parts.append("audience: \(audience)") }
        if subjectToken != nil { parts.append("subject_token: \(Redaction.token(subjectToken))") }
        if let subjectTokenType { parts.append("subject_token_type: \(subjectTokenType)") }
        return "OAuthTokenRequest(\(parts.joined(separator: ", ")))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "grantType": grantType.rawValue, "clientID": clientID as Any,
                "secret": Redaction.secret(secret), "clientSecret": Redaction.secret(clientSecret),
                "scope": scope as Any, "refreshToken": Redaction.token(refreshToken), "resource": resource as Any,
                "audience": audience as Any, "subjectToken": Redaction.token(subjectToken),
                "subjectTokenType": subjectTokenType as Any,
            ]
        )
    }
}
