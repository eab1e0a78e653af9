import ShareModels

/// The claims a pair of tokens shares.
struct TokenTemplate {
    var clientID: String
    var audience: [String]
    var subject: String
    var userID: String?

    func record(
        digest: TokenDigest, kind: StoredToken.Kind, scope: ScopeSet, family: String, parent: TokenDigest?, issuedAt: Int,
        expiresAt: Int
    ) -> StoredToken {
        StoredToken(
            digest: digest, kind: kind, clientID: clientID, audience: audience, scope: scope, subject: subject,
            userID: userID, familyID: family, parent: parent, issuedAt: issuedAt, expiresAt: expiresAt)
    }
}
