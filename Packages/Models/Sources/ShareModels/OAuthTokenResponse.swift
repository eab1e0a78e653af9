/// The answer to a successful `/oauth/token` request.
public struct OAuthTokenResponse: Hashable, Sendable, Codable {
    public var accessToken: String
    public var refreshToken: String
    /// Always `Bearer` today.
    public var tokenType: String
    /// Seconds until the access token expires (a JSON integer).
    public var expiresIn: Int
    public var requestID: String

    public init(accessToken: String, refreshToken: String, tokenType: String = "Bearer", expiresIn: Int, requestID: String) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.tokenType = tokenType
        self.expiresIn = expiresIn
        self.requestID = requestID
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case requestID = "request_id"
    }
}

extension OAuthTokenResponse: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "OAuthTokenResponse(access_token: \(Redaction.token(accessToken)), refresh_token: \(Redaction.token(refreshToken)), "
            + "token_type: \(tokenType), expires_in: \(expiresIn), request_id: \(requestID))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "accessToken": Redaction.token(accessToken), "refreshToken": Redaction.token(refreshToken),
                "tokenType": tokenType, "expiresIn": expiresIn, "requestID": requestID,
            ]
        )
    }
}
