import ShareCredentials
import ShareModels

/// The credentials the gateway injects upstream; clients never supply them.
///
/// Plaid-style routes get `PLAID-CLIENT-ID` and `PLAID-SECRET`; the share-token API
/// (`/api/v1/connect/…`) gets `Authorization: Bearer <API key>`. Injection always overwrites:
/// the client's values were removed before. Resolved from a ShareCredentials
/// ``CredentialsProvider`` chain (the environment's `PLAID_CLIENT_ID`/`PLAID_SECRET` and
/// `SHARE_API_KEY` first, then the config file).
public struct UpstreamCredentials: Sendable, Hashable, CustomStringConvertible {
    public var client: ClientCredentials?
    public var apiKey: APIKey?

    public init(client: ClientCredentials? = nil, apiKey: APIKey? = nil) {
        self.client = client
        self.apiKey = apiKey
    }

    /// Whatever `provider` has; a half-configured source (an id without a secret) is an error.
    public init(provider: any CredentialsProvider) throws(CredentialsError) {
        self.init(client: try provider.clientCredentials(), apiKey: try provider.apiKey())
    }

    /// The path prefix of routes authenticated with the API key.
    static let shareAPIPrefix = "/api/"

    /// Headers for the share-token API or for the Plaid-style routes, computed once at startup.
    func headers(forShareAPI: Bool) -> [(String, String)] {
        if forShareAPI {
            return apiKey.map { [("Authorization", "Bearer \($0.secret.revealed)")] } ?? []
        }
        guard let client else { return [] }
        return [("PLAID-CLIENT-ID", client.clientID), ("PLAID-SECRET", client.secret.revealed)]
    }

    public var description: String {
        "UpstreamCredentials(client: \(client?.description ?? "nil"), apiKey: \(apiKey?.description ?? "nil"))"
    }
}
