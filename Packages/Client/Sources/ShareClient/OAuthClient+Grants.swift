public import ShareModels

extension OAuthClient {
    /// `client_credentials`: a token pair for this client itself.
    public func clientCredentials(scope: ScopeSet? = nil) async throws(ShareClientError) -> OAuthTokenResponse {
        try await token(.clientCredentials(scope: scope))
    }

    /// `refresh_token`: a new pair for `refreshToken`, which the API then spends. Never retried:
    /// a repeated refresh would look like reuse of a spent token.
    public func refresh(_ refreshToken: String, scope: ScopeSet? = nil) async throws(ShareClientError) -> OAuthTokenResponse {
        try await token(.refresh(refreshToken, scope: scope))
    }

    /// Token exchange with `urn:plaid:params:tokens:user`: an OAuth token for `user`, for this
    /// client itself.
    ///
    /// - Parameters:
    ///   - user: The user the token is for.
    ///   - clientID: The audience; defaults to the client id of the credentials (required when the
    ///     client was made without credentials).
    ///   - scope: The scope asked for; `nil` for the client's default.
    public func exchangeUserToken(user: UserID, clientID: String? = nil, scope: ScopeSet? = nil) async throws(ShareClientError) -> OAuthTokenResponse {
        guard let audience = clientID ?? self.clientID else {
            let problem = InvalidRequestError(operation: "oauth.token", reason: "name the client id: this client has no credentials to take it from")
            throw ShareClientError(problem, operation: "oauth.token")
        }
        return try await token(.userToken(user: user, clientID: audience, scope: scope))
    }

    /// Token exchange with `urn:plaid:params:oauth:user-token`: trade a refresh token that holds the
    /// `exchange` scope for a token of another client.
    public func exchangeRefreshToken(_ refreshToken: String, for clientID: String, scope: ScopeSet? = nil) async throws(ShareClientError)
        -> OAuthTokenResponse
    {
        try await token(.oauthUserToken(refreshToken: refreshToken, audience: clientID, scope: scope))
    }

    /// Token exchange with `urn:plaid:params:credit:multi-user` for an audience given as is (client
    /// ids and partner URNs). Prefer `share(user:with:clients:scope:)`, which checks the partners'
    /// rules first.
    public func exchangeCreditMultiUser(user: UserID, audience: Audience, scope: ScopeSet? = .read) async throws(ShareClientError) -> OAuthTokenResponse {
        try await token(.creditMultiUser(user: user, audience: audience, scope: scope))
    }
}
