import ShareModels

/// An issued access or refresh token as the store keeps it: its digest, never the token.
///
/// Tokens form trees. An access token's ``parent`` is the refresh token issued with it; a
/// rotated or exchanged pair's refresh token has the refresh token it came from as parent.
/// Every token of one tree shares a ``familyID``, so that reuse of a spent refresh token can
/// revoke them all, and revoking a token revokes everything below it.
public struct StoredToken: Hashable, Sendable {
    /// Which kind of token: `pda-…` or `pdr-…`.
    public enum Kind: String, Hashable, Sendable {
        case access
        case refresh
    }

    public var digest: TokenDigest
    public var kind: Kind
    /// The client the token was issued to; it may introspect, revoke and refresh it.
    public var clientID: String
    /// The parties the token is for (client ids or partner URNs); each may introspect it.
    public var audience: [String]
    public var scope: ScopeSet
    /// The `sub` claim: a user id for user tokens, else the client id.
    public var subject: String
    /// The user the token acts for, when exchanged from a user id.
    public var userID: String?
    /// The grant every token of the tree descends from.
    public var familyID: String
    /// The refresh token this one derives from, `nil` for the root of a family.
    public var parent: TokenDigest?
    /// Issue time, seconds since 1970.
    public var issuedAt: Int
    /// Expiry, seconds since 1970.
    public var expiresAt: Int
    /// When the token was revoked, if it was.
    public var revokedAt: Int?
    /// When a refresh token was spent by rotation, if it was.
    public var spentAt: Int?

    public init(
        digest: TokenDigest, kind: Kind, clientID: String, audience: [String], scope: ScopeSet, subject: String,
        userID: String?, familyID: String, parent: TokenDigest?, issuedAt: Int, expiresAt: Int,
        revokedAt: Int? = nil, spentAt: Int? = nil
    ) {
        self.digest = digest
        self.kind = kind
        self.clientID = clientID
        self.audience = audience
        self.scope = scope
        self.subject = subject
        self.userID = userID
        self.familyID = familyID
        self.parent = parent
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.spentAt = spentAt
    }

    /// Whether the token is still on record as live at `now`: not revoked and not expired. A
    /// spent refresh token passes this test, so that presenting it again is recognised as reuse;
    /// whether a token may be used or introspected as active is ``isUsable(at:)``.
    public func isActive(at now: Int) -> Bool { revokedAt == nil && now < expiresAt }

    /// Whether the token may be used at `now`, and introspects `active: true`: active and, for a
    /// refresh token, not spent by rotation (RFC 6749 §10.4: a rotated refresh token is dead).
    public func isUsable(at now: Int) -> Bool { isActive(at: now) && spentAt == nil }

    /// When the token stopped, or will stop, being active (``isActive(at:)``): its revocation or
    /// its expiry, whichever comes first. Its family is purged once every member has ended
    /// (``SandboxRetentionStore``).
    public var endedAt: Int { min(revokedAt ?? expiresAt, expiresAt) }
}
