import Foundation
import HTTPTypes
import Logging
import ShareClient
import ShareCredentials
import ShareModels
import ShareSandbox
import ShareTransportAHC
import Testing

@Suite("ShareTokenClient against the sandbox's share-token API")
struct ShareTokenClientTests {
    static let lender = APIKey(ShareTokenDemo.sourceAPIKey)
    static let partner = APIKey(ShareTokenDemo.destinationAPIKey)

    /// Runs `body` with clients of the demo organizations against a sandbox on a free port.
    static func withClients(
        _ body: @Sendable (_ lender: ShareTokenClient, _ partner: ShareTokenClient, _ url: URL) async throws -> Void
    ) async throws {
        var configuration = SandboxConfiguration(port: 0)
        configuration.logger = Logger(label: "sandbox", factory: { _ in SwiftLogNoOpLogHandler() })
        try await SandboxServer.withRunningSandbox(configuration: configuration) { sandbox in
            try await AHCTransport.withTransport { transport in
                let url = try #require(URL(string: sandbox.url))
                try await body(
                    ShareTokenClient(environment: .custom(url), apiKey: lender, transport: transport),
                    ShareTokenClient(environment: .custom(url), apiKey: partner, transport: transport),
                    url)
            }
        }
    }

    static let connection = try! ConnectionID(ShareTokenDemo.connectionID)
    static let inquiry = try! SourceID(ShareTokenDemo.inquiryID)

    @Test("create, get, redeem and expire round-trip as typed values")
    func lifecycle() async throws {
        try await Self.withClients { lender, partner, _ in
            let token = try await lender.create(connectionID: Self.connection, sourceID: Self.inquiry, ttl: try ShareTokenTTL(seconds: 3600))
            #expect(token.status == .created)
            #expect(token.direction == .outbound)
            #expect(Int(try #require(token.expiresAt).date.timeIntervalSince(token.createdAt.date).rounded()) == 3600)
            let seen = try await partner.get(token.id)
            #expect(seen.direction == .inbound)
            let pending = try await partner.redeem(token.id)
            #expect(pending.status == .pending)
            #expect(pending.pendingAt != nil)
            #expect(pending.destinationID == nil)
            let redeemed = try await partner.waitForRedemption(token.id)
            #expect(redeemed.status == .redeemed)
            #expect(redeemed.destinationID?.kind == .inquiry)
            #expect(redeemed.connectionID == Self.connection)
            #expect(redeemed.creator?.type == "api-key")
            #expect(try await lender.get(token.id).status == .redeemed)

            let other = try await lender.create(connectionID: Self.connection, sourceID: try SourceID(ShareTokenDemo.accountID))
            #expect(Int(try #require(other.expiresAt).date.timeIntervalSince(other.createdAt.date).rounded()) == ShareTokenTTL.defaultSeconds)
            let expired = try await lender.expire(other.id)
            #expect(expired.status == .expired)
        }
    }

    @Test("refusals are ShareTokenAPIErrors carrying the JSON:API errors")
    func typedErrors() async throws {
        try await Self.withClients { lender, partner, url in
            var attributes = ShareTokenCreateAttributes(connectionID: Self.connection, sourceID: Self.inquiry)
            attributes.expiresInSeconds = 59
            let tooShort = (await #expect(throws: ShareClientError.self) { try await lender.create(attributes) }).flatMap { detail($0, ShareTokenAPIError.self) }
            #expect(tooShort?.status == 422)
            #expect(tooShort?.pointers == ["/data/attributes/expires-in-seconds"])
            #expect(tooShort?.operation == "share-tokens.create")
            #expect(tooShort?.clientRequestID != nil)

            let token = try await lender.create(connectionID: Self.connection, sourceID: Self.inquiry)
            let bySource = (await #expect(throws: ShareClientError.self) { try await lender.redeem(token.id) }).flatMap { detail($0, ShareTokenAPIError.self) }
            #expect(bySource?.status == 404)
            _ = try await partner.redeem(token.id)
            let twice = (await #expect(throws: ShareClientError.self) { try await partner.redeem(token.id) }).flatMap { detail($0, ShareTokenAPIError.self) }
            #expect(twice?.status == 409)

            try await AHCTransport.withTransport { transport in
                let anonymous = ShareTokenClient(environment: .custom(url), apiKey: APIKey("wrong-key"), transport: transport)
                let unauthorized = await #expect(throws: ShareClientError.self) { try await anonymous.get(token.id) }
                #expect(unauthorized?.status == 401)
                #expect(unauthorized?.code == .apiRefused)
                #expect(unauthorized.flatMap { detail($0, ShareTokenAPIError.self) }?.status == 401)
                #expect(unauthorized.map { !"\($0)".contains("wrong-key") } == true)
            }
        }
    }

    @Test("list is an AsyncSequence of pages that follows the cursor to the end")
    func listPages() async throws {
        try await Self.withClients { lender, partner, _ in
            var created: [ShareTokenID] = []
            for _ in 0..<5 { created.append(try await lender.create(connectionID: Self.connection, sourceID: Self.inquiry).id) }
            var pages: [[ShareTokenID]] = []
            for try await page in lender.list(pageSize: 2) { pages.append(page.map(\.id)) }
            #expect(pages.map(\.count) == [2, 2, 1])
            #expect(pages.flatMap { $0 } == created.reversed())

            _ = try await partner.waitForRedemption(try await partner.redeem(created[0]).id)
            var redeemed: [ShareToken] = []
            for try await page in partner.list(status: .redeemed, direction: .inbound) { redeemed += page }
            #expect(redeemed.map(\.id) == [created[0]])
            #expect(redeemed.allSatisfy { $0.direction == .inbound })
            var none: [ShareToken] = []
            for try await page in partner.list(direction: .outbound) { none += page }
            #expect(none.isEmpty)
        }
    }

    @Test("connections: list, read, create pending, accept, deactivate and reactivate as typed values")
    func connections() async throws {
        try await Self.withClients { lender, partner, _ in
            let listed = try await lender.connections()
            #expect(listed.connections.map(\.id) == [Self.connection])
            #expect(listed.connections.first?.status == .active)
            #expect(listed.next == nil)
            let demo = try await partner.connection(Self.connection)
            #expect(demo.sourceOrganizationID.rawValue == ShareTokenDemo.sourceOrganizationID)
            let created = try await partner.createConnection(destinationOrganizationID: try OrganizationID(ShareTokenDemo.sourceOrganizationID))
            #expect(created.status == .pending)
            #expect(created.id.rawValue.hasPrefix("cxn_"))
            let refused = (await #expect(throws: ShareClientError.self) { try await partner.acceptConnection(created.id) })
            #expect(refused?.status == 403)
            #expect(try await lender.acceptConnection(created.id).status == .active)
            #expect(try await lender.deactivateConnection(created.id).status == .inactive)
            #expect(try await partner.reactivateConnection(created.id).status == .pending)
            let page = try await lender.connections(pageSize: 1)
            #expect(page.connections.map(\.id) == [created.id])
            #expect(page.next == created.id)
            #expect(try await lender.connections(pageSize: 1, after: page.next).connections.map(\.id) == [Self.connection])
            // connectionPage: the API's answer with its links, both ways.
            let older = try await lender.connectionPage(pageSize: 1, after: created.id)
            #expect(older.data.map(\.id) == [Self.connection])
            #expect(older.links.next == nil)
            #expect(try #require(older.links.prev).contains(Self.connection.rawValue))
            let newer = try await lender.connectionPage(pageSize: 1, before: Self.connection)
            #expect(newer.data.map(\.id) == [created.id])
            #expect(newer.links.prev == nil)
            #expect(try #require(newer.links.next).contains(created.id.rawValue))
        }
    }

    @Test("eventPage: the API's page of events with its absolute links, and the next cursor")
    func eventPage() async throws {
        try await Self.withClients { lender, _, _ in
            for _ in 0..<2 {
                _ = try await lender.create(
                    ShareTokenCreateAttributes(connectionID: Self.connection, sourceID: Self.inquiry))
            }
            let (first, next) = try await lender.eventPage(pageSize: 1)
            #expect(first.data.count == 1)
            let nextLink = try #require(first.links.next)
            #expect(nextLink.hasPrefix("http://") && nextLink.contains("/api/v1/events?"))
            let cursor = try #require(next)
            #expect(nextLink.contains(cursor.rawValue))
            let (second, _) = try await lender.eventPage(pageSize: 1, after: cursor)
            #expect(second.data.count == 1)
            #expect(second.data != first.data)
            #expect(try #require(second.links.prev).contains("page[before]") || second.links.prev!.contains("page%5Bbefore%5D"))
        }
    }

    @Test("organization: every request carries Share-Organization, and none does without it")
    func organizationHeader() async throws {
        let api = MockAPI(body: #"{"data":[],"links":{}}"#)
        let url = try #require(URL(string: "http://gateway.test"))
        let bank = ShareTokenClient(
            environment: .custom(url), apiKey: nil, transport: api, organization: try OrganizationID(ShareTokenDemo.destinationOrganizationID))
        #expect(bank.organization?.rawValue == ShareTokenDemo.destinationOrganizationID)
        _ = try await bank.page(cursor: nil)
        _ = try await bank.connectionPage()
        let plain = ShareTokenClient(environment: .custom(url), apiKey: nil, transport: api)
        _ = try await plain.page(cursor: nil)
        let organizations = api.sent.map { $0.request.headerFields[values: HTTPField.Name("Share-Organization")!] }
        #expect(organizations == [[ShareTokenDemo.destinationOrganizationID], [ShareTokenDemo.destinationOrganizationID], []])

        // A gateway's own refusal (OAuth shape) of an organization it has no key for is an OAuthError.
        let refusing = MockAPI(
            status: 400,
            body: #"{"error":"unknown_organization","error_description":"this gateway has API keys for org_demo-lender, org_demo-bank","request_id":"r1"}"#)
        let nobody = ShareTokenClient(environment: .custom(url), apiKey: nil, transport: refusing, organization: try OrganizationID("org_nobody"))
        let refused = await #expect(throws: ShareClientError.self) { try await nobody.page(cursor: nil) }
        let oauth = refused.flatMap { detail($0, OAuthError.self) }
        #expect(oauth?.code.rawValue == "unknown_organization")
        #expect(oauth?.status == 400)
    }

    @Test("a demo verification is shared and cloned; waitForRedemption returns once it is redeemed")
    func verificationClone() async throws {
        try await Self.withClients { lender, partner, _ in
            let token = try await lender.create(connectionID: Self.connection, sourceID: try SourceID(ShareTokenDemo.verificationID))
            #expect(token.sourceID.kind == .verification)
            _ = try await partner.redeem(token.id)
            let redeemed = try await partner.waitForRedemption(token.id, timeout: .seconds(5), interval: .milliseconds(20))
            #expect(redeemed.status == .redeemed)
            #expect(redeemed.destinationID?.kind == .verification)
            #expect(redeemed.redeemedAt != nil)
        }
    }
}
