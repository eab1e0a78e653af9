/// A request that names one OAuth token and may carry the client's credentials in its body:
/// `/oauth/introspect` and `/oauth/revoke`.
public protocol TokenOperationRequest: Hashable, Sendable, Codable, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable
{
    /// The token: an access or refresh token.
    var token: String { get set }
    var clientID: String? { get set }
    var secret: String? { get set }
    var clientSecret: String? { get set }

    init(token: String, clientID: String?, secret: String?, clientSecret: String?)
}

extension TokenOperationRequest {
    /// Decodes the four members, shared by both requests' `init(from:)`. `null` is refused for
    /// every member: Plaid declares them all as strings.
    init(decodingMembersFrom decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: TokenOperationCodingKeys.self)
        self.init(
            token: try container.decode(String.self, forKey: .token),
            clientID: try container.decodeDeclaredStringIfPresent(String.self, forKey: .clientID),
            secret: try container.decodeDeclaredStringIfPresent(String.self, forKey: .secret),
            clientSecret: try container.decodeDeclaredStringIfPresent(String.self, forKey: .clientSecret))
    }

    /// The secret, whichever field carried it (`secret` first, then `client_secret`).
    public var anySecret: String? { secret ?? clientSecret }

    public var description: String {
        var parts = ["token: \(Redaction.token(token))"]
        if let clientID { parts.append("client_id: \(clientID)") }
        if secret != nil { parts.append("secret: \(Redaction.secret(secret))") }
        if clientSecret != nil { parts.append("client_secret: \(Redaction.secret(clientSecret))") }
        return "\(Self.self)(\(parts.joined(separator: ", ")))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "token": Redaction.token(token), "clientID": clientID as Any,
                "secret": Redaction.secret(secret), "clientSecret": Redaction.secret(clientSecret),
            ]
        )
    }
}

/// The JSON and form field names of a ``TokenOperationRequest``.
enum TokenOperationCodingKeys: String, CodingKey {
    case token
    case clientID = "client_id"
    case secret
    case clientSecret = "client_secret"
}

/// A request to `/oauth/introspect`.
public struct OAuthIntrospectRequest: TokenOperationRequest {
    public var token: String
    public var clientID: String?
    public var secret: String?
    public var clientSecret: String?

    public init(token: String, clientID: String? = nil, secret: String? = nil, clientSecret: String? = nil) {
        self.token = token
        self.clientID = clientID
        self.secret = secret
        self.clientSecret = clientSecret
    }

    typealias CodingKeys = TokenOperationCodingKeys

    public init(from decoder: any Decoder) throws {
        try self.init(decodingMembersFrom: decoder)
    }
}

/// A request to `/oauth/revoke`. Revoking a refresh token also revokes every token derived from it.
public struct OAuthRevokeRequest: TokenOperationRequest {
    public var token: String
    public var clientID: String?
    public var secret: String?
    public var clientSecret: String?

    public init(token: String, clientID: String? = nil, secret: String? = nil, clientSecret: String? = nil) {
        self.token = token
        self.clientID = clientID
        self.secret = secret
        self.clientSecret = clientSecret
    }

    typealias CodingKeys = TokenOperationCodingKeys

    public init(from decoder: any Decoder) throws {
        try self.init(decodingMembersFrom: decoder)
    }
}

/// The answer to `/oauth/revoke`: only a request id (RFC 7009 answers 200 even for unknown tokens).
public struct OAuthRevokeResponse: Hashable, Sendable, Codable {
    public var requestID: String

    public init(requestID: String) { self.requestID = requestID }

    enum CodingKeys: String, CodingKey { case requestID = "request_id" }
}
