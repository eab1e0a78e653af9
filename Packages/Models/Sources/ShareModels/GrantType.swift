/// The OAuth grant requested from `/oauth/token` (`grant_type`).
///
/// Unknown values are preserved so that a server can answer `unsupported_grant_type` and a client
/// can still send a grant this version does not name.
public struct GrantType: WireString {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `client_credentials` (RFC 6749 §4.4): the client's own id and secret for a token pair.
    public static let clientCredentials: GrantType = "client_credentials"
    /// `refresh_token` (RFC 6749 §6): a new pair for a refresh token, which is then spent.
    public static let refreshToken: GrantType = "refresh_token"
    /// `urn:ietf:params:oauth:grant-type:token-exchange` (RFC 8693).
    public static let tokenExchange: GrantType = "urn:ietf:params:oauth:grant-type:token-exchange"

    /// The grants the API documents.
    public static let documented: [GrantType] = [.clientCredentials, .refreshToken, .tokenExchange]

    /// Whether this is one of the documented grants.
    public var isDocumented: Bool { Self.documented.contains(self) }
}
