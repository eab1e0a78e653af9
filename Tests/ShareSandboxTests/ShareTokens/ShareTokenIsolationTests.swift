import Foundation
import ShareModels
import ShareSandbox
import Testing

/// Organization isolation of share tokens: an organization that is neither the source nor the
/// destination of a share token learns nothing about it — not by id, list, event, record or
/// action — and gets the same answer as for a token that does not exist.
@Suite("Share tokens: organization B cannot read organization A's share tokens")
struct ShareTokenIsolationTests {
    static func withSandbox(_ test: @escaping @Sendable (SandboxTestClient) async throws -> Void) async throws {
        try await SandboxHarness.withSandbox(configuration: ShareTokenHarness.configuration(clock: ManualClock()), test)
    }

    @Test("a stranger organization cannot read, list, expire, redeem or follow the events of another's share token")
    func strangerLearnsNothing() async throws {
        try await Self.withSandbox { client in
            let stranger = ShareTokenHarness.stranger
            let id = try #require(try await client.createShareToken().dataID)
            let unknown = try await client.api("/api/v1/connect/share-tokens/cnst_doesnotexist", as: stranger)

            let read = try await client.api("/api/v1/connect/share-tokens/\(id)", as: stranger)
            #expect(read.status == 404)
            #expect(read.json["errors"] == unknown.json["errors"], "the same answer as for a token that does not exist")
            #expect(!read.bodyText.contains(ShareTokenHarness.inquiry))

            let list = try await client.api("/api/v1/connect/share-tokens", as: stranger)
            #expect(list.status == 200)
            #expect(!list.bodyText.contains(id))
            let filtered = try await client.api("/api/v1/connect/share-tokens?filter[connection-id]=\(ShareTokenHarness.connection)", as: stranger)
            #expect(!filtered.bodyText.contains(id))

            let events = try await client.api("/api/v1/events", as: stranger)
            #expect(!events.bodyText.contains(id))

            #expect(try await client.api("/api/v1/connect/share-tokens/\(id)/expire", method: .post, as: stranger).status == 404)
            #expect(try await client.redeemAndSettle(id, as: stranger).status == 404)
            // The source record is the source's alone.
            #expect(try await client.api("/api/v1/inquiries/\(ShareTokenHarness.inquiry)", as: stranger).status == 404)

            // None of it changed the token: the destination still redeems it.
            #expect(try await client.redeemAndSettle(id).status == 200)
        }
    }

    @Test("after redemption the copied record belongs to the destination only; the stranger and the source cannot read it")
    func redeemedCopyIsTheDestinations() async throws {
        try await Self.withSandbox { client in
            let id = try #require(try await client.createShareToken().dataID)
            let copy = try #require(try await client.redeemAndSettle(id).relationship("destination"))
            #expect(try await client.api("/api/v1/inquiries/\(copy)", as: ShareTokenHarness.destination).status == 200)
            #expect(try await client.api("/api/v1/inquiries/\(copy)", as: ShareTokenHarness.stranger).status == 404)
            #expect(try await client.api("/api/v1/inquiries/\(copy)", as: ShareTokenHarness.source).status == 404)
            let strangerRead = try await client.api("/api/v1/connect/share-tokens/\(id)", as: ShareTokenHarness.stranger)
            #expect(strangerRead.status == 404)
            #expect(!strangerRead.bodyText.contains(copy))
        }
    }

    @Test("one organization's API key is not accepted in place of another's, and a wrong key is 401")
    func keysAreNotInterchangeable() async throws {
        try await Self.withSandbox { client in
            let forged = ShareTokenSeed.Organization(id: ShareTokenHarness.source.id, apiKey: "source-key-guess")
            #expect(try await client.createShareToken(as: forged).status == 401)
            // The stranger's valid key cannot create on the source's connection.
            let byStranger = try await client.createShareToken(as: ShareTokenHarness.stranger)
            #expect(byStranger.status != 201)
        }
    }
}
