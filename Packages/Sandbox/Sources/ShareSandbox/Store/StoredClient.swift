/// A registered client as the store keeps it: the secret only as a ``SecretDigest``.
public struct StoredClient: Hashable, Sendable {
    public var id: String
    public var secretDigest: SecretDigest
    /// The id of the partner the client acts for (e.g. `fannie-mae`), if any.
    public var partnerID: String?
    /// The audience URN of that partner, if any.
    public var partnerURN: String?
    /// The scopes the client may be granted, space-separated.
    public var scopes: String
    /// The grant types the client may use, space-separated.
    public var grantTypes: String

    public init(id: String, secretDigest: SecretDigest, partnerID: String?, partnerURN: String?, scopes: String, grantTypes: String) {
        self.id = id
        self.secretDigest = secretDigest
        self.partnerID = partnerID
        self.partnerURN = partnerURN
        self.scopes = scopes
        self.grantTypes = grantTypes
    }
}
