import Foundation
import HTTPTypes
import HummingbirdTesting
import ShareModels
import ShareSandbox
import ShareSandboxPostgres
import Testing

/// Two stores on one database, as two `share-sandbox` processes have: each its own pool, the
/// same rows. What one does, the other sees at once, and the races the stores settle for one
/// process are settled across them.
@Suite("PostgreSQL: two store instances on one database", .enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason))
struct PostgresCrossInstanceTests {
    /// Runs `body` with two running stores on one new database.
    static func withTwoStores(
        listenerHeartbeat: Duration = .seconds(15), _ body: @Sendable (PostgresSandboxStore, PostgresSandboxStore) async throws -> Void
    ) async throws {
        try await PostgresTestDatabase.withDatabase { location in
            let size = PostgresTestDatabase.maximumConnections
            let logger = PostgresTestDatabase.logger
            try await PostgresSandboxStore.withStore(
                location, maximumConnections: size, connectTimeout: PostgresTestDatabase.migrationPatience, listenerHeartbeat: listenerHeartbeat, logger: logger
            ) { first in
                try await PostgresSandboxStore.withStore(
                    location, maximumConnections: size, connectTimeout: PostgresTestDatabase.migrationPatience, listenerHeartbeat: listenerHeartbeat, logger: logger
                ) { second in
                    try await body(first, second)
                }
            }
        }
    }

    /// Runs `body` with two sandboxes, one on each of two stores on one new database, each
    /// answering through its own test client.
    static func withTwoSandboxes(
        _ configuration: SandboxConfiguration, _ body: @Sendable (SandboxTestClient, SandboxTestClient) async throws -> Void
    ) async throws {
        try await withTwoStores { first, second in
            let one = try await SandboxServer.buildApplication(configuration: configuration, store: first)
            let other = try await SandboxServer.buildApplication(configuration: configuration, store: second)
            try await one.test(.router) { oneClient in
                try await other.test(.router) { otherClient in
                    try await body(SandboxTestClient(client: oneClient), SandboxTestClient(client: otherClient))
                }
            }
        }
    }

    @Test("20 concurrent refreshes of one token, split across the instances: one pair, one reuse that revokes the family, the rest refused")
    func rotationsAcrossInstances() async throws {
        try await Self.withTwoStores { first, second in
            try await first.insertTokens([StoreSamples.token("r1"), StoreSamples.token("a1", kind: .access, parent: "r1")])
            let outcomes = try await withThrowingTaskGroup(of: RefreshRotation.self) { group in
                for attempt in 0..<20 {
                    let store = attempt.isMultiple(of: 2) ? first : second
                    group.addTask {
                        try await store.rotate(
                            spending: StoreSamples.digest("r1"),
                            issuing: [StoreSamples.token("r2-\(attempt)", parent: "r1"), StoreSamples.token("a2-\(attempt)", kind: .access, parent: "r1")],
                            at: 1100)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // The rotation spends the token; the next presentation is reuse and revokes the
            // family (the token, its access token and the new pair); the rest find it revoked.
            #expect(outcomes.filter { $0 == .rotated }.count == 1)
            #expect(outcomes.filter { $0 == .reused(revokedCount: 4) }.count == 1)
            #expect(outcomes.filter { $0 == .inactive }.count == 18)
            let issued = try await (0..<20).asyncCount { try await second.token(StoreSamples.digest("r2-\($0)")) != nil }
            #expect(issued == 1)
            for attempt in 0..<20 {
                if let token = try await first.token(StoreSamples.digest("r2-\(attempt)")) { #expect(token.revokedAt == 1100) }
            }
        }
    }

    @Test("50 concurrent redemptions of one share token, split across the instances: exactly one succeeds")
    func redemptionsAcrossInstances() async throws {
        try await Self.withTwoStores { first, second in
            let token = StoreSamples.shareToken(1)
            try await first.insertShareToken(token, events: [])
            let outcomes = try await withThrowingTaskGroup(of: ShareTokenReplacement.self) { group in
                for attempt in 0..<50 {
                    let store = attempt.isMultiple(of: 2) ? first : second
                    group.addTask {
                        var redeemed = token
                        redeemed.destinationID = SourceID(validated: "inq_dest")
                        redeemed.lifecycle = try token.lifecycle.applying(.beginRedemption, at: StoreSamples.epoch)
                        redeemed.lifecycle = try redeemed.lifecycle.applying(.finishRedemption, at: StoreSamples.epoch)
                        let record = StoreSamples.record("inq_dest", of: StoreSamples.destination, value: "attempt-\(attempt)")
                        return try await store.replaceShareToken(redeemed, expecting: .created, record: record, events: [StoreSamples.event(attempt)])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == .replaced }.count == 1)
            #expect(outcomes.filter { $0 == .statusChanged }.count == 49)
            let events = try await second.events(of: StoreSamples.source, after: nil, limit: 100)
            #expect(events.count == 1)
            // The record is the winner's: the one whose event was stored.
            let winner = try #require(events.first).id.rawValue.dropFirst("evt_".count)
            #expect(try await first.record(id: SourceID(validated: "inq_dest"))?.attributes["name-first"] == .string("attempt-\(winner)"))
            #expect(try await second.shareToken(id: token.id)?.status == .redeemed)
        }
    }

    @Test("a token one instance issued is at once seen, and revocable, through the other")
    func issuedHereRevokedThere() async throws {
        try await Self.withTwoStores { first, second in
            try await first.insertTokens([StoreSamples.token("r1"), StoreSamples.token("a1", kind: .access, parent: "r1")])
            #expect(try await second.token(StoreSamples.digest("a1"))?.isUsable(at: 1000) == true)
            #expect(try await second.revokeTree(from: StoreSamples.digest("r1"), at: 1001) == 2)
            #expect(try await first.token(StoreSamples.digest("a1"))?.isUsable(at: 1002) == false)
            #expect(try await !first.insertTokens([StoreSamples.token("child", parent: "r1")], derivedFrom: StoreSamples.digest("r1"), at: 1002))
        }
    }

    @Test("through two sandboxes' HTTP APIs: a token issued by one introspects active at the other, and a revoke there ends it here")
    func issuedHereRevokedThereOverHTTP() async throws {
        try await Self.withTwoSandboxes(SandboxHarness.configuration(clock: ManualClock())) { here, there in
            let grant = try await here.clientCredentials(SandboxHarness.lender)
            let access = try #require(grant.string("access_token"))
            let refresh = try #require(grant.string("refresh_token"))
            #expect(try await there.isActive(SandboxHarness.lender, access))
            let rotated = try await there.refresh(SandboxHarness.lender, refresh)
            #expect(rotated.status == 200, "\(rotated.bodyText)")
            // The spent refresh token presented to the first sandbox is reuse: the family ends.
            let reused = try await here.refresh(SandboxHarness.lender, refresh)
            #expect(reused.status == 400 && reused.error == "invalid_grant")
            let newAccess = try #require(rotated.string("access_token"))
            #expect(try await !there.isActive(SandboxHarness.lender, newAccess))
            let second = try await here.clientCredentials(SandboxHarness.lender)
            let secondAccess = try #require(second.string("access_token"))
            #expect(try await there.revoke(SandboxHarness.lender, secondAccess).status == 200)
            #expect(try await !here.isActive(SandboxHarness.lender, secondAccess))
        }
    }

    @Test("an exchange at one sandbox racing a revoke of its subject at the other: once both are answered, nothing derived is active")
    func exchangeRacingRevokeAcrossInstances() async throws {
        try await Self.withTwoSandboxes(SandboxHarness.configuration(clock: ManualClock())) { here, there in
            for trial in 0..<50 {
                try await ExchangeRevocationRaceTests.exchangeRacingRevoke(trial: trial, exchangingAt: here, revokingAt: there)
            }
        }
    }

    @Test("50 concurrent redemptions through two sandboxes' HTTP APIs: exactly one 200, the others 409, the token ends redeemed")
    func redemptionsOverHTTP() async throws {
        try await Self.withTwoSandboxes(ShareTokenHarness.configuration(clock: ManualClock(), redemptionDelay: .milliseconds(50))) { here, there in
            let created = try await here.createShareToken()
            let id = try #require(created.dataID, "\(created.bodyText)")
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for attempt in 0..<50 {
                    let client = attempt.isMultiple(of: 2) ? here : there
                    group.addTask { try await client.redeem(id).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == 409 }.count == 49, "\(statuses)")
            #expect(try await there.settled(id).attribute("status") == "redeemed")
            #expect(try await here.settled(id).attribute("status") == "redeemed")
        }
    }

    @Test("one Idempotency-Key sent 10 times at once to two sandboxes creates one share token, answered to all")
    func idempotencyKeyAcrossInstances() async throws {
        try await Self.withTwoSandboxes(ShareTokenHarness.configuration(clock: ManualClock())) { here, there in
            var fields = HTTPFields([HTTPField(name: HTTPField.Name("Idempotency-Key")!, value: "across-instances")])
            fields[.authorization] = "Bearer \(ShareTokenHarness.source.apiKey)"
            fields[.contentType] = "application/json"
            let headers = fields
            let answers = try await withThrowingTaskGroup(of: SandboxAnswer.self) { group in
                for attempt in 0..<10 {
                    let client = attempt.isMultiple(of: 2) ? here : there
                    group.addTask {
                        try await client.send(
                            "/api/v1/connect/share-tokens", method: .post, headers: headers, body: Array(LiveAPI.createBody.utf8))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.map(\.status) == Array(repeating: 201, count: 10), "\(answers.map(\.bodyText))")
            #expect(Set(answers.compactMap(\.dataID)).count == 1)
            #expect(try await there.api("/api/v1/connect/share-tokens", as: ShareTokenHarness.source).listedIDs.count == 1)
        }
    }

    @Test("two sandboxes' delivery loops on one database deliver each event once")
    func deliveriesAcrossInstances() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { url in
            let configuration = ShareTokenHarness.configuration(
                clock: ManualClock(), seed: ShareTokenHarness.seed(webhookURL: url), redemptionDelay: .milliseconds(10))
            try await Self.withTwoSandboxes(configuration) { here, _ in
                for _ in 0..<5 {
                    let id = try #require(try await here.createShareToken().dataID)
                    #expect(try await here.redeemAndSettle(id).status == 200)
                }
                // Five tokens: an inbound-created and an inbound-redeemed event each.
                try await receiver.waitUntil { await $0.deliveries.count >= 10 }
                // Both loops poll every 20 ms: a second delivery of any event would arrive by now.
                try await Task.sleep(for: .milliseconds(500))
                let ids = await receiver.deliveries.map { delivery -> String in
                    let document = try? JSONDecoder().decode([String: AttributeValue].self, from: Data(delivery.body))
                    guard case .object(let data)? = document?["data"], case .string(let id)? = data["id"] else { return "" }
                    return id
                }
                #expect(ids.count == 10, "\(ids)")
                #expect(Set(ids).count == ids.count, "an event was delivered twice: \(ids)")
            }
        }
    }

    @Test("a delivery is claimed by one instance at a time, until its lease ends or its attempt is recorded")
    func deliveryClaims() async throws {
        try await Self.withTwoStores { first, second in
            try await first.saveRecord(StoreSamples.record("inq_1", of: StoreSamples.source), events: [StoreSamples.event(1), StoreSamples.event(2)])
            let now = StoreSamples.epoch.addingTimeInterval(10)
            let id = EventID(validated: "evt_1")
            let claims = try await withThrowingTaskGroup(of: Bool.self) { group in
                for attempt in 0..<10 {
                    let store = attempt.isMultiple(of: 2) ? first : second
                    group.addTask { try await store.claimDelivery(of: id, at: now, until: now.addingTimeInterval(30)) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(claims.filter { $0 }.count == 1)
            #expect(try await second.dueDeliveries(at: now, limit: 10).map(\.id.rawValue) == ["evt_2"])
            #expect(try await second.dueDeliveries(at: now.addingTimeInterval(30), limit: 10).map(\.id.rawValue) == ["evt_1", "evt_2"])
            #expect(try await second.claimDelivery(of: id, at: now.addingTimeInterval(30), until: now.addingTimeInterval(60)))
            try await second.updateDelivery(of: id, to: StoredEvent.Delivery(state: .pending, attempts: 1, nextAttemptAt: now.addingTimeInterval(40)))
            #expect(try await first.claimDelivery(of: id, at: now.addingTimeInterval(40), until: now.addingTimeInterval(70)))
            try await first.updateDelivery(of: id, to: StoredEvent.Delivery(state: .delivered, attempts: 2))
            #expect(try await !second.claimDelivery(of: id, at: now.addingTimeInterval(100), until: now.addingTimeInterval(130)))
        }
    }

    @Test("stores starting together on a new database apply each migration exactly once")
    func concurrentMigrations() async throws {
        try await PostgresTestDatabase.withDatabase { location in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await PostgresSandboxStore.withStore(location, maximumConnections: 2, connectTimeout: PostgresTestDatabase.migrationPatience, logger: PostgresTestDatabase.logger) { store async throws in
                            #expect(try await store.clockSetting().offsetSeconds == 0)
                        }
                    }
                }
                try await group.waitForAll()
            }
            try await PostgresSandboxStore.withStore(location, connectTimeout: PostgresTestDatabase.migrationPatience, logger: PostgresTestDatabase.logger) { store async throws in
                #expect(try await store.appliedMigrations() == PostgresSandboxStore.schemaVersions)
            }
        }
    }
}
