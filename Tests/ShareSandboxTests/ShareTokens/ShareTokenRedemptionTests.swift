import Foundation
import ShareModels
import ShareSandbox
import Testing

@Suite("Share tokens: redemption, expiry and reads")
struct ShareTokenRedemptionTests {
    static func withSandbox(
        clock: ManualClock = ManualClock(), _ test: @escaping @Sendable (SandboxTestClient) async throws -> Void
    ) async throws {
        try await SandboxHarness.withSandbox(configuration: ShareTokenHarness.configuration(clock: clock), test)
    }

    @Test("the destination redeems: status redeemed and the source record copied into a new record")
    func redeemCopiesRecord() async throws {
        try await Self.withSandbox { client in
            let id = try #require(try await client.createShareToken().dataID)
            let answer = try await client.redeemAndSettle(id)
            #expect(answer.status == 200)
            #expect(answer.attribute("status") == "redeemed")
            #expect(answer.attribute("direction") == "inbound")
            #expect(answer.attribute("redeemed-at") != nil)
            let copy = try #require(answer.relationship("destination"))
            #expect(copy.hasPrefix("inq_"))
            #expect(copy != ShareTokenHarness.inquiry)
            let record = try await client.api("/api/v1/inquiries/\(copy)", as: ShareTokenHarness.destination)
            #expect(record.status == 200)
            guard case .object(let data) = record["data"], case .object(let attributes) = data["attributes"] else {
                Issue.record("no record: \(record.bodyText)")
                return
            }
            for (key, value) in ShareTokenHarness.inquiryAttributes { #expect(attributes[key] == value) }
            #expect(attributes["share-token-id"] == .string(id))
            // The copy belongs to the destination only.
            #expect(try await client.api("/api/v1/inquiries/\(copy)", as: ShareTokenHarness.source).status == 404)
            // The source sees the redemption too, as outbound.
            let seen = try await client.api("/api/v1/connect/share-tokens/\(id)", as: ShareTokenHarness.source)
            #expect(seen.attribute("status") == "redeemed")
            #expect(seen.attribute("direction") == "outbound")
        }
    }

    @Test("redeeming into a given destination-id writes that record")
    func redeemIntoGivenRecord() async throws {
        try await Self.withSandbox { client in
            let id = try #require(try await client.createShareToken(source: ShareTokenHarness.account).dataID)
            let answer = try await client.redeemAndSettle(id, body: #"{"data":{"attributes":{"destination-id":"act_partner_copy"}}}"#)
            #expect(answer.relationship("destination") == "act_partner_copy")
            let record = try await client.api("/api/v1/accounts/act_partner_copy", as: ShareTokenHarness.destination)
            #expect(record.status == 200)
            // A destination of another kind, or one owned by someone else, is refused by field.
            let second = try #require(try await client.createShareToken(source: ShareTokenHarness.account).dataID)
            let wrongKind = try await client.redeemAndSettle(second, body: #"{"data":{"attributes":{"destination-id":"inq_partner_copy"}}}"#)
            #expect(wrongKind.status == 422)
            #expect(wrongKind.errorPointers == ["/data/attributes/destination-id"])
            let taken = try await client.redeemAndSettle(second, body: #"{"data":{"attributes":{"destination-id":"act_source_alex"}}}"#)
            #expect(taken.status == 422)
            #expect(taken.errorPointers == ["/data/attributes/destination-id"])
            #expect(try await client.redeemAndSettle(second).status == 200)
        }
    }

    @Test("the source, a stranger and a keyless caller cannot redeem, and learn nothing (404/401)")
    func wrongPartiesCannotRedeem() async throws {
        try await Self.withSandbox { client in
            let id = try #require(try await client.createShareToken().dataID)
            let bySource = try await client.redeemAndSettle(id, as: ShareTokenHarness.source)
            #expect(bySource.status == 404)
            #expect(bySource.isJSONAPIError)
            // The source can read its token, so the answer says who may redeem, not that it is unseen.
            #expect(bySource.bodyText.contains("only the destination organization of its connection redeems"), "\(bySource.bodyText)")
            let byStranger = try await client.redeemAndSettle(id, as: ShareTokenHarness.stranger)
            #expect(byStranger.status == 404)
            // The same answer as for a token that does not exist.
            let unknown = try await client.redeemAndSettle("cnst_doesnotexist", as: ShareTokenHarness.stranger)
            #expect(unknown.status == 404)
            #expect(unknown.json["errors"] == byStranger.json["errors"])
            #expect(try await client.api("/api/v1/connect/share-tokens/\(id)/redeem", method: .post, as: nil).status == 401)
            // The stranger cannot read it either; it is still redeemable by the destination.
            #expect(try await client.api("/api/v1/connect/share-tokens/\(id)", as: ShareTokenHarness.stranger).status == 404)
            #expect(try await client.redeemAndSettle(id).status == 200)
        }
    }

    @Test("a share token is redeemed once; the second redemption is 409")
    func doubleRedemption() async throws {
        try await Self.withSandbox { client in
            let id = try #require(try await client.createShareToken().dataID)
            let first = try await client.redeemAndSettle(id)
            #expect(first.status == 200)
            let second = try await client.redeemAndSettle(id)
            #expect(second.status == 409)
            #expect(second.isJSONAPIError)
            let after = try await client.api("/api/v1/connect/share-tokens/\(id)", as: ShareTokenHarness.destination)
            #expect(after.relationship("destination") == first.relationship("destination"))
        }
    }

    @Test("concurrent redemptions: exactly one wins")
    func concurrentRedemption() async throws {
        try await Self.withSandbox { client in
            let id = try #require(try await client.createShareToken().dataID)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<6 { group.addTask { try await client.redeemAndSettle(id).status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 1)
            #expect(statuses.filter { $0 == 409 }.count == 5)
        }
    }

    @Test("past its TTL a share token reads as expired and cannot be redeemed, with no sweeper")
    func expiryAtReadAndRedeem() async throws {
        let clock = ManualClock()
        try await Self.withSandbox(clock: clock) { client in
            let id = try #require(try await client.createShareToken(expiresIn: "60").dataID)
            clock.advance(seconds: 59)
            #expect(try await client.api("/api/v1/connect/share-tokens/\(id)", as: ShareTokenHarness.destination).attribute("status") == "created")
            clock.advance(seconds: 1)
            let read = try await client.api("/api/v1/connect/share-tokens/\(id)", as: ShareTokenHarness.destination)
            #expect(read.attribute("status") == "expired")
            let redeem = try await client.redeemAndSettle(id)
            #expect(redeem.status == 410)
            #expect(redeem.isJSONAPIError)
            let listed = try await client.api("/api/v1/connect/share-tokens?filter%5Bstatus%5D=expired", as: ShareTokenHarness.source)
            #expect(listed.listedIDs == [id])
            let created = try await client.api("/api/v1/connect/share-tokens?filter%5Bstatus%5D=created", as: ShareTokenHarness.source)
            #expect(created.listedIDs.isEmpty)
        }
    }

    @Test("the source expires a share token; the destination cannot redeem or expire it")
    func expireBySource() async throws {
        try await Self.withSandbox { client in
            let id = try #require(try await client.createShareToken().dataID)
            let byDestination = try await client.api("/api/v1/connect/share-tokens/\(id)/expire", method: .post, as: ShareTokenHarness.destination)
            #expect(byDestination.status == 403)
            let byStranger = try await client.api("/api/v1/connect/share-tokens/\(id)/expire", method: .post, as: ShareTokenHarness.stranger)
            #expect(byStranger.status == 404)
            let expired = try await client.api("/api/v1/connect/share-tokens/\(id)/expire", method: .post, as: ShareTokenHarness.source)
            #expect(expired.status == 200)
            #expect(expired.attribute("status") == "expired")
            #expect(try await client.redeemAndSettle(id).status == 410)
            // Expiring again changes nothing.
            #expect(try await client.api("/api/v1/connect/share-tokens/\(id)/expire", method: .post, as: ShareTokenHarness.source).status == 200)
            // A redeemed token cannot be expired.
            let other = try #require(try await client.createShareToken().dataID)
            _ = try await client.redeemAndSettle(other)
            #expect(try await client.api("/api/v1/connect/share-tokens/\(other)/expire", method: .post, as: ShareTokenHarness.source).status == 409)
        }
    }

    @Test("peek-source-data=true is accepted; a sandbox organization has no source-data peek capability, so no source-data comes back")
    func peekSourceData() async throws {
        try await Self.withSandbox { client in
            let id = try #require(try await client.createShareToken().dataID)
            let read = try await client.api("/api/v1/connect/share-tokens/\(id)?peek-source-data=true", as: ShareTokenHarness.destination)
            #expect(read.status == 200)
            #expect(read.attribute("status") == "created")
            guard case .object(let data) = read["data"], case .object(let attributes) = data["attributes"] else {
                Issue.record("no share token: \(read.bodyText)")
                return
            }
            #expect(attributes["source-data"] == nil)
            let listed = try await client.api("/api/v1/connect/share-tokens?peek-source-data=true", as: ShareTokenHarness.destination)
            #expect(listed.status == 200)
            #expect(listed.listedIDs == [id])
        }
    }

    @Test("unknown and malformed ids are 404 in the JSON:API shape")
    func unknownIDs() async throws {
        try await Self.withSandbox { client in
            for path in ["/api/v1/connect/share-tokens/cnst_missing", "/api/v1/connect/share-tokens/not-an-id", "/api/v1/inquiries/txn_x"] {
                let answer = try await client.api(path, as: ShareTokenHarness.source)
                #expect(answer.status == 404)
                #expect(answer.isJSONAPIError)
            }
        }
    }
}
