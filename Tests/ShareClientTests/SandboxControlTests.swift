import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ShareClient
import ShareCredentials
import ShareModels
import ShareSandbox
import ShareTestSupport
import ShareTransport
import ShareTransportAHC
import ShareWire
import Testing

@Suite("SandboxControl against a running sandbox's control plane")
struct SandboxControlTests {
    static let demo = ClientCredentials(clientID: SandboxDemo.clientID, secret: SandboxDemo.clientSecret)

    /// Runs `body` with a control client (as the demo OAuth client), an OAuth client and the
    /// transport, against a sandbox on a free port.
    static func withSandbox(
        _ configure: (inout SandboxConfiguration) -> Void = { _ in },
        _ body: @Sendable (_ sandbox: SandboxControl, _ client: OAuthClient, _ url: URL, _ transport: AHCTransport) async throws -> Void
    ) async throws {
        var configuration = SandboxConfiguration(port: 0)
        configuration.logger = Logger(label: "sandbox", factory: { _ in SwiftLogNoOpLogHandler() })
        configure(&configuration)
        try await SandboxServer.withRunningSandbox(configuration: configuration) { running in
            try await AHCTransport.withTransport { transport in
                let url = try #require(URL(string: running.url))
                let client = OAuthClient(
                    environment: .custom(url), credentials: demo, transport: transport,
                    configuration: .init(retry: RetryPolicy(baseDelay: .milliseconds(5))))
                try await body(SandboxControl(environment: .custom(url), credentials: demo, transport: transport), client, url, transport)
            }
        }
    }

    @Test("the clock starts at the real time, advances by seconds, days and a Duration, and resets")
    func clock() async throws {
        try await Self.withSandbox { sandbox, _, _, _ in
            let start = try await sandbox.clock()
            #expect(start.offsetSeconds == 0)
            #expect(abs(start.now.date.timeIntervalSinceNow) < 5)
            #expect(try await sandbox.advance(seconds: 90).offsetSeconds == 90)
            #expect(try await sandbox.advance(by: .seconds(3600)).offsetSeconds == 3690)
            let later = try await sandbox.advance(days: 1)
            #expect(later.offsetSeconds == 3690 + 86_400)
            #expect(later.offset == .seconds(3690 + 86_400))
            #expect(abs(later.now.date.timeIntervalSinceNow - Double(later.offsetSeconds)) < 5)
            let reset = try await sandbox.resetClock()
            #expect(reset.offsetSeconds == 0)
            #expect(try await sandbox.clock().offsetSeconds == 0)
        }
    }

    @Test("an access token expires when the sandbox's clock passes its lifetime")
    func tokenExpiry() async throws {
        try await Self.withSandbox { sandbox, client, _, _ in
            let token = try await client.clientCredentials()
            #expect(try await client.introspect(token.accessToken).active)
            try await sandbox.advance(seconds: token.expiresIn + 1)
            #expect(try await client.introspect(token.accessToken).active == false)
        }
    }

    @Test("faults are added with an id, listed with their remaining times, answered with Sandbox-Fault, removed one by one or all")
    func faults() async throws {
        try await Self.withSandbox { sandbox, client, url, transport in
            let added = try await sandbox.addFault(.status(503, path: "/oauth/introspect", method: "POST", times: 3))
            let id = try #require(added.id)
            #expect(id.hasPrefix("flt_"))
            #expect(added.status == 503)
            #expect(added.times == 3)
            #expect(added.remaining == 3)
            #expect(added.method == "POST")

            // The raw answer carries the fault's id; the retrying client meets it twice more.
            let request = HTTPRequest(method: .post, scheme: url.scheme, authority: "\(url.host!):\(url.port!)", path: "/oauth/introspect")
            let (head, _) = try await transport.send(request, body: HTTPBody(Array("{}".utf8)))
            #expect(head.status.code == 503)
            #expect(head.headerFields[HTTPField.Name("Sandbox-Fault")!] == id)
            #expect(try await sandbox.faults().first?.remaining == 2)

            // A fault of another client leaves the demo client's requests alone.
            let other = try await sandbox.addFault(.status(503, path: "/oauth/token", clientID: "another-client", times: 1))
            #expect(other.clientID == "another-client")
            #expect(try await !client.clientCredentials().accessToken.isEmpty)
            #expect(try await sandbox.removeFault(id: try #require(other.id)).remaining == 1)

            let delayed = try await sandbox.addFault(.delay(.milliseconds(50), path: "/oauth/token", times: 1))
            #expect(delayed.delayMilliseconds == 50)
            #expect(try await sandbox.faults().map(\.id).contains(delayed.id))
            let removed = try await sandbox.removeFault(id: id)
            #expect(removed.id == id)
            #expect(try await sandbox.faults().map(\.id) == [delayed.id])
            try await sandbox.addFault(.dropConnection(path: "/oauth/revoke"))
            #expect(try await sandbox.removeAllFaults() == 2)
            #expect(try await sandbox.faults().isEmpty)
            let token = try await client.clientCredentials()
            #expect(try await client.introspect(token.accessToken).active)
        }
    }

    @Test("an injected 429 carries Retry-After, and a dropped connection is a transport failure")
    func rateLimitAndDrop() async throws {
        try await Self.withSandbox { sandbox, client, url, transport in
            try await sandbox.addFault(.status(429, path: "/oauth/introspect", times: 1))
            let request = HTTPRequest(method: .post, scheme: url.scheme, authority: "\(url.host!):\(url.port!)", path: "/oauth/introspect")
            let (head, _) = try await transport.send(request, body: HTTPBody(Array("{}".utf8)))
            #expect(head.status.code == 429)
            #expect(head.headerFields[.retryAfter] != nil)

            let noRetry = OAuthClient(environment: client.environment, credentials: Self.demo, transport: transport, configuration: .init(retry: .never))
            try await sandbox.addFault(.dropConnection(path: "/oauth/token", times: 1))
            let dropped = await #expect(throws: ShareClientError.self) { try await noRetry.clientCredentials() }
            #expect(dropped?.code == .transport)
            #expect(try await !noRetry.clientCredentials().accessToken.isEmpty)
        }
    }

    @Test("refusals are Plaid errors: a fault applying to no request, an unknown fault id, bad credentials")
    func refusals() async throws {
        try await Self.withSandbox { sandbox, _, url, transport in
            let invalid = await #expect(throws: ShareClientError.self) {
                try await sandbox.addFault(SandboxControl.Fault(path: "/oauth/token", status: 503, times: 0))
            }
            #expect(invalid?.code == .apiRefused)
            #expect(invalid?.status == 400)
            #expect(invalid.flatMap { detail($0, APIError.self) }?.errorType.isEmpty == false)

            let unknown = await #expect(throws: ShareClientError.self) { try await sandbox.removeFault(id: "flt_unknown") }
            #expect(unknown?.status == 404)
            let malformed = await #expect(throws: ShareClientError.self) { try await sandbox.removeFault(id: "../reset") }
            #expect(malformed?.code == .invalidRequest)

            let stranger = SandboxControl(
                environment: .custom(url), credentials: ClientCredentials(clientID: "nobody", secret: "wrong-secret"), transport: transport)
            let refused = await #expect(throws: ShareClientError.self) { try await stranger.clock() }
            #expect(refused?.status == 401)
            #expect(refused.map { "\($0)".contains("wrong-secret") } == false)
        }
    }

    @Test("an organization's API key is accepted as well")
    func apiKey() async throws {
        try await Self.withSandbox { _, _, url, transport in
            let keyed = SandboxControl(environment: .custom(url), apiKey: APIKey(ShareTokenDemo.sourceAPIKey), transport: transport)
            let clock = try await keyed.clock()
            #expect(clock.offsetSeconds == 0)
        }
    }

    /// The webhooks a receiver got: bodies and their `Persona-Signature`.
    actor Received {
        var deliveries: [(body: [UInt8], signature: String?)] = []
        func append(_ body: [UInt8], _ signature: String?) { deliveries.append((body, signature)) }
    }

    @Test("sendTestWebhook and redeliverEvent reach the organization's endpoint, signed; one without an endpoint is refused")
    func webhooks() async throws {
        let received = Received()
        let router = Router()
        router.post("/hooks") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 20)
            await received.append(Array(buffer: body), request.headers[HTTPField.Name("Persona-Signature")!])
            return .ok
        }
        try await withLiveServer(router) { port in
            try await Self.withSandbox({ configuration in
                var seed = ShareTokenDemo.seed
                for index in seed.organizations.indices where seed.organizations[index].id == ShareTokenDemo.sourceOrganizationID {
                    seed.organizations[index].webhookURL = "http://127.0.0.1:\(port)/hooks"
                    seed.organizations[index].webhookSecret = "whsec-control-plane-test"
                }
                configuration.shareTokenSeed = seed
            }) { sandbox, _, url, transport in
                let lender = try OrganizationID(ShareTokenDemo.sourceOrganizationID)
                let test = try await sandbox.sendTestWebhook(organization: lender, name: "connect/share-token.outbound-redeemed")
                #expect(test.delivered)
                #expect(test.status == 200)
                #expect(test.organization == lender)
                #expect(test.url == "http://127.0.0.1:\(port)/hooks")
                let verifier = WebhookVerifier(secret: "whsec-control-plane-test")
                let first = try #require(await received.deliveries.first)
                let event = try verifier.event(body: first.body, signatureHeader: first.signature)
                #expect(event.id == test.eventID)

                // A real event of the lender's, sent again.
                let shareTokens = ShareTokenClient(environment: .custom(url), apiKey: APIKey(ShareTokenDemo.sourceAPIKey), transport: transport)
                _ = try await shareTokens.create(
                    connectionID: try ConnectionID(ShareTokenDemo.connectionID), sourceID: try SourceID(ShareTokenDemo.inquiryID))
                let events = try await shareTokens.events().events
                guard case .string(let raw)? = events.first?.value(at: ["id"]) else {
                    Issue.record("no event")
                    return
                }
                let before = await received.deliveries.count
                let again = try await sandbox.redeliverEvent(id: try EventID(raw))
                #expect(again.eventID.rawValue == raw)
                #expect(again.delivered)
                #expect(await received.deliveries.count > before)

                let bank = try OrganizationID(ShareTokenDemo.destinationOrganizationID)
                let noEndpoint = await #expect(throws: ShareClientError.self) {
                    try await sandbox.sendTestWebhook(organization: bank, name: "connect/share-token.outbound-redeemed")
                }
                #expect(noEndpoint?.status == 409)
                #expect(noEndpoint.flatMap { detail($0, APIError.self) }?.errorCode == "NO_WEBHOOK_URL")
                let unknownEvent = await #expect(throws: ShareClientError.self) { try await sandbox.redeliverEvent(id: try EventID("evt_unknown")) }
                #expect(unknownEvent?.status == 404)
            }
        }
    }

    @Test("reset: tokens issued since are gone, faults cleared, the clock back")
    func reset() async throws {
        try await Self.withSandbox { sandbox, client, _, _ in
            let token = try await client.clientCredentials()
            try await sandbox.advance(days: 1)
            try await sandbox.addFault(.status(503, path: "/oauth/revoke", times: 5))
            #expect(try await sandbox.reset().offsetSeconds == 0)
            #expect(try await sandbox.faults().isEmpty)
            #expect(try await sandbox.clock().offsetSeconds == 0)
            #expect(try await client.introspect(token.accessToken).active == false)
        }
    }
}
