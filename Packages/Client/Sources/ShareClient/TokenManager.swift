public import ShareModels

/// Keeps an access token valid: hands out the current one, refreshes it ahead of expiry, and
/// stores each rotated refresh token.
///
/// However many tasks ask at once, at most one refresh is in flight; the others wait for it and
/// share its result (single flight). A refresh refused with `invalid_grant` — the refresh token
/// was revoked, expired, or reused so that its whole family was revoked — is terminal: every later
/// call throws a ``ShareClientError`` with code ``ShareClientError/Code/tokenFamilyRevoked`` (a
/// ``TokenManagerError`` underneath) at once, without calling the API again.
/// Other failures (a timeout, a 503) are returned to the callers that waited, and the next call
/// tries again.
///
/// ```swift
/// let tokens = TokenManager(client: client, tokens: try await client.clientCredentials())
/// let accessToken = try await tokens.accessToken()
/// ```
public actor TokenManager {
    private enum Source {
        case grant(OAuthTokenRequest)
        case tokens(OAuthTokenResponse, expiresAt: ContinuousClock.Instant)
        case terminated(ShareClientError)
    }

    private let client: OAuthClient
    private let refreshMargin: Duration
    private let onRotation: (@Sendable (OAuthTokenResponse) async -> Void)?
    private var source: Source
    private var inFlight: Task<OAuthTokenResponse, any Error>?
    /// How many refreshes (or initial grants) were sent.
    public private(set) var refreshCount = 0

    /// A manager of a token pair already issued.
    ///
    /// - Parameters:
    ///   - client: The client that refreshes the pair.
    ///   - tokens: The pair, just received (its `expires_in` counts from now).
    ///   - refreshMargin: How long before expiry to refresh. Default 60 seconds.
    ///   - onRotation: Called with each new pair, e.g. to persist the rotated refresh token.
    public init(
        client: OAuthClient, tokens: OAuthTokenResponse, refreshMargin: Duration = .seconds(60),
        onRotation: (@Sendable (OAuthTokenResponse) async -> Void)? = nil
    ) {
        self.client = client
        self.refreshMargin = refreshMargin
        self.onRotation = onRotation
        source = .tokens(tokens, expiresAt: .now.advanced(by: .seconds(tokens.expiresIn)))
    }

    /// A manager that obtains its first pair with `grant` (e.g. `.clientCredentials()`) on first use.
    public init(
        client: OAuthClient, grant: OAuthTokenRequest, refreshMargin: Duration = .seconds(60),
        onRotation: (@Sendable (OAuthTokenResponse) async -> Void)? = nil
    ) {
        self.client = client
        self.refreshMargin = refreshMargin
        self.onRotation = onRotation
        source = .grant(grant)
    }

    /// A valid access token, refreshed first when it expires within the refresh margin.
    public func accessToken() async throws(ShareClientError) -> String {
        switch source {
        case .terminated(let error):
            throw error
        case .tokens(let tokens, let expiresAt) where ContinuousClock.now < expiresAt.advanced(by: .zero - refreshMargin):
            return tokens.accessToken
        default:
            return try await sharedRefresh().accessToken
        }
    }

    /// Refreshes now, whatever the expiry, and returns the new access token. Joins a refresh
    /// already in flight rather than starting a second.
    @discardableResult
    public func refresh() async throws(ShareClientError) -> String {
        if case .terminated(let error) = source { throw error }
        return try await sharedRefresh().accessToken
    }

    /// The current refresh token, e.g. to revoke the family; `nil` before the first grant or after
    /// a terminal failure.
    public var currentRefreshToken: String? {
        if case .tokens(let tokens, _) = source { return tokens.refreshToken }
        return nil
    }

    private func sharedRefresh() async throws(ShareClientError) -> OAuthTokenResponse {
        if let inFlight { return try await Self.value(of: inFlight) }
        let request: OAuthTokenRequest
        switch source {
        case .terminated(let error): throw error
        case .grant(let grant): request = grant
        case .tokens(let tokens, _): request = .refresh(tokens.refreshToken)
        }
        let task = Task { try await self.perform(request) }
        inFlight = task
        return try await Self.value(of: task)
    }

    /// The refresh's result; it throws only ``ShareClientError``s.
    private static func value(of task: Task<OAuthTokenResponse, any Error>) async throws(ShareClientError) -> OAuthTokenResponse {
        do {
            return try await task.value
        } catch {
            throw ShareClientError(error, operation: "oauth.token")
        }
    }

    private func perform(_ request: OAuthTokenRequest) async throws -> OAuthTokenResponse {
        defer { inFlight = nil }
        refreshCount += 1
        do {
            let tokens = try await client.token(request)
            source = .tokens(tokens, expiresAt: .now.advanced(by: .seconds(tokens.expiresIn)))
            await onRotation?(tokens)
            return tokens
        } catch {
            guard let refusal = error.underlyingError as? OAuthError, refusal.code == .invalidGrant else { throw error }
            var terminal = error
            terminal.code = .tokenFamilyRevoked
            terminal.underlyingError = TokenManagerError.familyRevoked(refusal)
            source = .terminated(terminal)
            throw terminal
        }
    }
}
