import Foundation
import ShareSandbox
import Testing

@Suite("share-token persistence", .serialized)
struct ShareTokenPersistenceTests {
    @Test("share tokens, redemptions and undelivered events survive a restart with SQLite")
    func survivesRestart() async throws {
        let folder = try PersistenceTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("sandbox.sqlite").path
        let port = try await WebhookReceiver.unusedPort()
        let clock = ManualClock(Date())
        var configuration = ShareTokenFixture.configuration(
            clock: clock, webhookURL: "http://127.0.0.1:\(port)/hooks",
            policy: .init(requestTimeout: .seconds(2), pollInterval: .milliseconds(20)))
        configuration.storage = .sqlite(path: path)

        let saved = TokenBox()
        try await SandboxHarness.withSandbox(configuration: configuration) { client in
            let pending = try #require(try await client.createShareToken().dataString("id"))
            let redeemed = try #require(try await client.createShareToken().dataString("id"))
            let answer = try await client.api("/api/v1/connect/share-tokens/\(redeemed)/redeem", method: .post, key: ShareTokenFixture.bankKey)
            #expect(answer.status == 200)
            saved.set(["pending": pending, "redeemed": redeemed])
            // Give the deliverer time to fail against the closed port at least once.
            try await Task.sleep(for: .milliseconds(200))
        }
        let ids = saved.get()
        let receiver = WebhookReceiver()
        try await receiver.start(port: port)
        try await SandboxHarness.withSandbox(configuration: configuration) { client in
            let pending = try await client.api("/api/v1/connect/share-tokens/\(ids["pending"]!)", key: ShareTokenFixture.bankKey)
            #expect(pending.dataString("status") == "created")
            let redeemAgain = try await client.api(
                "/api/v1/connect/share-tokens/\(ids["redeemed"]!)/redeem", method: .post, key: ShareTokenFixture.bankKey)
            #expect(redeemAgain.status == 409)
            clock.advance(seconds: 120)
            // The lender's three events (two created, one redeemed) reach it after the restart.
            let deliveries = try await receiver.waitFor(count: 3)
            #expect(deliveries.count == 3)
            #expect(deliveries.allSatisfy { WebhookDeliveryTests.verify($0, secret: "whsec-lender") })
        }
        await receiver.stop()
        let bytes = PersistenceTests.databaseBytes(path)
        for secret in [ShareTokenFixture.lenderKey, ShareTokenFixture.bankKey, "whsec-lender"] {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) is in the database file")
        }
    }
}
