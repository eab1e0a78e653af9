import Foundation
import HTTPTypes
import ShareModels
import ShareSandbox
import Testing

@Suite("Share tokens: creation, TTL and ownership")
struct ShareTokenCreationTests {
    static func withSandbox(
        clock: ManualClock = ManualClock(), _ test: @escaping @Sendable (SandboxTestClient) async throws -> Void
    ) async throws {
        try await SandboxHarness.withSandbox(configuration: ShareTokenHarness.configuration(clock: clock), test)
    }

    static func seconds(between start: String?, and end: String?) throws -> Int {
        let start = try #require(start.flatMap(Timestamp.init(parsing:)))
        let end = try #require(end.flatMap(Timestamp.init(parsing:)))
        return Int(end.date.timeIntervalSince(start.date).rounded())
    }

    @Test("a created share token is 201 with the JSON:API shape, outbound for its creator")
    func createdShape() async throws {
        try await Self.withSandbox { client in
            let answer = try await client.createShareToken()
            #expect(answer.status == 201)
            let id = try #require(answer.dataID)
            #expect(id.hasPrefix("cnst_"))
            guard case .object(let data) = answer["data"] else { Issue.record("no data: \(answer.bodyText)"); return }
            #expect(data["type"] == .string("connect/share-token"))
            #expect(answer.attribute("status") == "created")
            #expect(answer.attribute("direction") == "outbound")
            #expect(answer.relationship("connection") == ShareTokenHarness.connection)
            #expect(answer.relationship("source") == ShareTokenHarness.inquiry)
            #expect(answer.headers[.location] == "/api/v1/connect/share-tokens/\(id)")
            // Instants not reached yet are null, as Persona shows them; no id attributes.
            #expect(answer.rawAttribute("redeemed-at") == .null)
            #expect(!answer.bodyText.contains("connection-id"))
            #expect(answer.headers[.contentType] == "application/vnd.api+json")
        }
    }

    @Test("the demo set (no organizations configured) is a working example")
    func demoSet() async throws {
        var configuration = SandboxHarness.configuration(clock: ManualClock())
        configuration.webhookDelivery = ShareTokenHarness.fastDelivery
        #expect(configuration.usesDemoOrganizations)
        try await SandboxHarness.withSandbox(configuration: configuration) { client in
            let lender = ShareTokenSeed.Organization(id: ShareTokenDemo.sourceOrganizationID, apiKey: ShareTokenDemo.sourceAPIKey)
            let bank = ShareTokenSeed.Organization(id: ShareTokenDemo.destinationOrganizationID, apiKey: ShareTokenDemo.destinationAPIKey)
            for record in [ShareTokenDemo.inquiryID, ShareTokenDemo.transactionID, ShareTokenDemo.accountID] {
                let created = try await client.createShareToken(as: lender, connection: ShareTokenDemo.connectionID, source: record)
                #expect(created.status == 201)
                #expect(try await client.redeemAndSettle(try #require(created.dataID), as: bank).attribute("status") == "redeemed")
            }
        }
    }

    @Test("an unknown path under /api/ answers in the JSON:API error shape")
    func unknownPath() async throws {
        try await Self.withSandbox { client in
            let answer = try await client.api("/api/v1/nowhere", as: ShareTokenHarness.source)
            #expect(answer.status == 404)
            #expect(answer.isJSONAPIError)
        }
    }

    @Test("without expires-in-seconds a share token lives 14 days")
    func defaultTTL() async throws {
        try await Self.withSandbox { client in
            let answer = try await client.createShareToken()
            #expect(try Self.seconds(between: answer.attribute("created-at"), and: answer.attribute("expires-at")) == 1_209_600)
        }
    }

    @Test("expires-in-seconds of 60 and 1,814,400 are accepted", arguments: [60, 1_814_400])
    func ttlBoundsAccepted(seconds: Int) async throws {
        try await Self.withSandbox { client in
            let answer = try await client.createShareToken(expiresIn: String(seconds))
            #expect(answer.status == 201)
            #expect(try Self.seconds(between: answer.attribute("created-at"), and: answer.attribute("expires-at")) == seconds)
        }
    }

    @Test("expires-in-seconds outside 60…1,814,400 is a 422 naming the field", arguments: [59, 1_814_401, 0, -60])
    func ttlBoundsRejected(seconds: Int) async throws {
        try await Self.withSandbox { client in
            let answer = try await client.createShareToken(expiresIn: String(seconds))
            #expect(answer.status == 422)
            #expect(answer.isJSONAPIError)
            #expect(answer.errorPointers == ["/data/attributes/expires-in-seconds"])
        }
    }

    @Test("expires-in-seconds that is not an integer is refused naming the field", arguments: [#""3600""#, "60.5", "true", "null"])
    func ttlWrongType(fragment: String) async throws {
        try await Self.withSandbox { client in
            let answer = try await client.createShareToken(expiresIn: fragment)
            #expect(answer.status == 422)
            #expect(answer.errorPointers == ["/data/attributes/expires-in-seconds"])
        }
    }

    @Test("a request without a valid bearer API key is 401 in the JSON:API error shape")
    func unauthenticated() async throws {
        try await Self.withSandbox { client in
            let body = #"{"data":{"attributes":{"connection-id":"cxn_source_destination","source-id":"inq_source_alex"}}}"#
            let missing = try await client.api("/api/v1/connect/share-tokens", method: .post, as: nil, body: body)
            #expect(missing.status == 401)
            #expect(missing.isJSONAPIError)
            #expect(missing.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let wrong = ShareTokenSeed.Organization(id: "org_source", apiKey: "not-the-key")
            #expect(try await client.api("/api/v1/connect/share-tokens", method: .post, as: wrong, body: body).status == 401)
            var headers: HTTPFields = [.authorization: "Basic c291cmNlLWtleTo="]
            headers[.contentType] = "application/json"
            let basic = try await client.send("/api/v1/connect/share-tokens", headers: headers, body: Array(body.utf8))
            #expect(basic.status == 401)
            #expect(try await client.api("/api/v1/connect/share-tokens", as: nil).status == 401)
            #expect(try await client.api("/api/v1/events", as: nil).status == 401)
        }
    }

    @Test("only the connection's source may create on it")
    func connectionOwnership() async throws {
        try await Self.withSandbox { client in
            // The destination of the connection is not its source.
            let byDestination = try await client.createShareToken(as: ShareTokenHarness.destination)
            #expect(byDestination.status == 422)
            #expect(byDestination.errorPointers == ["/data/attributes/connection-id"])
            // Someone else's connection.
            let foreign = try await client.createShareToken(connection: ShareTokenHarness.strangerConnection)
            #expect(foreign.status == 422)
            #expect(foreign.errorPointers == ["/data/attributes/connection-id"])
            let unknown = try await client.createShareToken(connection: "conn_nowhere")
            #expect(unknown.errorPointers == ["/data/attributes/connection-id"])
            let malformed = try await client.createShareToken(connection: "nope")
            #expect(malformed.status == 422)
            #expect(malformed.errorPointers == ["/data/attributes/connection-id"])
        }
    }

    @Test("only the caller's own inquiries, transactions and accounts can be shared")
    func sourceOwnership() async throws {
        try await Self.withSandbox { client in
            for record in [ShareTokenHarness.inquiry, ShareTokenHarness.transaction, ShareTokenHarness.account] {
                #expect(try await client.createShareToken(source: record).status == 201)
            }
            let foreign = try await client.createShareToken(source: ShareTokenHarness.strangerInquiry)
            #expect(foreign.status == 422)
            #expect(foreign.errorPointers == ["/data/attributes/source-id"])
            let unknown = try await client.createShareToken(source: "txn_unknown")
            #expect(unknown.errorPointers == ["/data/attributes/source-id"])
            let wrongPrefix = try await client.createShareToken(source: "usr_abc")
            #expect(wrongPrefix.status == 422)
            #expect(wrongPrefix.errorPointers == ["/data/attributes/source-id"])
        }
    }

    @Test("malformed bodies are 4xx JSON:API errors, never 500")
    func malformedBodies() async throws {
        try await Self.withSandbox { client in
            let cases: [(String, [String])] = [
                ("", ["/data"]),
                ("not json", []),
                ("[]", []),
                (#"{"data":{}}"#, ["/data/attributes"]),
                (#"{"data":{"attributes":{"source-id":"inq_source_alex"}}}"#, ["/data/attributes/connection-id"]),
                (#"{"data":{"attributes":{"connection-id":"cxn_source_destination"}}}"#, ["/data/attributes/source-id"]),
                (#"{"data":{"type":null,"attributes":{"connection-id":"cxn_source_destination","source-id":"inq_source_alex"}}}"#, ["/data/type"]),
                (#"{"data":{"attributes":{"connection-id":null,"source-id":"inq_source_alex"}}}"#, ["/data/attributes/connection-id"]),
            ]
            for (body, pointers) in cases {
                let answer = try await client.api("/api/v1/connect/share-tokens", method: .post, as: ShareTokenHarness.source, body: body)
                #expect((400..<500).contains(answer.status), "\(body): \(answer.status)")
                #expect(answer.isJSONAPIError, "\(body): \(answer.bodyText)")
                if !pointers.isEmpty { #expect(answer.errorPointers == pointers, "\(body): \(answer.bodyText)") }
            }
            var headers: HTTPFields = [.authorization: "Bearer source-key"]
            headers[.contentType] = "text/plain"
            let wrongType = try await client.send("/api/v1/connect/share-tokens", headers: headers, body: Array("x".utf8))
            #expect(wrongType.status == 415)
            #expect(wrongType.isJSONAPIError)
        }
    }

    @Test("a body without Content-Type is 415 on create and redeem, never guessed from its bytes; an empty redeem body needs none")
    func missingContentType() async throws {
        try await Self.withSandbox { client in
            let body = #"{"data":{"attributes":{"connection-id":"cxn_source_destination","source-id":"inq_source_alex"}}}"#
            for headers: HTTPFields in [[.authorization: "Bearer source-key"], [.authorization: "Bearer source-key", .contentType: ""]] {
                let create = try await client.send("/api/v1/connect/share-tokens", headers: headers, body: Array(body.utf8))
                #expect(create.status == 415, "body: \(create.bodyText)")
                #expect(create.isJSONAPIError)
            }
            let id = try #require(try await client.createShareToken().dataID)
            let redeemBody = #"{"data":{"attributes":{"destination-id":"inq_partner_copy"}}}"#
            let redeem = try await client.send(
                "/api/v1/connect/share-tokens/\(id)/redeem", headers: [.authorization: "Bearer destination-key"], body: Array(redeemBody.utf8))
            #expect(redeem.status == 415, "body: \(redeem.bodyText)")
            #expect(redeem.isJSONAPIError)
            let empty = try await client.send("/api/v1/connect/share-tokens/\(id)/redeem", headers: [.authorization: "Bearer destination-key"])
            #expect(empty.status == 200, "body: \(empty.bodyText)")
        }
    }
}
