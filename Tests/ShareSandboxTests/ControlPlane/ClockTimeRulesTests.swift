import Foundation
import HTTPTypes
import ShareModels
import ShareSandbox
import Testing

/// One rule of the sandbox that reads time, checked through the real HTTP server: the rule still
/// holds one step before its boundary once the control plane moved the clock there, and has
/// turned once the clock moved past it. The base clock never moves: only the control plane does.
struct TimeRule: Sendable, CustomTestStringConvertible {
    let name: String
    /// Adjusts the sandbox's configuration (the receiver's URL, when it needs one).
    var configure: @Sendable (inout SandboxConfiguration, _ webhookURL: String) -> Void = { _, _ in }
    let check: @Sendable (_ client: SandboxTestClient, _ receiver: WebhookReceiver) async throws -> Void

    var testDescription: String { name }

    static let all: [TimeRule] = [
        TimeRule(name: "access token expiry") { client, _ in
            // The harness's access tokens live 900 seconds.
            let token = try #require(try await client.clientCredentials(SandboxHarness.lender).string("access_token"))
            try await client.advanceClock(899)
            #expect(try await client.isActive(SandboxHarness.lender, token))
            try await client.advanceClock(2)
            #expect(try await !client.isActive(SandboxHarness.lender, token))
        },
        TimeRule(name: "refresh token expiry") { client, _ in
            // The harness's refresh tokens live 3600 seconds.
            let refresh = try #require(try await client.clientCredentials(SandboxHarness.lender).string("refresh_token"))
            try await client.advanceClock(3599)
            #expect(try await client.isActive(SandboxHarness.lender, refresh))
            try await client.advanceClock(2)
            let answer = try await client.refresh(SandboxHarness.lender, refresh)
            #expect(answer.status == 400)
            #expect(answer.error == "invalid_grant")
        },
        TimeRule(name: "introspection exp, iat and active") { client, _ in
            let before = try await client.sandboxNow()
            try await client.advanceClock(10_000)
            let now = try await client.sandboxNow()
            #expect(now.timeIntervalSince(before) == 10_000)
            let token = try #require(try await client.clientCredentials(SandboxHarness.lender).string("access_token"))
            let claims = try await client.introspect(SandboxHarness.lender, token)
            #expect(claims["active"] == .bool(true))
            #expect(claims.integer("iat") == Int(now.timeIntervalSince1970))
            #expect(claims.integer("exp") == Int(now.timeIntervalSince1970) + 900)
            try await client.advanceClock(900)
            #expect(try await client.introspect(SandboxHarness.lender, token)["active"] == .bool(false))
        },
        TimeRule(name: "share-token TTL") { client, _ in
            let created = try await client.createShareToken(expiresIn: "120")
            let id = try #require(created.dataID)
            try await client.advanceClock(119)
            #expect(try await client.api("/api/v1/connect/share-tokens/\(id)", as: ShareTokenHarness.source).attribute("status") == "created")
            try await client.advanceClock(2)
            #expect(try await client.api("/api/v1/connect/share-tokens/\(id)", as: ShareTokenHarness.source).attribute("status") == "expired")
            #expect(try await client.redeem(id).status == 410)
        },
        TimeRule(
            name: "webhook retry backoff",
            configure: { configuration, url in
                configuration.shareTokenSeed = ShareTokenHarness.seed(webhookURL: url)
                // A poll far longer than the test: only the clock's advance wakes the loop.
                configuration.webhookDelivery = WebhookDeliveryPolicy(
                    maximumAttempts: 3, initialBackoff: .seconds(60), attemptTimeout: .seconds(5), pollInterval: .seconds(600))
            },
            check: { client, receiver in
                await receiver.setDown(true)
                #expect(try await client.createShareToken().status == 201)
                // The loop looked at start, before the event existed; an advance wakes it.
                try await client.advanceClock(1)
                try await receiver.waitUntil { await $0.refusedCount >= 1 }
                #expect(await receiver.refusedCount == 1)
                try await Task.sleep(for: .milliseconds(200))  // the failure is stored after the attempt
                await receiver.setDown(false)
                // The retry is due 60 seconds after the failed attempt (at offset 1).
                try await client.advanceClock(58)
                try await Task.sleep(for: .milliseconds(500))
                #expect(await receiver.deliveries.isEmpty)
                #expect(await receiver.refusedCount == 1)
                try await client.advanceClock(2)
                try await receiver.waitUntil(limit: .seconds(10)) { await $0.deliveries.count >= 1 }
                #expect(await receiver.deliveries.count == 1)
            }),
        TimeRule(name: "idempotency-key retention (24 hours)") { client, _ in
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "retention-key"]
            let first = try await client.api(
                "/api/v1/connect/share-tokens", method: .post, as: ShareTokenHarness.source, body: LiveAPI.createBody, headers: key)
            #expect(first.status == 201)
            let other = LiveAPI.createBody.replacingOccurrences(of: ShareTokenHarness.inquiry, with: ShareTokenHarness.transaction)
            try await client.advanceClock(86_399)
            let reused = try await client.api("/api/v1/connect/share-tokens", method: .post, as: ShareTokenHarness.source, body: other, headers: key)
            #expect(reused.status == 422)
            try await client.advanceClock(2)
            let fresh = try await client.api("/api/v1/connect/share-tokens", method: .post, as: ShareTokenHarness.source, body: other, headers: key)
            #expect(fresh.status == 201)
            #expect(fresh.dataID != first.dataID)
        },
        TimeRule(
            name: "rate-limit window (60 seconds)",
            configure: { configuration, _ in configuration.apiRateLimit = 2 },
            check: { client, _ in
                for _ in 0..<2 { #expect(try await client.api("/api/v1/events", as: ShareTokenHarness.source).status == 200) }
                #expect(try await client.api("/api/v1/events", as: ShareTokenHarness.source).status == 429)
                try await client.advanceClock(59)
                #expect(try await client.api("/api/v1/events", as: ShareTokenHarness.source).status == 429)
                try await client.advanceClock(2)
                #expect(try await client.api("/api/v1/events", as: ShareTokenHarness.source).status == 200)
            }),
    ]
}

@Suite("Control plane: every time rule obeys the sandbox's clock")
struct ClockTimeRulesTests {
    @Test("the rule turns exactly when the advanced clock passes its boundary", arguments: TimeRule.all)
    func rule(_ rule: TimeRule) async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { url in
            var configuration = ControlPlaneHarness.configuration()
            rule.configure(&configuration, url)
            try await LiveAPI.withSandbox(configuration: configuration) { client, _ in
                try await rule.check(client, receiver)
            }
        }
    }

    @Test("GET answers the time and offset; advance and reset answer the same shape; time never goes backwards")
    func clockEndpoints() async throws {
        let clock = ManualClock()
        try await LiveAPI.withSandbox(configuration: ControlPlaneHarness.configuration(clock: clock)) { client, _ in
            let start = try await client.control("/sandbox/clock", method: .get)
            #expect(start.status == 200)
            #expect(start.keys == ["now", "offset_seconds"])
            #expect(start.integer("offset_seconds") == 0)
            #expect(start.string("now").flatMap(Timestamp.init(parsing:))?.date == clock.now)

            let advanced = try await client.control("/sandbox/clock/advance", body: #"{"seconds": 90}"#)
            #expect(advanced.status == 200)
            #expect(advanced.keys == ["now", "offset_seconds"])
            #expect(advanced.integer("offset_seconds") == 90)
            #expect(advanced.string("now").flatMap(Timestamp.init(parsing:))?.date == clock.now.addingTimeInterval(90))
            #expect(try await client.advanceClock(10) == 100)

            for body in [
                #"{"seconds": 0}"#, #"{"seconds": -5}"#, #"{"seconds": 1.5}"#, #"{"seconds": "60"}"#, #"{"seconds": 1e40}"#,
                #"{"seconds": 3153600001}"#, #"{"seconds": 99999999999999999999}"#, #"{}"#, #"{"seconds": null}"#,
                #"{"seconds": 5, "minutes": 1}"#, #"[5]"#, "not json",
            ] {
                let refused = try await client.control("/sandbox/clock/advance", body: body)
                #expect(refused.status == 400, "\(body): \(refused.bodyText)")
                #expect(refused.isPlaidError, "\(body): \(refused.bodyText)")
                #expect(refused.string("error_type") == "INVALID_REQUEST")
            }
            // The offset may not pass 100 years in total.
            try await client.advanceClock(SandboxTimeline.maximumOffsetSeconds - 100)
            let beyond = try await client.control("/sandbox/clock/advance", body: #"{"seconds": 1}"#)
            #expect(beyond.status == 400)
            #expect(beyond.string("error_message")?.contains("100 years") == true)
            #expect(try await client.control("/sandbox/clock", method: .get).integer("offset_seconds") == SandboxTimeline.maximumOffsetSeconds)

            let reset = try await client.control("/sandbox/clock/reset")
            #expect(reset.status == 200)
            #expect(reset.keys == ["now", "offset_seconds"])
            #expect(reset.integer("offset_seconds") == 0)
            #expect(try await client.sandboxNow() == clock.now)
        }
    }

    @Test("concurrent advances all count")
    func concurrentAdvances() async throws {
        try await LiveAPI.withSandbox(configuration: ControlPlaneHarness.configuration()) { _, port in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await LiveAPI.send(
                            port: port, "/sandbox/clock/advance", method: .post, headers: ControlPlaneHarness.basic, body: #"{"seconds": 7}"#
                        ).status
                    }
                }
                for try await status in group { #expect(status == 200) }
            }
            let answer = try await LiveAPI.send(port: port, "/sandbox/clock", headers: ControlPlaneHarness.basic)
            #expect(answer.integer("offset_seconds") == 140)
        }
    }
}
