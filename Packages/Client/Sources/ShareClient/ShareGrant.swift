public import ShareModels
public import SharePartners

/// A consumer report shared with partners: the multi-party token and who it is for.
///
/// Prints with its tokens redacted (`pda-<redacted>`), in `description`, interpolation and `dump`.
/// Hand ``accessToken`` to the partners; keep ``refreshToken`` to revoke the whole share.
public struct ShareGrant: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The user whose report is shared.
    public let user: UserID
    /// The partners, in audience order.
    public let partners: [PartnerID]
    /// The partners' names for people, e.g. "Fannie Mae".
    public let partnerNames: [String]
    /// Client ids in the audience besides the partners.
    public let clientIDs: [String]
    /// The audience exactly as sent.
    public let audience: Audience
    /// The scope requested.
    public let scope: ScopeSet
    /// The API's answer: the access and refresh tokens, their lifetime and the `request_id`.
    public let token: OAuthTokenResponse

    public init(
        user: UserID, partners: [PartnerID], partnerNames: [String], clientIDs: [String], audience: Audience, scope: ScopeSet,
        token: OAuthTokenResponse
    ) {
        self.user = user
        self.partners = partners
        self.partnerNames = partnerNames
        self.clientIDs = clientIDs
        self.audience = audience
        self.scope = scope
        self.token = token
    }

    /// The access token to give every party of the audience.
    public var accessToken: String { token.accessToken }
    /// The refresh token; revoking it revokes the share.
    public var refreshToken: String { token.refreshToken }
    /// Seconds until the access token expires.
    public var expiresIn: Int { token.expiresIn }
    /// The API's `request_id`.
    public var requestID: String { token.requestID }
    /// Whether several parties share the token.
    public var isMultiParty: Bool { audience.isMultiParty }

    public var description: String {
        "ShareGrant(user: \(user), partners: \(partners.map(\.rawValue).joined(separator: ", "))"
            + (clientIDs.isEmpty ? "" : ", clients: \(clientIDs.joined(separator: ", "))")
            + ", scope: \(scope), access_token: \(Redaction.token(accessToken)), refresh_token: \(Redaction.token(refreshToken))"
            + ", expires_in: \(expiresIn), request_id: \(requestID))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "user": user, "partners": partners, "clientIDs": clientIDs, "audience": audience, "scope": scope,
                "token": token,
            ]
        )
    }
}
