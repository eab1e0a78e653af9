import Foundation
import ShareModels
import ShareSandbox
import Testing

/// Persona's share-token resource: relationships instead of id attributes, the attributes Persona
/// shows (null until reached), `include` and sparse fieldsets, through the real HTTP server.
@Suite("Share tokens: relationships, include and fields")
struct ShareTokenRelationshipTests {
    static func withSandbox(_ test: @escaping @Sendable (SandboxTestClient) async throws -> Void) async throws {
        try await SandboxHarness.withSandbox(configuration: ShareTokenHarness.configuration(clock: ManualClock()), live: true, test)
    }

    @Test("answers carry connection, creator and source relationships, and no id attributes")
    func relationshipsReplaceIDAttributes() async throws {
        try await Self.withSandbox { client in
            let created = try await client.createShareToken()
            #expect(created.status == 201)
            #expect(created.relationship("connection") == ShareTokenHarness.connection)
            #expect(created.relationshipType("connection") == "connect/connection")
            #expect(created.relationship("source") == ShareTokenHarness.inquiry)
            #expect(created.relationshipType("source") == "inquiry")
            #expect(created.relationshipType("creator") == "api-key")
            #expect(created.relationship("creator")?.hasPrefix("api_") == true)
            #expect(created.relationship("destination") == nil)
            for gone in ["connection-id", "source-id", "destination-id"] { #expect(!created.attributeNames.contains(gone)) }
            // Persona's attributes, null until reached.
            for present in ["status", "created-at", "updated-at", "expires-at"] { #expect(created.attribute(present) != nil) }
            for null in ["pending-at", "redeemed-at", "failed-at", "failure-reason"] { #expect(created.rawAttribute(null) == .null) }
            // The same shape on a read and in a listing.
            let id = try #require(created.dataID)
            let read = try await client.api("/api/v1/connect/share-tokens/\(id)", as: ShareTokenHarness.destination)
            #expect(read.relationship("source") == ShareTokenHarness.inquiry)
            #expect(read.attribute("direction") == "inbound")
        }
    }

    @Test("the destination relationship appears once the redemption has finished")
    func destinationOnceRedeemed() async throws {
        try await Self.withSandbox { client in
            let id = try #require(try await client.createShareToken(source: ShareTokenHarness.transaction).dataID)
            let pending = try await client.redeem(id, body: #"{"data":{"attributes":{"destination-id":"txn_bank_copy"}}}"#)
            #expect(pending.relationship("destination") == nil)
            let redeemed = try await client.settled(id)
            #expect(redeemed.attribute("status") == "redeemed")
            #expect(redeemed.relationship("destination") == "txn_bank_copy")
            #expect(redeemed.relationshipType("destination") == "transaction")
            #expect(redeemed.relationshipType("source") == "transaction")
        }
    }

    @Test("include puts the related resources the caller may read in included")
    func includeRelatedResources() async throws {
        try await Self.withSandbox { client in
            let id = try #require(try await client.createShareToken().dataID)
            let outbound = try await client.api(
                "/api/v1/connect/share-tokens/\(id)?include=connection,source", as: ShareTokenHarness.source)
            #expect(outbound.status == 200)
            #expect(Set(outbound.includedResources) == ["connect/connection \(ShareTokenHarness.connection)", "inquiry \(ShareTokenHarness.inquiry)"])
            // The destination does not own the source record: only the connection is included.
            let inbound = try await client.api(
                "/api/v1/connect/share-tokens/\(id)?include=connection,source,destination,creator", as: ShareTokenHarness.destination)
            #expect(inbound.includedResources == ["connect/connection \(ShareTokenHarness.connection)"])
            // Once redeemed, the destination record is the destination's to include.
            let redeemed = try await client.redeemAndSettle(id)
            let copy = try #require(redeemed.relationship("destination"))
            let withCopy = try await client.api("/api/v1/connect/share-tokens/\(id)?include=destination", as: ShareTokenHarness.destination)
            #expect(withCopy.includedResources == ["inquiry \(copy)"])
            // Listings include too, each resource once.
            let listing = try await client.api("/api/v1/connect/share-tokens?include=connection", as: ShareTokenHarness.source)
            #expect(listing.includedResources == ["connect/connection \(ShareTokenHarness.connection)"])
            // Without include there is no included member.
            #expect(try await client.api("/api/v1/connect/share-tokens/\(id)", as: ShareTokenHarness.source).json["included"] == nil)
        }
    }

    @Test("an unknown include path is 400 naming the include parameter")
    func unknownIncludeRefused() async throws {
        try await Self.withSandbox { client in
            let id = try #require(try await client.createShareToken().dataID)
            for path in ["/api/v1/connect/share-tokens/\(id)?include=owner", "/api/v1/connect/share-tokens?include=source,nothing"] {
                let answer = try await client.api(path, as: ShareTokenHarness.source)
                #expect(answer.status == 400)
                #expect(answer.isJSONAPIError)
                #expect(answer.errorPointers == ["include"])
            }
            let create = try await client.api(
                "/api/v1/connect/share-tokens?include=owner", method: .post, as: ShareTokenHarness.source,
                body: #"{"data":{"attributes":{"connection-id":"\#(ShareTokenHarness.connection)","source-id":"\#(ShareTokenHarness.inquiry)"}}}"#)
            #expect(create.status == 400)
            // Nothing was created by the refused request.
            let listing = try await client.api("/api/v1/connect/share-tokens", as: ShareTokenHarness.source)
            #expect(listing.listedIDs == [id])
        }
    }

    @Test("fields[connect/share-token] keeps only the named attributes and relationships")
    func sparseFieldsets() async throws {
        try await Self.withSandbox { client in
            let id = try #require(try await client.createShareToken().dataID)
            let answer = try await client.api(
                "/api/v1/connect/share-tokens/\(id)?fields%5Bconnect%2Fshare-token%5D=status,expires-at,source&include=connection"
                    + "&fields%5Bconnect%2Fconnection%5D=status",
                as: ShareTokenHarness.source)
            #expect(answer.status == 200)
            #expect(answer.attributeNames == ["status", "expires-at"])
            #expect(answer.relationship("source") == ShareTokenHarness.inquiry)
            #expect(answer.relationship("connection") == nil)
            guard case .array(let included) = answer.json["included"], case .object(let connection) = included.first,
                case .object(let attributes) = connection["attributes"]
            else {
                Issue.record("no included connection: \(answer.bodyText)")
                return
            }
            #expect(Set(attributes.keys) == ["status"])
        }
    }
}
