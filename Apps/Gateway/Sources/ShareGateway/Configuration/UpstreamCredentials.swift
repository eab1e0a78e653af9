import Foundation
import ShareCredentials
import ShareModels

/// The credentials the gateway injects upstream; clients never supply them.
///
/// Plaid-style routes get `PLAID-CLIENT-ID` and `PLAID-SECRET`; the share-token API
/// (`/api/v1/connect/…`) gets `Authorization: Bearer <API key>`. Injection always overwrites:
/// the client's values were removed before. Resolved from a ShareCredentials
/// ``CredentialsProvider`` chain (the environment's `PLAID_CLIENT_ID`/`PLAID_SECRET` and
/// `SHARE_API_KEY` first, then the config file).
///
/// A caller may act as another organization on the share-token API by sending
/// `Share-Organization: org_…`: the gateway then injects that organization's key from
/// ``organizations``, and refuses an organization it has no key for. Without the header, the
/// share-token API gets ``apiKey`` (or the first organization's key when there is none).
public struct UpstreamCredentials: Sendable, Hashable, CustomStringConvertible {
    public var client: ClientCredentials?
    public var apiKey: APIKey?
    /// Named organizations and their API keys, in the order they were configured.
    public var organizations: [Organization]

    /// An organization the share-token API can be called as, and its API key.
    public struct Organization: Sendable, Hashable {
        public var id: String
        public var apiKey: APIKey

        public init(id: String, apiKey: APIKey) {
            self.id = id
            self.apiKey = apiKey
        }

        /// Parses `org_…=key`, the form of `--organization-key` and `SHARE_GATEWAY_ORGANIZATION_KEY`;
        /// `nil` when either side is empty.
        public init?(parsing text: String) {
            guard let equals = text.firstIndex(of: "=") else { return nil }
            let id = text[..<equals].trimmingCharacters(in: .whitespaces)
            let key = text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty, !key.isEmpty else { return nil }
            self.init(id: id, apiKey: APIKey(key))
        }
    }

    public init(client: ClientCredentials? = nil, apiKey: APIKey? = nil, organizations: [Organization] = []) {
        self.client = client
        self.apiKey = apiKey
        self.organizations = organizations
    }

    /// The organizations a caller may choose, the default first: the organization of ``apiKey``
    /// when it is one of ``organizations``, else the order they were configured in.
    var organizationIDs: [String] {
        guard let apiKey, let index = organizations.firstIndex(where: { $0.apiKey == apiKey }) else { return organizations.map(\.id) }
        var ids = organizations.map(\.id)
        ids.insert(ids.remove(at: index), at: 0)
        return ids
    }

    /// The `Authorization` header for the share-token API as `organization`, or `nil` when the
    /// gateway has no key for it.
    func shareAPIHeaders(organization: String) -> [(String, String)]? {
        organizations.first { $0.id == organization }.map { [("Authorization", "Bearer \($0.apiKey.secret.revealed)")] }
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
            return (apiKey ?? organizations.first?.apiKey).map { [("Authorization", "Bearer \($0.secret.revealed)")] } ?? []
        }
        guard let client else { return [] }
        return [("PLAID-CLIENT-ID", client.clientID), ("PLAID-SECRET", client.secret.revealed)]
    }

    public var description: String {
        "UpstreamCredentials(client: \(client?.description ?? "nil"), apiKey: \(apiKey?.description ?? "nil"), organizations: \(organizations.map(\.id)))"
    }
}
