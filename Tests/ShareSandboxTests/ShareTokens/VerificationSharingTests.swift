import Foundation
import ShareModels
import ShareSandbox
import Testing

/// Verifications (`ver_…`) can be shared, in clone mode only
/// (https://docs.withpersona.com/api-reference/connect/share-tokens/redeem-share-token).
@Suite("Share tokens: verifications and redemption modes")
struct VerificationSharingTests {
    static func withSandbox(_ test: @escaping @Sendable (SandboxTestClient) async throws -> Void) async throws {
        let configuration = ShareTokenHarness.configuration(clock: ManualClock(), redemptionDelay: .milliseconds(50))
        try await SandboxHarness.withSandbox(configuration: configuration, live: true, test)
    }

    @Test("a verification is shared and cloned into a new ver_ record of the destination")
    func verificationIsCloned() async throws {
        try await Self.withSandbox { client in
            let created = try await client.createShareToken(source: ShareTokenHarness.verification)
            #expect(created.status == 201)
            #expect(created.relationshipType("source") == "verification")
            let id = try #require(created.dataID)
            let redeemed = try await client.redeemAndSettle(id)
            #expect(redeemed.attribute("status") == "redeemed")
            let copy = try #require(redeemed.relationship("destination"))
            #expect(copy.hasPrefix("ver_"))
            let record = try await client.api("/api/v1/verifications/\(copy)", as: ShareTokenHarness.destination)
            #expect(record.status == 200)
            #expect(record.attribute("status") == "passed")
            #expect(try await client.api("/api/v1/verifications/\(copy)", as: ShareTokenHarness.source).status == 404)
            #expect(try await client.api("/api/v1/verifications/\(ShareTokenHarness.verification)", as: ShareTokenHarness.source).status == 200)
        }
    }

    @Test("a verification cannot be hydrated into a given destination (422 naming destination-id)")
    func verificationCannotBeHydrated() async throws {
        try await Self.withSandbox { client in
            let id = try #require(try await client.createShareToken(source: ShareTokenHarness.verification).dataID)
            let answer = try await client.redeem(id, body: #"{"data":{"attributes":{"destination-id":"ver_bank_copy"}}}"#)
            #expect(answer.status == 422)
            #expect(answer.errorPointers == ["/data/attributes/destination-id"])
            // The token is untouched and can still be cloned.
            #expect(try await client.redeemAndSettle(id).attribute("status") == "redeemed")
        }
    }
}
