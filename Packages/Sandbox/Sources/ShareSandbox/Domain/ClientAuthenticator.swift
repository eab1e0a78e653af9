public import ShareCore

/// Checks the credentials a request carried against the registered clients.
///
/// Every place that names a client must name the same one, and every secret presented must be
/// that client's (compared in constant time, see ``SecretDigest``). Every failure is
/// `invalid_client` (401), including places that name different clients: such a request does
/// not say who is asking.
///
/// The client is read from the store on every request, so that with a store several sandboxes
/// share (PostgreSQL), a client registered again with a new secret by any of them is what this
/// one checks next: the remembered secret (`VerifiedSecretCache`) counts only against the
/// stored digest it was verified with, and a new secret comes with a new digest.
public struct ClientAuthenticator: Sendable {
    private let store: any SandboxStore
    /// Hashed against when the client is unknown, so that an unknown id costs as much as a
    /// wrong secret.
    private let decoy = SecretDigest(hashing: RandomToken.base64URL(byteCount: 32))
    /// Secrets already verified, to skip the HMAC on a client's next request.
    private let verified = VerifiedSecretCache()

    public init(store: any SandboxStore) { self.store = store }

    /// The authenticated client, or an ``OAuthFailure``.
    public func authenticate(_ presented: PresentedCredentials) async throws -> StoredClient {
        let claim = try Self.claim(presented)
        return try verify(claim, against: try await store.client(id: claim.clientID), basic: presented.usedBasic)
    }

    /// The authenticated client and the stored token with `digest` (`nil` when unknown), read
    /// from the store together (the store's `client(id:token:)`, one round trip on a database
    /// store), or an ``OAuthFailure``. The token is read even when authentication then fails; it
    /// is returned only to an authenticated client, and only the caller decides what it may see.
    public func authenticate(_ presented: PresentedCredentials, token digest: TokenDigest) async throws -> (
        client: StoredClient, token: StoredToken?
    ) {
        let claim = try Self.claim(presented)
        let found = try await store.client(id: claim.clientID, token: digest)
        return (try verify(claim, against: found.client, basic: presented.usedBasic), found.token)
    }

    /// Who the request says it is, and the secrets it offers for that: checked before the store
    /// is asked.
    private struct Claim {
        var clientID: String
        var secretSources: [PresentedCredentials.Source]
    }

    private static func claim(_ presented: PresentedCredentials) throws -> Claim {
        let basic = presented.usedBasic
        if presented.basicIsMalformed {
            throw OAuthFailure.invalidClient("the Authorization header is not valid HTTP Basic credentials", basic: basic)
        }
        let ids = Set(presented.sources.compactMap(\.clientID))
        guard let clientID = ids.first else {
            throw OAuthFailure.invalidClient(
                "client authentication is required: send PLAID-CLIENT-ID and PLAID-SECRET headers, "
                    + "client_id with secret or client_secret in the body, or HTTP Basic",
                basic: basic
            )
        }
        guard ids.count == 1 else {
            throw OAuthFailure.invalidClient("client authentication failed: the request names more than one client_id", basic: basic)
        }
        let secretSources = presented.sources.filter { !$0.secretCandidates.isEmpty }
        guard !secretSources.isEmpty else {
            throw OAuthFailure.invalidClient("a client secret is required (secret, client_secret, PLAID-SECRET or HTTP Basic)", basic: basic)
        }
        return Claim(clientID: clientID, secretSources: secretSources)
    }

    /// `client` (the stored client named by `claim`, or `nil`) when every source's secret is
    /// its secret.
    private func verify(_ claim: Claim, against client: StoredClient?, basic: Bool) throws -> StoredClient {
        let digest = client?.secretDigest ?? decoy
        var allMatch = true
        for source in claim.secretSources {
            var sourceMatches = false
            for candidate in source.secretCandidates {
                if let client, verified.contains(candidate, for: client) {
                    sourceMatches = true
                } else if digest.matches(candidate) {
                    sourceMatches = true
                    if let client { verified.remember(candidate, for: client) }
                }
            }
            allMatch = allMatch && sourceMatches
        }
        guard let client, allMatch else {
            throw OAuthFailure.invalidClient("client authentication failed: unknown client_id or wrong secret", basic: basic)
        }
        return client
    }
}
