import Logging
import PartnerExperian
import PartnerFannieMae
import ShareClient
import ShareCredentials
import SharePartners
import ShareTransportAHC

/// Creates a user, shares the user's consumer report with Fannie Mae and Experian, then revokes
/// the share.
func shareAndRevoke(in environment: APIEnvironment) async throws {
    try await AHCTransport.withTransport { transport in  // pooled connections, shut down at the end
        let client = try OAuthClient(
            environment: environment,                     // .sandbox, .production, or .custom(URL)
            credentialsFrom: CredentialsChain([
                EnvironmentCredentialsProvider(),         // PLAID_CLIENT_ID / PLAID_SECRET
                FileCredentialsProvider(path: "/etc/sharekit/credentials.json"),
            ]),
            transport: transport,
            partners: try PartnerRegistry([Experian(), FannieMae()]),
            logger: Logger(label: "lender.sharing")
        )
        let user = try await client.createUser(clientUserID: "customer-42")
        let grant = try await client.share(user: user.userID, with: [.fannieMae, .experian], scope: .read)
        print(grant)  // ShareGrant(user: usr_…, partners: fannie-mae, experian, …, access_token: pda-<redacted>, …)
        try await client.revoke(grant.refreshToken)       // revokes the whole share
    }
}
