/// The kinds of credential a ``CredentialsProvider`` can supply.
public enum CredentialKind: Hashable, Sendable, CustomStringConvertible {
    /// A client id and secret (``ClientCredentials``).
    case clientCredentials
    /// A share-token API key (``APIKey``).
    case apiKey

    public var description: String {
        switch self {
        case .clientCredentials: "client credentials"
        case .apiKey: "an API key"
        }
    }
}

/// A place credentials come from: code, the environment, a file, or a chain of these.
///
/// A provider answers `nil` when it simply does not have the credential, and throws when it has
/// something wrong (half the credentials, a file others can read), so that a chain stops at a
/// problem instead of silently using the next source.
///
/// ```swift
/// let provider = CredentialsChain([
///     EnvironmentCredentialsProvider(),
///     FileCredentialsProvider(path: "/etc/sharekit/credentials.json"),
/// ])
/// let credentials = try provider.requireClientCredentials()
/// ```
public protocol CredentialsProvider: Sendable {
    /// The client id and secret, or `nil` when this source has none.
    func clientCredentials() throws(CredentialsError) -> ClientCredentials?
    /// The API key, or `nil` when this source has none.
    func apiKey() throws(CredentialsError) -> APIKey?
    /// Where this source looks for `kind`, in words, e.g. `environment variables PLAID_CLIENT_ID and PLAID_SECRET`.
    func placesLooked(for kind: CredentialKind) -> [String]
}

extension CredentialsProvider {
    /// The client id and secret, or an error naming every place looked.
    public func requireClientCredentials() throws(CredentialsError) -> ClientCredentials {
        guard let credentials = try clientCredentials() else {
            throw CredentialsError(.missing, "no client credentials found", placesLooked: placesLooked(for: .clientCredentials))
        }
        return credentials
    }

    /// The API key, or an error naming every place looked.
    public func requireAPIKey() throws(CredentialsError) -> APIKey {
        guard let key = try apiKey() else {
            throw CredentialsError(.missing, "no API key found", placesLooked: placesLooked(for: .apiKey))
        }
        return key
    }
}

/// Credentials given in code.
public struct StaticCredentialsProvider: CredentialsProvider {
    public var credentials: ClientCredentials?
    public var key: APIKey?

    public init(_ credentials: ClientCredentials? = nil, apiKey: APIKey? = nil) {
        self.credentials = credentials
        self.key = apiKey
    }

    public func clientCredentials() throws(CredentialsError) -> ClientCredentials? { credentials }
    public func apiKey() throws(CredentialsError) -> APIKey? { key }
    public func placesLooked(for kind: CredentialKind) -> [String] { ["credentials given in code"] }
}

/// Asks each provider in turn and answers with the first that has the credential. An error of
/// any provider stops the search.
public struct CredentialsChain: CredentialsProvider {
    public let providers: [any CredentialsProvider]

    public init(_ providers: [any CredentialsProvider]) { self.providers = providers }

    public func clientCredentials() throws(CredentialsError) -> ClientCredentials? {
        for provider in providers {
            if let credentials = try provider.clientCredentials() { return credentials }
        }
        return nil
    }

    public func apiKey() throws(CredentialsError) -> APIKey? {
        for provider in providers {
            if let key = try provider.apiKey() { return key }
        }
        return nil
    }

    public func placesLooked(for kind: CredentialKind) -> [String] { providers.flatMap { $0.placesLooked(for: kind) } }
}
