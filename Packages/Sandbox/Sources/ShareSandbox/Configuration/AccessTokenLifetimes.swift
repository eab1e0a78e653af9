import ShareModels

/// How long the access tokens of each grant live, in seconds, keyed by what selects the grant:
/// a `grant_type` (`client_credentials`, `refresh_token`) or, for token exchanges, the
/// `subject_token_type` (`urn:plaid:params:credit:multi-user`, …). A key without an entry gets
/// ``SandboxConfiguration/accessTokenTTL``.
///
/// The defaults are what Plaid's documents show: `expires_in: 900` for `client_credentials`
/// (plaid.com/docs/api/oauth/#oauthtoken, response example; the default of
/// ``SandboxConfiguration/accessTokenTTL``, so it has no entry here) and `expires_in: 2591999`, thirty
/// days less a second, for a token shared with a CRA partner through a
/// `urn:plaid:params:credit:multi-user` exchange (plaid.com/docs/check/cra-partner-sharing/,
/// response example).
public struct AccessTokenLifetimes: Hashable, Sendable {
    /// Seconds per key.
    public var seconds: [String: Int]

    /// Plaid's documented lifetimes.
    public static let plaidDefaults = AccessTokenLifetimes(seconds: [SubjectTokenType.creditMultiUser.rawValue: 2_591_999])

    /// The keys a lifetime may be set for.
    public static let keys: [String] =
        [GrantType.clientCredentials.rawValue, GrantType.refreshToken.rawValue] + SubjectTokenType.documented.map(\.rawValue)

    public init(seconds: [String: Int] = [:]) { self.seconds = seconds }

    /// The lifetime for `grantType` (and, for an exchange, `subjectTokenType`), or `fallback`.
    public func lifetime(grantType: GrantType, subjectTokenType: SubjectTokenType?, fallback: Int) -> Int {
        if grantType == .tokenExchange, let subjectTokenType { return seconds[subjectTokenType.rawValue] ?? fallback }
        return seconds[grantType.rawValue] ?? fallback
    }

    /// Parses `KEY=SECONDS`, the form of `share-sandbox --access-token-lifetime`.
    public static func parse(_ text: String) -> (key: String, seconds: Int)? {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        let key = String(text[..<equals])
        guard keys.contains(key), let seconds = Int(text[text.index(after: equals)...]), seconds > 0 else { return nil }
        return (key, seconds)
    }
}
