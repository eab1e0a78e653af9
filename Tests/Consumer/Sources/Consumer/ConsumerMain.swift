import Foundation
import Lending
import PartnerExperian
import PartnerFannieMae
import ShareClient
import ShareCredentials
import ShareModels
import SharePartners
import ShareSandbox
import ShareTransportAHC

/// Runs the documentation's examples against a sandbox started in this process, and checks what
/// they did through the API: the shared token is active for both partners, and revoked after the
/// quick start's revoke.
@main
struct ConsumerMain {
    static func main() async throws {
        let partners = try PartnerRegistry([FannieMae(), Experian()])
        try await withLocalSandbox { url in
            setenv("PLAID_CLIENT_ID", SandboxDemo.clientID, 1)
            setenv("PLAID_SECRET", SandboxDemo.clientSecret, 1)
            let environment = APIEnvironment.custom(URL(string: url)!)

            try await AHCTransport.withTransport { transport in
                let client = OAuthClient(
                    environment: environment, credentials: try EnvironmentCredentialsProvider().requireClientCredentials(),
                    transport: transport, partners: partners)
                let user = try await client.createUser(clientUserID: "consumer-fixture")

                let grant = try await shareReport(of: user.userID, in: environment)
                let introspection = try await client.introspect(grant.accessToken)
                try check(introspection.active, "the README example's token is active")
                try check(grant.partners == [.fannieMae, .experian], "the README example shared with Fannie Mae and Experian")
                try check(!"\(grant)".contains(grant.accessToken), "the grant prints its token redacted")
            }

            try await shareAndRevoke(in: environment)

            let lendingUser = try await withLendingClient(environment: environment) { client in
                try await client.createUser(clientUserID: "lending-fixture").userID
            }
            try check(lendingUser.rawValue.hasPrefix("usr_"), "the Lending target, declared as the README declares it, created a user")
        }
        print("consumer fixture: the README's, docs/client.md's and docs/sandbox.md's examples built against ShareKit by URL and ran")
    }

    static func check(_ condition: Bool, _ what: String) throws {
        guard condition else { throw FixtureFailure(what: what) }
        print("ok: \(what)")
    }
}

struct FixtureFailure: Error, CustomStringConvertible {
    let what: String
    var description: String { "failed: \(what)" }
}
