/// The body fields that carry a client credential — the one list every ShareKit module reads:
/// the sandbox authenticates clients with them, ShareCredentials places and removes them, and the
/// gateway strips them from every request before placing its own. Because all three use this
/// list, the gateway removes exactly the fields the sandbox would read.
public enum CredentialField: String, CaseIterable, Hashable, Sendable {
    /// `client_id`.
    case clientID = "client_id"
    /// `secret`, Plaid's spelling of the client secret.
    case secret
    /// `client_secret`, the OAuth spelling (RFC 6749 §2.3.1).
    case clientSecret = "client_secret"

    /// Every credential field's name.
    public static let names: [String] = allCases.map(\.rawValue)

    /// The credential field a decoded form name counts as, or `nil`. ShareWire's form decoder
    /// reads `client_id[]=x` (and `client_id[a]=x`) as the field `client_id`, so a bracketed name
    /// counts as the field before its first `[`.
    @inlinable
    public init?(formName decodedName: String) {
        self.init(rawValue: String(FormPairScanner.baseName(of: decodedName)))
    }
}
