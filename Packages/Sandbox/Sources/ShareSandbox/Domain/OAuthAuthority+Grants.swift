import ShareModels
import SharePartners

extension OAuthAuthority {
    /// Answers a `/oauth/token` request from an authenticated `client`.
    public func issue(_ request: OAuthTokenRequest, for client: StoredClient) async throws -> IssuedTokenPair {
        if request.grantType.isDocumented, !client.grantTypes.split(separator: " ").contains(Substring(request.grantType.rawValue)) {
            throw OAuthFailure(.unauthorizedClient, "this client may not use grant_type \(request.grantType.rawValue)")
        }
        if let type = request.subjectTokenType, !type.isDocumented {
            throw unsupportedSubjectTokenType(type)
        }
        switch request.grantType {
        case .clientCredentials:
            return try await clientCredentials(request, for: client)
        case .refreshToken:
            return try await refresh(request, for: client)
        case .tokenExchange:
            return try await exchange(request, for: client)
        default:
            throw OAuthFailure(
                .unsupportedGrantType,
                "grant_type \"\(request.grantType.rawValue.prefix(80))\" is not supported; use "
                    + GrantType.documented.map(\.rawValue).joined(separator: ", ")
            )
        }
    }

    // MARK: client_credentials

    private func clientCredentials(_ request: OAuthTokenRequest, for client: StoredClient) async throws -> IssuedTokenPair {
        let allowed = ScopeSet(parsing: client.scopes)
        // `mcp:dashboard` (Plaid's MCP dashboard server) is granted only when asked for by name,
        // so a request without `scope` keeps getting the three user scopes.
        let withoutDashboard = ScopeSet(allowed.filter { $0 != .mcpDashboard })
        let fallback = withoutDashboard.isEmpty ? allowed : withoutDashboard
        let scope = try validatedScope(request.scope, default: fallback, allowed: allowed, allowedName: "this client's scopes")
        return try await issuePair(
            TokenTemplate(clientID: client.id, audience: [client.id], subject: client.id, userID: nil),
            scope: scope, accessScope: scope, family: newFamilyID(), parent: nil,
            lifetime: lifetime(.clientCredentials)
        )
    }

    // MARK: refresh_token

    private func refresh(_ request: OAuthTokenRequest, for client: StoredClient) async throws -> IssuedTokenPair {
        guard let token = request.refreshToken, !token.isEmpty else {
            throw OAuthFailure.invalidRequest("refresh_token is required with grant_type refresh_token")
        }
        let digest = TokenDigest(of: token)
        let current = now
        guard let stored = try await store.token(digest), stored.kind == .refresh, self.client(client, mayUse: stored),
            stored.isActive(at: current)
        else {
            throw OAuthFailure.invalidGrant("the refresh token is invalid, expired or revoked")
        }
        // RFC 6749 §6: the new refresh token keeps the original scope; the access token may narrow it.
        let accessScope = try validatedScope(
            request.scope, default: stored.scope, allowed: stored.scope, allowedName: "the scope of the refresh token")
        let pair = makePair(
            TokenTemplate(clientID: stored.clientID, audience: stored.audience, subject: stored.subject, userID: stored.userID),
            scope: stored.scope, accessScope: accessScope, family: stored.familyID, parent: digest, now: current,
            lifetime: lifetime(.refreshToken)
        )
        switch try await store.rotate(spending: digest, issuing: pair.records, at: current) {
        case .rotated:
            return pair.issued
        case .reused(let count):
            logger.notice(
                "spent refresh token presented again; revoked its family",
                metadata: ["client.id": "\(client.id)", "token.count": "\(count)"]
            )
            throw OAuthFailure.invalidGrant(
                "the refresh token was already used; as a precaution every token of its grant has been revoked")
        case .inactive:
            throw OAuthFailure.invalidGrant("the refresh token is invalid, expired or revoked")
        }
    }

    // MARK: token exchange

    private func exchange(_ request: OAuthTokenRequest, for client: StoredClient) async throws -> IssuedTokenPair {
        guard let type = request.subjectTokenType else {
            throw OAuthFailure.invalidRequest("subject_token_type is required for token exchange")
        }
        guard let subjectToken = request.subjectToken, !subjectToken.isEmpty else {
            throw OAuthFailure.invalidRequest("subject_token is required for token exchange")
        }
        guard let audience = request.audience else {
            throw OAuthFailure.invalidRequest("audience is required for token exchange")
        }
        switch type {
        case .creditMultiUser:
            return try await exchangeMultiUser(subjectToken, audience: audience, scope: request.scope, for: client)
        case .user:
            return try await exchangeUserToken(subjectToken, audience: audience, scope: request.scope, for: client)
        case .oauthUserToken:
            return try await exchangeRefreshToken(subjectToken, audience: audience, scope: request.scope, for: client)
        default:
            throw unsupportedSubjectTokenType(type)
        }
    }

    private func unsupportedSubjectTokenType(_ type: SubjectTokenType) -> OAuthFailure {
        .invalidRequest(
            "subject_token_type \"\(type.rawValue.prefix(80))\" is not supported; use "
                + SubjectTokenType.documented.map(\.rawValue).joined(separator: ", "))
    }

    /// `urn:plaid:params:credit:multi-user`: a user of the caller, shared with every party of
    /// the audience (partner URNs and client ids). A new family starts here.
    private func exchangeMultiUser(_ subject: String, audience: Audience, scope: ScopeSet?, for client: StoredClient)
        async throws -> IssuedTokenPair
    {
        let user = try await ownedUser(subject, of: client)
        var defaultScope: ScopeSet = .read
        for member in audience {
            if member.isPartnerURN {
                guard let adapter = partners.adapter(forAudience: member) else {
                    throw OAuthFailure.invalidRequest(
                        "audience \"\(member.rawValue.prefix(120))\" is not a registered partner; known partners: "
                            + knownPartnerList)
                }
                if member == audience.members.first { defaultScope = adapter.defaultScope }
            } else {
                try await requireKnownClient(member.rawValue)
                try validateClientAudience(member.rawValue, type: .creditMultiUser, caller: client)
            }
        }
        let granted = try validatedScope(scope, default: defaultScope, allowed: nil, allowedName: "")
        do {
            try partners.validate(PartnerShareRequest(subjectTokenType: .creditMultiUser, scope: granted, audience: audience))
        } catch {
            if let violation = error.violation, violation.isScopeProblem {
                throw OAuthFailure.invalidScope(violation.reason)
            }
            throw OAuthFailure.invalidRequest(error.description)
        }
        return try await issuePair(
            TokenTemplate(clientID: client.id, audience: audience.members.map(\.rawValue), subject: user.id, userID: user.id),
            scope: granted, accessScope: granted, family: newFamilyID(), parent: nil,
            lifetime: lifetime(.tokenExchange, .creditMultiUser)
        )
    }

    /// `urn:plaid:params:tokens:user`: a user of the caller, for the caller itself.
    private func exchangeUserToken(_ subject: String, audience: Audience, scope: ScopeSet?, for client: StoredClient)
        async throws -> IssuedTokenPair
    {
        let user = try await ownedUser(subject, of: client)
        let member = try singleMember(of: audience, type: .user)
        try validateClientAudience(member, type: .user, caller: client)
        let allowed = ScopeSet(parsing: client.scopes)
        let granted = try validatedScope(scope, default: .read, allowed: allowed, allowedName: "this client's scopes")
        return try await issuePair(
            TokenTemplate(clientID: client.id, audience: [client.id], subject: user.id, userID: user.id),
            scope: granted, accessScope: granted, family: newFamilyID(), parent: nil,
            lifetime: lifetime(.tokenExchange, .user)
        )
    }

    /// `urn:plaid:params:oauth:user-token`: a refresh token holding `exchange`, traded for a
    /// token of another client. The new pair joins the subject's family, below the subject.
    private func exchangeRefreshToken(_ subject: String, audience: Audience, scope: ScopeSet?, for client: StoredClient)
        async throws -> IssuedTokenPair
    {
        let digest = TokenDigest(of: subject)
        let current = now
        guard let stored = try await store.token(digest), stored.kind == .refresh, self.client(client, mayUse: stored),
            stored.isUsable(at: current)
        else {
            throw OAuthFailure.invalidGrant("subject_token must be an active, unused refresh token issued to this client")
        }
        guard stored.scope.contains(.exchange) else {
            throw OAuthFailure.invalidGrant("subject_token does not hold the exchange scope")
        }
        let member = try singleMember(of: audience, type: .oauthUserToken)
        try validateClientAudience(member, type: .oauthUserToken, caller: client)
        try await requireKnownClient(member)
        let withoutExchange = ScopeSet(stored.scope.filter { $0 != .exchange })
        let granted = try validatedScope(
            scope, default: withoutExchange.isEmpty ? stored.scope : withoutExchange, allowed: stored.scope,
            allowedName: "the scope of the subject token")
        let pair = makePair(
            TokenTemplate(clientID: client.id, audience: [member], subject: stored.subject, userID: stored.userID),
            scope: granted, accessScope: granted, family: stored.familyID, parent: digest, now: current,
            lifetime: lifetime(.tokenExchange, .oauthUserToken)
        )
        // The check above answered the common failures with their own words; this one closes
        // the window between it and the insert, in which a revocation of the subject may land.
        guard try await store.insertTokens(pair.records, derivedFrom: digest, at: current) else {
            throw OAuthFailure.invalidGrant("subject_token must be an active, unused refresh token issued to this client")
        }
        return pair.issued
    }

    // MARK: Rules shared by the grants

    private var knownPartnerList: String {
        partners.adapters.isEmpty ? "none" : partners.adapters.map(\.audienceURN.rawValue).joined(separator: ", ")
    }

    /// The user `subject` names: a `user_id` (`usr_…`, New User API) or a legacy `user_token`
    /// (`user-sandbox-…`), both from `/user/create` by `client`.
    private func ownedUser(_ subject: String, of client: StoredClient) async throws -> StoredUser {
        let found =
            subject.hasPrefix(OAuthAuthority.legacyUserTokenPrefix)
            ? try await store.user(tokenDigest: TokenDigest(of: subject)) : try await store.user(id: subject)
        guard let user = found, user.clientID == client.id else {
            throw OAuthFailure.invalidGrant(
                "subject_token is not a user id or user token created by this client with /user/create")
        }
        return user
    }

    private func requireKnownClient(_ id: String) async throws {
        guard try await store.client(id: id) != nil else {
            throw OAuthFailure.invalidRequest(
                "audience \"\(id.prefix(120))\" is neither a registered partner nor a known client")
        }
    }

    private func validateClientAudience(_ id: String, type: SubjectTokenType, caller: StoredClient) throws {
        do {
            try ClientAudience(clientID: id).validate(subjectTokenType: type, callerClientID: caller.id)
        } catch {
            throw OAuthFailure.invalidRequest(error.reason)
        }
    }

    private func singleMember(of audience: Audience, type: SubjectTokenType) throws -> String {
        guard audience.members.count == 1, let member = audience.members.first else {
            throw OAuthFailure.invalidRequest("subject_token_type \(type.rawValue) takes exactly one audience")
        }
        return member.rawValue
    }

    /// The scope to grant: `requested` when given (every scope known, and within `allowed` when
    /// that is set), else `fallback`.
    func validatedScope(_ requested: ScopeSet?, default fallback: ScopeSet, allowed: ScopeSet?, allowedName: String) throws
        -> ScopeSet
    {
        guard let requested, !requested.isEmpty else { return fallback }
        let unknown = requested.undocumented
        guard unknown.isEmpty else {
            throw OAuthFailure.invalidScope(
                "unknown scope \"\(ScopeSet(unknown).wireValue.prefix(120))\"; known scopes: "
                    + Scope.documented.map(\.rawValue).joined(separator: " "))
        }
        if let allowed, !requested.isSubset(of: allowed) {
            throw OAuthFailure.invalidScope("scope \"\(requested)\" exceeds \(allowedName) (\(allowed))")
        }
        return requested
    }

    /// The access-token lifetime of `grantType` (and `subjectTokenType` for an exchange).
    private func lifetime(_ grantType: GrantType, _ subjectTokenType: SubjectTokenType? = nil) -> Int {
        accessTokenLifetimes.lifetime(grantType: grantType, subjectTokenType: subjectTokenType, fallback: accessTokenTTL)
    }

    private func newFamilyID() -> String { RandomToken.base64URL(byteCount: 16) }

    private func issuePair(
        _ template: TokenTemplate, scope: ScopeSet, accessScope: ScopeSet, family: String, parent: TokenDigest?, lifetime: Int
    ) async throws -> IssuedTokenPair {
        let pair = makePair(
            template, scope: scope, accessScope: accessScope, family: family, parent: parent, now: now, lifetime: lifetime)
        try await store.insertTokens(pair.records)
        return pair.issued
    }

    private func makePair(
        _ template: TokenTemplate, scope: ScopeSet, accessScope: ScopeSet, family: String, parent: TokenDigest?, now: Int,
        lifetime accessTokenTTL: Int
    ) -> (issued: IssuedTokenPair, records: [StoredToken]) {
        let access = Self.accessTokenPrefix + RandomToken.base64URL(byteCount: Self.tokenEntropyBytes)
        let refresh = Self.refreshTokenPrefix + RandomToken.base64URL(byteCount: Self.tokenEntropyBytes)
        let refreshDigest = TokenDigest(of: refresh)
        let refreshRecord = template.record(
            digest: refreshDigest, kind: .refresh, scope: scope, family: family, parent: parent,
            issuedAt: now, expiresAt: now + refreshTokenTTL)
        let accessRecord = template.record(
            digest: TokenDigest(of: access), kind: .access, scope: accessScope, family: family, parent: refreshDigest,
            issuedAt: now, expiresAt: now + accessTokenTTL)
        return (IssuedTokenPair(accessToken: access, refreshToken: refresh, expiresIn: accessTokenTTL), [refreshRecord, accessRecord])
    }
}
