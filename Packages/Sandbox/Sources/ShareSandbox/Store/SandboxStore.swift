/// Where the sandbox keeps its state: OAuth clients, users and tokens here, share tokens, records
/// and events through ``ShareTokenStore``. Implementations must make each call atomic, and each
/// write durable before it returns, so that an answer the sandbox sent is never lost.
///
/// It also holds the share-token state (``ShareTokenStore``) and the control plane's clock and
/// faults (``SandboxControlStore``), and forgets what finished long ago (``SandboxRetentionStore``).
///
/// Tokens and secrets arrive already hashed (``TokenDigest``, ``SecretDigest``): no
/// implementation ever sees a usable credential.
///
/// Two implementations ship: ``InMemorySandboxStore`` (the default) and ``SQLiteSandboxStore``
/// (`share-sandbox --data PATH`).
public protocol SandboxStore: ShareTokenStore, SandboxControlStore, SandboxRetentionStore {
    // MARK: Clients

    /// Adds or replaces a client.
    func saveClient(_ client: StoredClient) async throws
    /// The client with `id`, or `nil`.
    func client(id: String) async throws -> StoredClient?
    /// The client with `id` and the token with `digest` (each `nil` when unknown), looked up
    /// together: `/oauth/introspect` needs both, and a database store answers them with one
    /// statement (one round trip) instead of two. The default asks ``client(id:)`` and then
    /// ``token(_:)``.
    func client(id: String, token digest: TokenDigest) async throws -> (client: StoredClient?, token: StoredToken?)

    // MARK: Users

    /// Stores `user`, unless the same client already created a user with the same
    /// `clientUserID`; returns whichever user is now stored for that pair. When the user existed
    /// and `user` carries a `userTokenDigest`, that digest replaces the stored one (a repeated
    /// legacy request issues a new `user_token`).
    func createUser(_ user: StoredUser) async throws -> StoredUser
    /// The user with `id`, or `nil`.
    func user(id: String) async throws -> StoredUser?
    /// The user whose legacy `user_token` has `digest`, or `nil`.
    func user(tokenDigest digest: TokenDigest) async throws -> StoredUser?

    // MARK: Tokens

    /// Stores newly issued tokens, all or none.
    func insertTokens(_ tokens: [StoredToken]) async throws
    /// Stores `tokens`, derived from the token `parent`, in one atomic step with the check that
    /// `parent` is still usable at `now` (active and unspent, ``StoredToken/isUsable(at:)``).
    /// Returns `false`, storing nothing, when it is not: a revocation acknowledged before this
    /// call cannot miss the tokens it stores.
    func insertTokens(_ tokens: [StoredToken], derivedFrom parent: TokenDigest, at now: Int) async throws -> Bool
    /// The token with `digest`, or `nil`.
    func token(_ digest: TokenDigest) async throws -> StoredToken?
    /// Atomically spends the refresh token `digest` and stores `issuing`, when the token is
    /// active at `now` and unspent. If it was spent already, revokes its whole family instead.
    func rotate(spending digest: TokenDigest, issuing: [StoredToken], at now: Int) async throws -> RefreshRotation
    /// Revokes the token `digest` and every token descending from it (for a refresh token: the
    /// access token issued with it, and every rotated or exchanged token below it). Returns how
    /// many tokens changed; an unknown digest changes nothing.
    @discardableResult
    func revokeTree(from digest: TokenDigest, at now: Int) async throws -> Int
}

extension SandboxStore {
    /// The client with `id` and the token with `digest`, by two calls: ``client(id:)``, then
    /// ``token(_:)``. Stores that can answer both at once override it.
    public func client(id: String, token digest: TokenDigest) async throws -> (client: StoredClient?, token: StoredToken?) {
        (try await client(id: id), try await token(digest))
    }
}
