import Foundation
import ShareClient
import ShareModels
import ShareSandbox
import Testing

@Suite("Share tokens: persistence in SQLite")
struct ShareTokenPersistenceTests {
    final class Box: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [String: String] = [:]
        subscript(key: String) -> String? {
            get { lock.withLock { values[key] } }
            set { lock.withLock { values[key] = newValue } }
        }
    }

    @Test("share tokens, redeemed records and events survive a restart")
    func survivesRestart() async throws {
        let folder = try PersistenceTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("sandbox.sqlite").path
        let clock = ManualClock()
        let configuration = ShareTokenHarness.configuration(clock: clock, storage: .sqlite(path: path))
        let saved = Box()
        try await SandboxHarness.withSandbox(configuration: configuration) { client in
            let open = try #require(try await client.createShareToken(expiresIn: "3600").dataID)
            let redeemed = try #require(try await client.createShareToken(source: ShareTokenHarness.transaction).dataID)
            let answer = try await client.redeemAndSettle(redeemed)
            saved["open"] = open
            saved["redeemed"] = redeemed
            saved["copy"] = answer.relationship("destination")
        }
        try await SandboxHarness.withSandbox(configuration: configuration) { client in
            let open = try #require(saved["open"])
            let redeemed = try #require(saved["redeemed"])
            let listed = try await client.api("/api/v1/connect/share-tokens", as: ShareTokenHarness.destination)
            #expect(listed.listedIDs == [redeemed, open])
            #expect(try await client.api("/api/v1/connect/share-tokens/\(open)", as: ShareTokenHarness.source).attribute("status") == "created")
            // Still single-use after the restart.
            #expect(try await client.redeemAndSettle(redeemed).status == 409)
            #expect(try await client.api("/api/v1/transactions/\(try #require(saved["copy"]))", as: ShareTokenHarness.destination).status == 200)
            #expect(try await client.api("/api/v1/events", as: ShareTokenHarness.destination).listedIDs.count == 3)
            #expect(try await client.redeemAndSettle(open).status == 200)
            // And expiry still applies to what was stored.
            let short = try #require(try await client.createShareToken(expiresIn: "60").dataID)
            saved["short"] = short
        }
        clock.advance(seconds: 61)
        try await SandboxHarness.withSandbox(configuration: configuration) { client in
            let short = try #require(saved["short"])
            #expect(try await client.api("/api/v1/connect/share-tokens/\(short)", as: ShareTokenHarness.destination).attribute("status") == "expired")
            #expect(try await client.redeemAndSettle(short).status == 410)
        }
    }

    @Test("an event not yet delivered when the sandbox stops is delivered after it restarts")
    func pendingDeliverySurvivesRestart() async throws {
        let folder = try PersistenceTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("sandbox.sqlite").path
        let clock = ManualClock()
        let saved = Box()
        // First run: the webhook's host refuses connections (nothing listens on port 9 here).
        let unreachable = ShareTokenHarness.configuration(
            clock: clock, seed: ShareTokenHarness.seed(webhookURL: "http://127.0.0.1:9/hook"), storage: .sqlite(path: path))
        try await SandboxHarness.withSandbox(configuration: unreachable) { client in
            saved["token"] = try await client.createShareToken().dataID
        }
        // Second run, a day later: the same database, the receiver now up.
        clock.advance(seconds: 86_400)
        let receiver = WebhookReceiver()
        try await receiver.run { url in
            let reachable = ShareTokenHarness.configuration(
                clock: clock, seed: ShareTokenHarness.seed(webhookURL: url), storage: .sqlite(path: path))
            try await SandboxHarness.withSandbox(configuration: reachable) { _ in
                try await receiver.waitUntil { await $0.deliveries.count >= 1 }
            }
            let delivery = try #require(await receiver.deliveries.first)
            let event = try WebhookVerifier(secret: "whsec-destination").event(
                body: delivery.body, signatureHeader: delivery.signature, now: clock.now)
            #expect(event.name == .inboundCreated)
            #expect(event.shareToken.id.rawValue == saved["token"])
            #expect(await receiver.deliveries.count == 1)
        }
    }

    @Test("a redemption still pending when the sandbox stops is finished when it starts again")
    func pendingRedemptionFinishesAtRestart() async throws {
        let folder = try PersistenceTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("sandbox.sqlite").path
        let clock = ManualClock()
        let saved = Box()
        // First run: the import would take a minute; the sandbox stops long before.
        let slow = ShareTokenHarness.configuration(clock: clock, storage: .sqlite(path: path), redemptionDelay: .seconds(60))
        try await SandboxHarness.withSandbox(configuration: slow) { client in
            let id = try #require(try await client.createShareToken().dataID)
            saved["token"] = id
            let answer = try await client.redeem(id, body: #"{"data":{"attributes":{"destination-id":"inq_bank_restart"}}}"#)
            #expect(answer.attribute("status") == "pending")
            #expect(try await client.api("/api/v1/inquiries/inq_bank_restart", as: ShareTokenHarness.destination).status == 404)
        }
        clock.advance(seconds: 5)
        // Second run: finished at start, with its record and its events.
        try await SandboxHarness.withSandbox(configuration: ShareTokenHarness.configuration(clock: clock, storage: .sqlite(path: path))) { client in
            let id = try #require(saved["token"])
            let token = try await client.api("/api/v1/connect/share-tokens/\(id)", as: ShareTokenHarness.destination)
            #expect(token.attribute("status") == "redeemed")
            #expect(token.relationship("destination") == "inq_bank_restart")
            #expect(token.attribute("pending-at") != token.attribute("redeemed-at"))
            #expect(try await client.api("/api/v1/inquiries/inq_bank_restart", as: ShareTokenHarness.destination).status == 200)
            let events = try await client.api("/api/v1/events", as: ShareTokenHarness.destination)
            #expect(AsyncRedemptionTests.eventNames(events).first == "connect/share-token.inbound-redeemed")
        }
    }
}
