import Foundation
import Logging
import ShareModels
import SharePartners

/// The sandbox's OAuth rules: who may get which token, who may see it, what revoking it takes
/// down. The HTTP layer decodes requests and encodes answers; everything in between is here.
///
/// Failures are thrown as ``OAuthFailure``; anything else thrown comes from the store.
public struct OAuthAuthority: Sendable {
    /// Prefix of access tokens.
    public static let accessTokenPrefix = "pda-"
    /// Prefix of refresh tokens.
    public static let refreshTokenPrefix = "pdr-"
    /// Random bytes per token: 256 bits.
    public static let tokenEntropyBytes = 32

    let store: any SandboxStore
    let partners: PartnerRegistry
    let clock: SandboxClock
    let accessTokenTTL: Int
    let accessTokenLifetimes: AccessTokenLifetimes
    let refreshTokenTTL: Int
    let issuer: String
    let logger: Logger

    public init(store: any SandboxStore, configuration: SandboxConfiguration) {
        self.store = store
        self.partners = configuration.partners
        self.clock = configuration.clock
        self.accessTokenTTL = configuration.accessTokenTTL
        self.accessTokenLifetimes = configuration.accessTokenLifetimes
        self.refreshTokenTTL = configuration.refreshTokenTTL
        self.issuer = configuration.issuer
        self.logger = configuration.logger
    }

    /// The current time in whole seconds since 1970.
    var now: Int { Int(clock.now().timeIntervalSince1970.rounded(.down)) }

    /// Registers `registration` in the store, its secret hashed.
    public func register(_ registration: ClientRegistration) async throws {
        let urn = registration.partner.flatMap { partners.adapter(for: $0)?.audienceURN.rawValue }
        try await store.saveClient(
            StoredClient(
                id: registration.id,
                secretDigest: SecretDigest(hashing: registration.secret),
                partnerID: registration.partner?.rawValue,
                partnerURN: urn,
                scopes: registration.scopes.wireValue,
                grantTypes: registration.grantTypes.map(\.rawValue).joined(separator: " ")
            )
        )
    }

    // MARK: Users

    /// Prefix of the legacy user tokens `/user/create` answers to legacy requests, as in Plaid's
    /// example `user-sandbox-b0e2c4ee-a763-4df5-bfe9-46a46bce993d`.
    public static let legacyUserTokenPrefix = "user-sandbox-"

    /// Creates a user for `client` (or returns the one it already created with the same
    /// `client_user_id`, keeping its first identity). `legacy` requests also get a `user_token`,
    /// a new one on every request, which replaces the previous one.
    public func createUser(
        clientUserID: String, identityJSON: String? = nil, legacy: Bool = false, for client: StoredClient
    ) async throws -> (userID: String, userToken: String?) {
        let userToken = legacy ? Self.legacyUserTokenPrefix + UUID().uuidString.lowercased() : nil
        let user = StoredUser(
            id: "usr_" + RandomToken.base64URL(byteCount: 12),
            clientID: client.id,
            clientUserID: clientUserID,
            createdAt: now,
            identityJSON: identityJSON,
            userTokenDigest: userToken.map { TokenDigest(of: $0) }
        )
        return (try await store.createUser(user).id, userToken)
    }

    // MARK: Visibility

    /// Whether `client` may see and use `token`: it was issued to the client, or the client is
    /// a party of its audience (by client id, or as the partner whose URN is listed).
    func client(_ client: StoredClient, mayUse token: StoredToken) -> Bool {
        if token.clientID == client.id || token.audience.contains(client.id) { return true }
        if let urn = client.partnerURN, token.audience.contains(urn) { return true }
        return false
    }

    // MARK: Introspection

    /// RFC 7662 introspection: the token's claims when it is usable (not expired, revoked or, for
    /// a refresh token, spent by rotation) and visible to `client`, otherwise only `active: false`.
    public func introspect(token: String, by client: StoredClient, requestID: String) async throws -> OAuthIntrospectResponse {
        introspect(try await store.token(TokenDigest(of: token)), by: client, requestID: requestID)
    }

    /// RFC 7662 introspection of a token already read from the store (`nil`: unknown), as
    /// ``ClientAuthenticator/authenticate(_:token:)`` returns it with the client; the same rules
    /// as ``introspect(token:by:requestID:)``.
    public func introspect(_ stored: StoredToken?, by client: StoredClient, requestID: String) -> OAuthIntrospectResponse {
        let current = now
        guard let stored, stored.isUsable(at: current), self.client(client, mayUse: stored) else {
            return .inactive(requestID: requestID)
        }
        return OAuthIntrospectResponse(
            active: true,
            scope: stored.scope,
            clientID: stored.clientID,
            exp: stored.expiresAt,
            iat: stored.issuedAt,
            sub: stored.subject,
            aud: stored.audience.joined(separator: ","),
            iss: issuer,
            tokenType: stored.kind == .access ? "Bearer" : "refresh_token",
            userID: stored.userID,
            requestID: requestID
        )
    }

    // MARK: Revocation

    /// RFC 7009 revocation of `token` and everything derived from it. Unknown tokens, and
    /// tokens `client` may not see, change nothing and are not reported (the answer is the same).
    public func revoke(token: String, by client: StoredClient) async throws {
        let digest = TokenDigest(of: token)
        guard let stored = try await store.token(digest), self.client(client, mayUse: stored) else { return }
        let count = try await store.revokeTree(from: digest, at: now)
        logger.debug("revoked tokens", metadata: ["client.id": "\(client.id)", "token.count": "\(count)"])
    }
}
