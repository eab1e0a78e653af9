public import ShareModels
public import SharePartners

extension OAuthClient {
    /// Shares `user`'s consumer report with `partners` (and optionally other clients) through one
    /// multi-party token: a `urn:plaid:params:credit:multi-user` token exchange whose audience is
    /// the partners' URNs and the client ids, comma-joined in the order given.
    ///
    /// ```swift
    /// let grant = try await client.share(user: "usr_9nSp2KuZ2x4JDw", with: [.fannieMae, .experian], scope: .read)
    /// print(grant.partners)   // [fannie-mae, experian]
    /// ```
    ///
    /// Every partner is resolved in ``partners`` (ids, aliases or URNs) and every adapter's rules
    /// are checked before anything is sent.
    ///
    /// - Parameters:
    ///   - user: The user whose consumer report is shared.
    ///   - partners: Partners to share with; naming one twice shares once.
    ///   - clients: Client ids to include in the audience as well.
    ///   - scope: The scope; `nil` takes the partners' default scopes.
    /// - Throws: ``ShareClientError`` with code ``ShareClientError/Code/partners`` over a
    ///   `PartnerRegistryError` — an unknown partner (listing the known ones), a rule that refuses,
    ///   or no partner at all — before any network call; then whatever ``token(_:retryable:)``
    ///   throws.
    public func share(user: UserID, with partners: [PartnerID], clients: [String] = [], scope: ScopeSet? = nil) async throws(ShareClientError)
        -> ShareGrant
    {
        let plan: PreparedShare
        do {
            plan = try prepareShare(user: user, with: partners, clients: clients, scope: scope)
        } catch {
            throw ShareClientError(error, operation: "oauth.token")
        }
        let response = try await token(plan.request)
        return ShareGrant(
            user: user, partners: plan.partners, partnerNames: plan.partnerNames, clientIDs: plan.clientIDs,
            audience: plan.audience, scope: plan.scope, token: response
        )
    }

    /// `share(user:with:clients:scope:)` for a user id given as text (`"usr_…"`), which is
    /// checked first (``ShareClientError/Code/invalidRequest`` over an `IdentifierError`).
    public func share(user: String, with partners: [PartnerID], clients: [String] = [], scope: ScopeSet? = nil) async throws(ShareClientError)
        -> ShareGrant
    {
        let id: UserID
        do {
            id = try UserID(user)
        } catch {
            throw ShareClientError(error, operation: "oauth.token")
        }
        return try await share(user: id, with: partners, clients: clients, scope: scope)
    }

    /// The token request `share(user:with:clients:scope:)` sends, after every check, without
    /// sending it: for previews and dry runs.
    public func prepareShare(user: UserID, with partnerNames: [PartnerID], clients: [String] = [], scope: ScopeSet? = nil)
        throws(PartnerRegistryError) -> PreparedShare
    {
        var adapters: [any PartnerAdapter] = []
        for name in partnerNames {
            let adapter = try partners.resolve(name.rawValue)
            if !adapters.contains(where: { $0.id == adapter.id }) { adapters.append(adapter) }
        }
        var clientIDs: [String] = []
        for client in clients where !clientIDs.contains(client) {
            let audience = ClientAudience(clientID: client)
            do {
                try audience.validate(subjectTokenType: .creditMultiUser, callerClientID: clientID ?? "")
            } catch {
                throw .rejected(error)
            }
            clientIDs.append(client)
        }
        let members = adapters.map(\.audienceURN) + clientIDs.map(Audience.Member.client)
        guard let audience = Audience(members) else { throw .emptyAudience }
        let chosenScope = scope ?? ScopeSet(adapters.flatMap(\.defaultScope.scopes)).nonEmpty ?? .read
        try partners.validate(PartnerShareRequest(subjectTokenType: .creditMultiUser, scope: chosenScope, audience: audience))
        let request = OAuthTokenRequest.creditMultiUser(user: user, audience: audience, scope: chosenScope)
        return PreparedShare(
            request: request, partners: adapters.map(\.id), partnerNames: adapters.map(\.displayName), clientIDs: clientIDs,
            audience: audience, scope: chosenScope
        )
    }
}

/// A share that passed every check, ready to send: see ``OAuthClient/prepareShare(user:with:clients:scope:)``.
public struct PreparedShare: Hashable, Sendable, CustomStringConvertible {
    /// The token exchange to send.
    public let request: OAuthTokenRequest
    /// The partners, in audience order, without repeats.
    public let partners: [PartnerID]
    /// The partners' names for people.
    public let partnerNames: [String]
    /// Client ids in the audience besides the partners.
    public let clientIDs: [String]
    /// The audience, partners first, then clients.
    public let audience: Audience
    /// The scope that will be requested.
    public let scope: ScopeSet

    public var description: String { "PreparedShare(\(request))" }
}

extension ScopeSet {
    fileprivate var nonEmpty: ScopeSet? { isEmpty ? nil : self }
}
