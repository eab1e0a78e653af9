import Foundation

/// Credentials from environment variables: `PLAID_CLIENT_ID` and `PLAID_SECRET` for client
/// credentials, `SHARE_API_KEY` for an API key. Empty variables count as unset; one of the pair
/// without the other is an error.
public struct EnvironmentCredentialsProvider: CredentialsProvider {
    /// The variable holding the client id. Default `PLAID_CLIENT_ID`.
    public var clientIDVariable: String
    /// The variable holding the secret. Default `PLAID_SECRET`.
    public var secretVariable: String
    /// The variable holding the API key. Default `SHARE_API_KEY`.
    public var apiKeyVariable: String
    private let environment: [String: String]

    /// - Parameters:
    ///   - environment: The variables to read; the process environment by default.
    ///   - clientIDVariable: The variable holding the client id.
    ///   - secretVariable: The variable holding the secret.
    ///   - apiKeyVariable: The variable holding the API key.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        clientIDVariable: String = "PLAID_CLIENT_ID",
        secretVariable: String = "PLAID_SECRET",
        apiKeyVariable: String = "SHARE_API_KEY"
    ) {
        self.environment = environment
        self.clientIDVariable = clientIDVariable
        self.secretVariable = secretVariable
        self.apiKeyVariable = apiKeyVariable
    }

    public func clientCredentials() throws(CredentialsError) -> ClientCredentials? {
        let id = value(clientIDVariable)
        let secret = value(secretVariable)
        switch (id, secret) {
        case (let id?, let secret?): return ClientCredentials(clientID: id, secret: secret)
        case (nil, nil): return nil
        case (nil, _): throw CredentialsError(.incomplete, "\(secretVariable) is set but \(clientIDVariable) is not")
        case (_, nil): throw CredentialsError(.incomplete, "\(clientIDVariable) is set but \(secretVariable) is not")
        }
    }

    public func apiKey() throws(CredentialsError) -> APIKey? { value(apiKeyVariable).map(APIKey.init) }

    public func placesLooked(for kind: CredentialKind) -> [String] {
        switch kind {
        case .clientCredentials: ["environment variables \(clientIDVariable) and \(secretVariable)"]
        case .apiKey: ["environment variable \(apiKeyVariable)"]
        }
    }

    private func value(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }
}
