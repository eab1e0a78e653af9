import PartnerExperian
import PartnerFannieMae
import ShareClient
import ShareCredentials
import ShareModels
import SharePartners
import ShareTransportAHC

/// Shares a user's consumer report with Fannie Mae and Experian for reading. The client id and
/// secret come from `PLAID_CLIENT_ID` and `PLAID_SECRET`.
func shareReport(of user: UserID, in environment: APIEnvironment) async throws -> ShareGrant {
    try await AHCTransport.withTransport { transport in
        let client = OAuthClient(
            environment: environment,
            credentials: try EnvironmentCredentialsProvider().requireClientCredentials(),
            transport: transport,
            partners: try PartnerRegistry([FannieMae(), Experian()])
        )
        let grant = try await client.share(user: user, with: [.fannieMae, .experian], scope: .read)
        print(grant)   // tokens print redacted
        return grant
    }
}
