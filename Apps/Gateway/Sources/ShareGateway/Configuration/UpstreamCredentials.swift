import ShareModels

/// The credentials the gateway injects upstream; clients never supply them.
///
/// Plaid-style routes get `PLAID-CLIENT-ID` and `PLAID-SECRET`; the share-token API
/// (`/api/v1/connect/…`) gets `Authorization: Bearer <SHARE_API_KEY>`. Injection always
/// overwrites: the client's values were removed before.
public struct UpstreamCredentials: Sendable, Hashable, CustomStringConvertible {
    public var clientID: String?
    public var secret: String?
    public var shareAPIKey: String?

    public init(clientID: String? = nil, secret: String? = nil, shareAPIKey: String? = nil) {
        self.clientID = clientID
        self.secret = secret
        self.shareAPIKey = shareAPIKey
    }

    /// The path prefix of routes authenticated with the share API key.
    static let shareAPIPrefix = "/api/"

    /// Headers for a request to `normalizedPath`, computed once per route kind.
    func headers(forShareAPI: Bool) -> [(String, String)] {
        if forShareAPI {
            return shareAPIKey.map { [("Authorization", "Bearer \($0)")] } ?? []
        }
        var headers: [(String, String)] = []
        if let clientID { headers.append(("PLAID-CLIENT-ID", clientID)) }
        if let secret { headers.append(("PLAID-SECRET", secret)) }
        return headers
    }

    public var description: String {
        "UpstreamCredentials(clientID: \(clientID ?? "nil"), secret: \(Redaction.secret(secret)), shareAPIKey: \(Redaction.secret(shareAPIKey)))"
    }
}
