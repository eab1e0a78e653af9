import Foundation
import ShareClient
import ShareModels
import ShareSandbox
import Testing

/// Which answers deliver a webhook, slow receivers, secret rotation and parallel delivery, as
/// Persona documents them (https://docs.withpersona.com/webhooks,
/// https://docs.withpersona.com/webhooks-best-practices), through real HTTP deliveries.
@Suite("Share tokens: webhook delivery rules")
struct WebhookReliabilityTests {
    static func configuration(clock: ManualClock, seed: ShareTokenSeed) -> SandboxConfiguration {
        var configuration = ShareTokenHarness.configuration(clock: clock, seed: seed)
        configuration.webhookDelivery = WebhookDeliveryPolicy(
            maximumAttempts: 3, initialBackoff: .seconds(60), attemptTimeout: .seconds(5), pollInterval: .milliseconds(20))
        return configuration
    }

    /// Moves the clock past each retry's backoff until `receiver` has `count` requests (or the
    /// safety limit passes): a failure may be recorded a little after its attempt ends.
    static func advanceUntil(_ receiver: ScriptedWebhookReceiver, count: Int, clock: ManualClock, limit: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + limit
        while await receiver.deliveries.count < count, ContinuousClock.now < deadline {
            clock.advance(seconds: 61)
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    @Test("only 200, 201, 202 and 204 deliver: a 203 is a failed attempt that is retried", arguments: [203, 200, 201, 202, 204])
    func deliveredStatuses(status: Int) async throws {
        let receiver = ScriptedWebhookReceiver(script: [.init(status: status)])
        let clock = ManualClock()
        try await receiver.run { url in
            let configuration = Self.configuration(clock: clock, seed: ShareTokenHarness.seed(webhookURL: url))
            try await LiveAPI.withSandbox(configuration: configuration) { client, _ in
                #expect(try await client.createShareToken().status == 201)
                try await receiver.waitUntil { await $0.deliveries.count >= 1 }
                if status == 203 {
                    // The failure is recorded a little after its attempt ends, so on a busy host
                    // the first moves of the clock may come before the retry is scheduled.
                    try await Self.advanceUntil(receiver, count: 2, clock: clock)
                } else {
                    // A retry would be due one backoff after a failure: move past it a few times.
                    try await Task.sleep(for: .milliseconds(200))
                    for _ in 0..<3 {
                        clock.advance(seconds: 61)
                        try await Task.sleep(for: .milliseconds(200))
                    }
                }
                let deliveries = await receiver.deliveries
                if status == 203 {
                    // Retried once, answered 200 by default then: two requests, the same event.
                    #expect(deliveries.count == 2)
                    #expect(deliveries.first?.body == deliveries.last?.body)
                } else {
                    #expect(deliveries.count == 1)
                }
            }
        }
    }

    @Test("an answer slower than 5 seconds is a failed attempt, and the retry delivers")
    func slowReceiverIsRetried() async throws {
        let receiver = ScriptedWebhookReceiver(script: [.init(status: 200, delay: .seconds(6))])
        let clock = ManualClock()
        try await receiver.run { url in
            let configuration = Self.configuration(clock: clock, seed: ShareTokenHarness.seed(webhookURL: url))
            try await LiveAPI.withSandbox(configuration: configuration) { client, _ in
                #expect(try await client.createShareToken().status == 201)
                try await receiver.waitUntil { await $0.deliveries.count >= 1 }
                try await Self.advanceUntil(receiver, count: 2, clock: clock)
                let deliveries = await receiver.deliveries
                #expect(deliveries.count == 2)
                // The retry came only once the first attempt was given up, 5 seconds after it was sent
                // (before it arrived here: on a busy host, up to a second or more before).
                if deliveries.count == 2 { #expect(deliveries[1].arrivedAt - deliveries[0].arrivedAt >= .seconds(3)) }
                #expect(deliveries.first?.body == deliveries.last?.body)
                // It was answered at once: delivered, nothing more is sent.
                for _ in 0..<3 {
                    clock.advance(seconds: 3600)
                    try await Task.sleep(for: .milliseconds(200))
                }
                #expect(await receiver.deliveries.count == 2)
            }
        }
    }

    @Test("during a rotation each delivery carries two signatures, and WebhookVerifier accepts either secret")
    func rotation() async throws {
        let receiver = ScriptedWebhookReceiver()
        let clock = ManualClock()
        try await receiver.run { url in
            var seed = ShareTokenHarness.seed(webhookURL: url, webhookSecret: "whsec-new")
            seed.organizations = seed.organizations.map { organization in
                var organization = organization
                if organization.id == ShareTokenHarness.destination.id { organization.previousWebhookSecret = "whsec-old" }
                return organization
            }
            let configuration = Self.configuration(clock: clock, seed: seed)
            try await LiveAPI.withSandbox(configuration: configuration) { client, _ in
                #expect(try await client.createShareToken().status == 201)
                try await receiver.waitUntil { await $0.deliveries.count >= 1 }
                let delivery = try #require(await receiver.deliveries.first)
                let header = try #require(delivery.signature)
                let sets = header.split(separator: " ")
                #expect(sets.count == 2)
                let timestamp = Int(clock.now.timeIntervalSince1970)
                #expect(sets.allSatisfy { $0.hasPrefix("t=\(timestamp),v1=") })
                #expect(sets[0].hasSuffix(WebhookSignature.hexSignature(body: delivery.body, secret: "whsec-new", timestamp: timestamp)))
                #expect(sets[1].hasSuffix(WebhookSignature.hexSignature(body: delivery.body, secret: "whsec-old", timestamp: timestamp)))
                for secrets in [["whsec-new"], ["whsec-old"], ["whsec-new", "whsec-old"]] {
                    try WebhookVerifier(secrets: secrets).verify(body: delivery.body, signatureHeader: header, now: clock.now)
                }
                #expect(throws: WebhookVerificationError.self) {
                    try WebhookVerifier(secret: "whsec-other").verify(body: delivery.body, signatureHeader: header, now: clock.now)
                }
                #expect(throws: WebhookVerificationError.self) {
                    try WebhookVerifier(secrets: ["whsec-new", "whsec-old"]).verify(
                        body: delivery.body, signatureHeader: header, now: clock.now.addingTimeInterval(301))
                }
            }
        }
    }

    @Test("a slow receiver does not delay another organization's deliveries")
    func parallelOrganizations() async throws {
        let slow = ScriptedWebhookReceiver(fallback: .init(status: 200, delay: .seconds(4)))
        let fast = ScriptedWebhookReceiver()
        let clock = ManualClock()
        try await slow.run { slowURL in
            try await fast.run { fastURL in
                // The source's receiver is slow; the destination's answers at once.
                let seed = ShareTokenHarness.seed(webhookURL: fastURL, sourceWebhookURL: slowURL)
                try await LiveAPI.withSandbox(configuration: Self.configuration(clock: clock, seed: seed)) { client, _ in
                    for _ in 0..<3 { #expect(try await client.createShareToken().status == 201) }
                    // Every event exists now; the source's first attempt is already holding its receiver.
                    let created = ContinuousClock.now
                    try await fast.waitUntil { await $0.deliveries.count >= 3 }
                    let fastDeliveries = await fast.deliveries
                    #expect(fastDeliveries.count == 3)
                    let last = try #require(fastDeliveries.map(\.arrivedAt).max())
                    // Held behind the slow receiver, it would wait for its 4-second answers.
                    #expect(last - created < .seconds(3), "the fast receiver waited \(last - created)")
                    // The slow receiver takes its events one at a time, 4 seconds each: at most one
                    // more than the answers it could have given since its first arrived (creating
                    // the three tokens may itself take seconds on a busy host).
                    let slowDeliveries = await slow.deliveries
                    if let first = slowDeliveries.map(\.arrivedAt).min() {
                        let answered = Int((ContinuousClock.now - first) / .seconds(4))
                        #expect(slowDeliveries.count <= 1 + answered, "\(slowDeliveries.count) deliveries in \(ContinuousClock.now - first)")
                    }
                }
            }
        }
    }
}
