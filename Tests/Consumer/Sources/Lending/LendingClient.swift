import PartnerExperian
import PartnerFannieMae
import ShareClient
import ShareCredentials
import SharePartners
import ShareTransportAHC

/// A lender's own module, declared in Tests/Consumer/Package.swift with the lines of the README's
/// "Reuse one package" manifest: it names only the ShareKit products it uses. Runs `body` with a
/// client of `environment` (credentials from PLAID_CLIENT_ID and PLAID_SECRET) that may share
/// with Fannie Mae and Experian.
public func withLendingClient<Result: Sendable>(
    environment: APIEnvironment, _ body: (OAuthClient) async throws -> Result
) async throws -> Result {
    try await AHCTransport.withTransport { transport in
        let client = try OAuthClient(
            environment: environment, credentialsFrom: EnvironmentCredentialsProvider(), transport: transport,
            partners: try PartnerRegistry([FannieMae(), Experian()]))
        return try await body(client)
    }
}
