import Foundation
import ShareClient
import ShareCredentials
import ShareModels
import ShareSandbox
import ShareTransport
import ShareTransportAHC
import Testing

/// Retries, a token manager and a 14-day expiry, tested in well under a second: the sandbox
/// injects the failures and moves its clock instead of the test waiting.
@Test("time and failure, without waiting")
func timeAndFailure() async throws {
    try await SandboxServer.withRunningSandbox(configuration: SandboxConfiguration(port: 0)) { running in
        try await AHCTransport.withTransport { transport in
            let url = try #require(URL(string: running.url))
            let demo = ClientCredentials(clientID: SandboxDemo.clientID, secret: SandboxDemo.clientSecret)
            let sandbox = SandboxControl(environment: .custom(url), credentials: demo, transport: transport)
            let fastRetries = OAuthClient.Configuration(retry: RetryPolicy(baseDelay: .milliseconds(10)))
            let client = OAuthClient(environment: .custom(url), credentials: demo, transport: transport, configuration: fastRetries)
            let token = try await client.clientCredentials()

            // RetryMiddleware sends an introspection again after an injected 503 …
            try await sandbox.addFault(.status(503, path: "/oauth/introspect", times: 1))
            #expect(try await client.introspect(token.accessToken).active)
            // … and surfaces an injected 400 at once.
            try await sandbox.addFault(.status(400, path: "/oauth/introspect", times: 1))
            let refused = await #expect(throws: ShareClientError.self) { try await client.introspect(token.accessToken) }
            #expect(refused?.status == 400)

            // A TokenManager rides out two 503s on /oauth/token: they fail the calls that met
            // them, without ending the manager, and the next call gets a token.
            try await sandbox.addFault(.status(503, path: "/oauth/token", times: 2))
            let tokens = TokenManager(client: client, grant: .clientCredentials())
            for _ in 1...2 {
                let unavailable = await #expect(throws: ShareClientError.self) { try await tokens.accessToken() }
                #expect(unavailable?.status == 503)
            }
            #expect(try await !tokens.accessToken().isEmpty)
            #expect(try await sandbox.faults().isEmpty)

            // A share token lives 14 days: advance the sandbox's clock instead of waiting.
            let lender = ShareTokenClient(environment: .custom(url), apiKey: APIKey(ShareTokenDemo.sourceAPIKey), transport: transport)
            let shared = try await lender.create(
                connectionID: try ConnectionID(ShareTokenDemo.connectionID), sourceID: try SourceID(ShareTokenDemo.inquiryID))
            #expect(try await lender.get(shared.id).status == .created)
            try await sandbox.advance(days: 14)
            #expect(try await lender.get(shared.id).status == .expired)
            #expect(try await client.introspect(token.accessToken).active == false)

            // Back to the start state for the next test.
            try await sandbox.reset()
            #expect(try await sandbox.clock().offsetSeconds == 0)
        }
    }
}
