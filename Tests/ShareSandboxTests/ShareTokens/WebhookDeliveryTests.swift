import Foundation
import ShareClient
import ShareModels
import ShareSandbox
import Testing

@Suite("Share tokens: signed webhook deliveries")
struct WebhookDeliveryTests {
    static let secret = "whsec-destination"

    @Test("lifecycle events reach the destination's webhook, signed so that WebhookVerifier accepts them")
    func signedDeliveries() async throws {
        let receiver = WebhookReceiver()
        let clock = ManualClock()
        try await receiver.run { url in
            let configuration = ShareTokenHarness.configuration(clock: clock, seed: ShareTokenHarness.seed(webhookURL: url))
            try await SandboxHarness.withSandbox(configuration: configuration) { client in
                let id = try #require(try await client.createShareToken().dataID)
                #expect(try await client.redeemAndSettle(id).status == 200)
                try await receiver.waitUntil { await $0.deliveries.count >= 2 }
                let deliveries = await receiver.deliveries
                #expect(deliveries.count == 2)

                let verifier = WebhookVerifier(secret: Self.secret)
                var names: [EventName] = []
                for delivery in deliveries {
                    #expect(delivery.contentType == "application/json")
                    let header = try #require(delivery.signature)
                    #expect(header.hasPrefix("t=\(Int(clock.now.timeIntervalSince1970)),v1="))
                    // Persona's attempt headers: the first of the harness's three attempts, made now.
                    #expect(delivery.attemptsMade == "1")
                    #expect(delivery.attemptsLeft == "2")
                    #expect(delivery.firstAttemptedAt == String(Int(clock.now.timeIntervalSince1970)))
                    let event = try verifier.event(body: delivery.body, signatureHeader: header, now: clock.now)
                    #expect(event.id.rawValue.hasPrefix("evt_"))
                    #expect(event.shareToken.id.rawValue == id)
                    #expect(event.shareToken.direction == .inbound)
                    names.append(event.name)
                    // The body is exactly {"data":{"type":"event","id":…,"attributes":{name, created-at, payload:{data: token}}}}.
                    let json = try JSONSerialization.jsonObject(with: Data(delivery.body)) as? [String: Any]
                    let data = try #require(json?["data"] as? [String: Any])
                    #expect(Set(json?.keys.map { $0 } ?? []) == ["data"])
                    #expect(data["type"] as? String == "event")
                    let attributes = try #require(data["attributes"] as? [String: Any])
                    #expect(Set(attributes.keys) == ["name", "created-at", "payload"])
                    let payload = try #require(attributes["payload"] as? [String: Any])
                    #expect((payload["data"] as? [String: Any])?["type"] as? String == "connect/share-token")

                    // Another secret, a changed body or an old timestamp is refused.
                    #expect(throws: WebhookVerificationError.self) {
                        try WebhookVerifier(secret: "someone-else").verify(body: delivery.body, signatureHeader: header, now: clock.now)
                    }
                    #expect(throws: WebhookVerificationError.self) {
                        try verifier.verify(body: delivery.body + [0x20], signatureHeader: header, now: clock.now)
                    }
                    #expect(throws: WebhookVerificationError.self) {
                        try verifier.verify(body: delivery.body, signatureHeader: header, now: clock.now.addingTimeInterval(301))
                    }
                }
                #expect(Set(names) == [.inboundCreated, .inboundRedeemed])
                // The delivered events are the listed ones.
                let listed = try await client.api("/api/v1/events", as: ShareTokenHarness.destination)
                let delivered = try deliveries.map { try verifier.event(body: $0.body, signatureHeader: $0.signature, now: clock.now).id.rawValue }
                #expect(Set(listed.listedIDs) == Set(delivered))
            }
        }
    }

    @Test("a delivery refused while the receiver is down is retried after the backoff, and then verifies")
    func redeliveryAfterDowntime() async throws {
        let receiver = WebhookReceiver()
        let clock = ManualClock()
        try await receiver.run { url in
            await receiver.setDown(true)
            let configuration = ShareTokenHarness.configuration(clock: clock, seed: ShareTokenHarness.seed(webhookURL: url))
            try await SandboxHarness.withSandbox(configuration: configuration) { client in
                // The API answers at once, whatever the webhook does.
                let created = try await client.createShareToken()
                #expect(created.status == 201)
                try await receiver.waitUntil { await $0.refusedCount >= 1 }
                #expect(await receiver.refusedCount == 1)
                await receiver.setDown(false)
                // The retry is due one backoff (60 s in these tests) after the failure was
                // recorded; the clock moves on until it is (the failure may be recorded after a
                // first move).
                let deadline = ContinuousClock.now + .seconds(20)
                while await receiver.deliveries.isEmpty, ContinuousClock.now < deadline {
                    clock.advance(seconds: 61)
                    try await receiver.waitUntil(limit: .milliseconds(300)) { await $0.deliveries.count >= 1 }
                }
                let delivery = try #require(await receiver.deliveries.first)
                let event = try WebhookVerifier(secret: Self.secret).event(body: delivery.body, signatureHeader: delivery.signature, now: clock.now)
                #expect(event.name == .inboundCreated)
                #expect(event.shareToken.id.rawValue == created.dataID)
                #expect(await receiver.deliveries.count == 1)
            }
        }
    }

    @Test("retries are bounded: after the last attempt the delivery is failed and left alone")
    func boundedRetries() async throws {
        let receiver = WebhookReceiver()
        let clock = ManualClock()
        try await receiver.run { url in
            await receiver.setDown(true)
            let configuration = ShareTokenHarness.configuration(clock: clock, seed: ShareTokenHarness.seed(webhookURL: url))
            let services = try await SandboxServices(configuration: configuration)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await services.webhookDelivery.run() }
                defer { group.cancelAll() }
                let token = try await services.shareTokens.create(
                    ShareTokenCreateAttributes(connectionID: try ConnectionID(ShareTokenHarness.connection), sourceID: try SourceID(ShareTokenHarness.inquiry)),
                    by: try OrganizationID(ShareTokenHarness.source.id))
                let destination = try OrganizationID(ShareTokenHarness.destination.id)
                let eventID = try #require(try await services.store.events(of: destination, after: nil, limit: 1).first?.id)
                #expect(token.status == .created)
                // maximumAttempts is 3; backoff 60 s, then 120 s.
                try await Self.waitForAttempts(services, eventID, 1)
                clock.advance(seconds: 61)
                try await Self.waitForAttempts(services, eventID, 2)
                clock.advance(seconds: 121)
                try await Self.waitForAttempts(services, eventID, 3)
                clock.advance(seconds: 100_000)
                let final = try #require(try await services.store.event(id: eventID)?.delivery)
                #expect(final.state == .failed)
                #expect(final.attempts == 3)
                #expect(final.lastError == "HTTP 503")
                #expect(await receiver.refusedCount == 3)
                // Each attempt says which it is and how many may follow; all name the first
                // attempt's time, which the store keeps between them.
                let attempts = await receiver.attempts
                #expect(attempts.map(\.attemptsMade) == ["1", "2", "3"])
                #expect(attempts.map(\.attemptsLeft) == ["2", "1", "0"])
                let first = try #require(final.firstAttemptAt)
                #expect(attempts.map(\.firstAttemptedAt) == Array(repeating: String(Int(first.timeIntervalSince1970)), count: 3))
                #expect(first < clock.now.addingTimeInterval(-180), "the first attempt was made before the two backoffs")
            }
        }
    }

    static func waitForAttempts(_ services: SandboxServices, _ id: EventID, _ attempts: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let delivery = try await services.store.event(id: id)?.delivery, delivery.attempts >= attempts { return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test("the backoff grows by the multiplier and stops at the maximum")
    func backoffSchedule() {
        let policy = WebhookDeliveryPolicy(initialBackoff: .seconds(10), backoffMultiplier: 2, maximumBackoff: .seconds(60))
        #expect((1...5).map { policy.backoff(afterAttempt: $0) } == [10, 20, 40, 60, 60])
    }

    @Test("an organization's backlog is delivered back to back, not one event per poll")
    func backlogBackToBack() async throws {
        // The first answer takes 3 s, so the whole backlog exists before the first delivery is
        // answered even when a loaded host creates the six slowly: what is measured is the chain
        // of deliveries, not the creations (each of which wakes the loop as well). Delivered one
        // per poll, the six would take 150 s; back to back they take 3 s and five short cycles,
        // which a CI host loaded by other builds stretched to 10.7 s once (with a 10 s poll).
        let receiver = ScriptedWebhookReceiver(script: [.init(status: 200, delay: .seconds(3))])
        try await receiver.run { url in
            var configuration = ShareTokenHarness.configuration(clock: ManualClock(), seed: ShareTokenHarness.seed(webhookURL: url))
            configuration.webhookDelivery.pollInterval = .seconds(30)
            let poll = configuration.webhookDelivery.pollInterval
            try await SandboxHarness.withSandbox(configuration: configuration) { client in
                for _ in 0..<6 { #expect(try await client.createShareToken().status == 201) }
                try await receiver.waitUntil(limit: .seconds(90)) { await $0.deliveries.count >= 6 }
                let arrivals = await receiver.deliveries.map(\.arrivedAt)
                #expect(arrivals.count == 6)
                // One poll finds the six; each next one goes as soon as the previous is answered.
                let span = try #require(arrivals.last) - (try #require(arrivals.first))
                #expect(span < poll, "\(span)")
            }
        }
    }

    @Test("a stored event is delivered at once, not at the next poll")
    func newEventWakesDelivery() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { url in
            var configuration = ShareTokenHarness.configuration(clock: ManualClock(), seed: ShareTokenHarness.seed(webhookURL: url))
            configuration.webhookDelivery.pollInterval = .seconds(120)
            try await SandboxHarness.withSandbox(configuration: configuration) { client in
                // The loop's first look, at start, found nothing; the next poll is two minutes away.
                try await Task.sleep(for: .milliseconds(500))
                let created = ContinuousClock.now
                #expect(try await client.createShareToken().status == 201)
                try await receiver.waitUntil(limit: .seconds(60)) { await $0.deliveries.count >= 1 }
                #expect(await receiver.deliveries.count == 1)
                #expect(ContinuousClock.now - created < .seconds(60))
            }
        }
    }

    @Test("a claim's lease is the attempt timeout plus as long again, at least 5 seconds more")
    func claimLease() {
        #expect(WebhookDeliveryPolicy().claimLease == .seconds(10))
        #expect(WebhookDeliveryPolicy(attemptTimeout: .seconds(2)).claimLease == .seconds(7))
        #expect(WebhookDeliveryPolicy(attemptTimeout: .seconds(30)).claimLease == .seconds(60))
    }

    @Test("an organization without a webhook gets no delivery attempts, only listed events")
    func noWebhookNoDelivery() async throws {
        let configuration = ShareTokenHarness.configuration(clock: ManualClock())
        let services = try await SandboxServices(configuration: configuration)
        _ = try await services.shareTokens.create(
            ShareTokenCreateAttributes(connectionID: try ConnectionID(ShareTokenHarness.connection), sourceID: try SourceID(ShareTokenHarness.inquiry)),
            by: try OrganizationID(ShareTokenHarness.source.id))
        let events = try await services.store.events(of: try OrganizationID(ShareTokenHarness.destination.id), after: nil, limit: 10)
        #expect(events.map(\.delivery.state) == [.notRequested])
        #expect(try await services.store.dueDeliveries(at: Date.distantFuture, limit: 10).isEmpty)
    }
}
