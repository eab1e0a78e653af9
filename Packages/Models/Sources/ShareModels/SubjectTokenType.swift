/// The kind of `subject_token` presented in a token exchange (`subject_token_type`).
public struct SubjectTokenType: WireString {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `urn:plaid:params:tokens:user`: a user id from `/user/create`; the audience must be the
    /// caller's own client id.
    public static let user: SubjectTokenType = "urn:plaid:params:tokens:user"
    /// `urn:plaid:params:oauth:user-token`: an OAuth refresh token holding the `exchange` scope,
    /// exchanged for a token of another client id (the audience).
    public static let oauthUserToken: SubjectTokenType = "urn:plaid:params:oauth:user-token"
    /// `urn:plaid:params:credit:multi-user`: a user id, shared with one or more client ids or
    /// CRA partners (a multi-party token when the audience lists several).
    public static let creditMultiUser: SubjectTokenType = "urn:plaid:params:credit:multi-user"

    /// The three documented subject token types.
    public static let documented: [SubjectTokenType] = [.user, .oauthUserToken, .creditMultiUser]

    /// Whether this is one of the documented types.
    public var isDocumented: Bool { Self.documented.contains(self) }
}
