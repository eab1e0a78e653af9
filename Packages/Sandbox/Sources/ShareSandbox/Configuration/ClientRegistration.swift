import ShareModels
import SharePartners

/// A client the sandbox accepts: its id, its secret and, when it acts for a partner (Fannie Mae,
/// Experian, …), that partner's id, so that tokens whose audience names the partner's URN are
/// visible to it.
///
/// The secret lives here only until the store hashes it; it never appears in `description`.
public struct ClientRegistration: Hashable, Sendable, CustomStringConvertible, CustomReflectable {
    /// The client id (`PLAID-CLIENT-ID`, `client_id`).
    public var id: String
    /// The client secret, in plain text (hashed before it is stored).
    public var secret: String
    /// The partner this client acts for, if any.
    public var partner: PartnerID?
    /// The scopes the client may be granted. A `client_credentials` request that names no scope
    /// gets all of them.
    public var scopes: ScopeSet
    /// The grant types the client may use at `/oauth/token`; others are `unauthorized_client`.
    /// All documented grants by default.
    public var grantTypes: [GrantType]

    /// The scopes a client gets when its registration names none.
    public static let defaultScopes: ScopeSet = [.userRead, .userWrite, .exchange]

    public init(
        id: String, secret: String, partner: PartnerID? = nil, scopes: ScopeSet = ClientRegistration.defaultScopes,
        grantTypes: [GrantType] = GrantType.documented
    ) {
        self.id = id
        self.secret = secret
        self.partner = partner
        self.scopes = scopes
        self.grantTypes = grantTypes
    }

    /// Parses `ID:SECRET`, the form of `share-sandbox --client`. The id ends at the first colon,
    /// so a secret may itself contain colons.
    public init?(parsing text: String, partner: PartnerID? = nil) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let id = String(text[..<colon])
        let secret = String(text[text.index(after: colon)...])
        guard !id.isEmpty, !secret.isEmpty else { return nil }
        self.init(id: id, secret: secret, partner: partner)
    }

    public var description: String {
        "ClientRegistration(id: \(id), secret: \(Redaction.secret(secret))"
            + (partner.map { ", partner: \($0)" } ?? "") + ", scopes: \(scopes))"
    }

    /// `dump` shows the same as ``description``: the secret redacted.
    public var customMirror: Mirror {
        Mirror(self, children: ["id": id, "secret": Redaction.secret(secret), "partner": partner as Any, "scopes": scopes])
    }
}
