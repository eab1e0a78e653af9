#if os(Linux)
import Foundation
import ShareModels
import ShareSandbox
import ShareSandboxPostgres
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Two `share-sandbox` processes on one PostgreSQL database, as behind a load balancer: one
/// sandbox to their clients, whichever process answers, even when one of them is killed.
@Suite("share-sandbox: two processes on one PostgreSQL database", .enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason))
struct PostgresMultiProcessTests {
    /// The longest any one wait of these tests lasts before it counts as a failure: generous, for
    /// a host busy with other builds; every wait polls and ends as soon as its condition holds.
    static let patience: Duration = .seconds(60)

    // MARK: Processes

    /// Starts `share-sandbox` on the database at `location` with `arguments`, and waits until it
    /// listens.
    static func start(on location: PostgresLocation, _ arguments: [String] = []) throws -> SandboxProcess {
        let binary = try #require(SandboxProcess.binary(), "build share-sandbox first (swift build)")
        return try SandboxProcess(binary: binary, arguments: ["--data", location.description] + arguments)
    }

    /// Runs `body` with two `share-sandbox` processes started together on a new database (both
    /// migrate it at once), the first with `arguments`, the second with `otherArguments` (the
    /// same by default). Both are stopped when `body` ends; one that `body` killed is only reaped.
    static func withTwoProcesses(
        _ arguments: [String] = [], other otherArguments: [String]? = nil,
        _ body: @Sendable (PostgresLocation, SandboxProcess, SandboxProcess) async throws -> Void
    ) async throws {
        try await PostgresTestDatabase.withDatabase { location in
            async let starting = Task { try Self.start(on: location, arguments) }.value
            let other: SandboxProcess
            do {
                other = try Self.start(on: location, otherArguments ?? arguments)
            } catch {
                (try? await starting)?.stop(signal: SIGTERM)
                throw error
            }
            defer { other.stop(signal: SIGTERM) }
            let one = try await starting
            defer { one.stop(signal: SIGTERM) }
            try await body(location, one, other)
        }
    }

    // MARK: HTTP

    /// Sends `body` (JSON) to `path` of `base`, with the API key `key` when given; answers the
    /// status and the body. Throws when the process does not answer (it was killed).
    static func send(_ method: String, _ base: URL, _ path: String, key: String? = nil, body: String? = nil) async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: path, relativeTo: base)!)
        request.httpMethod = method
        request.timeoutInterval = 30
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// POSTs `fields` with the demo client's credentials, as JSON, to the OAuth route `path` of
    /// `base`; answers the status and the decoded body.
    static func oauth(_ base: URL, _ path: String, _ fields: [String: String]) async throws -> (status: Int, body: [String: AttributeValue]) {
        let all = fields.merging(["client_id": SandboxDemo.clientID, "secret": SandboxDemo.clientSecret]) { $1 }
        let (status, text) = try await send("POST", base, path, body: String(decoding: try JSONEncoder().encode(all), as: UTF8.self))
        return (status, (try? JSONDecoder().decode([String: AttributeValue].self, from: Data(text.utf8))) ?? [:])
    }

    /// A new token pair of the demo client (`client_credentials`) from `base`, or `nil` when it
    /// was not acknowledged.
    static func issue(at base: URL) async -> TokenPair? {
        guard let answer = try? await oauth(base, "/oauth/token", ["grant_type": "client_credentials"]), answer.status == 200,
            case .string(let access)? = answer.body["access_token"], case .string(let refresh)? = answer.body["refresh_token"]
        else { return nil }
        return TokenPair(access: access, refresh: refresh)
    }

    /// Whether `token` introspects as active at `base`.
    static func isActive(_ token: String, at base: URL) async throws -> Bool {
        try await oauth(base, "/oauth/introspect", ["token": token]).body["active"] == .bool(true)
    }

    /// Creates a share token of the lender's record for the bank at `base` (the demo world's when
    /// `demo`); answers the status and the token's id.
    static func createShareToken(at base: URL, demo: Bool = false) async throws -> (status: Int, id: String?) {
        let (connection, record, key) =
            demo ? (ShareTokenDemo.connectionID, ShareTokenDemo.inquiryID, ShareTokenDemo.sourceAPIKey) : (lenderBank, lenderRecord, lenderKey)
        let (status, body) = try await send(
            "POST", base, "/api/v1/connect/share-tokens", key: key,
            body: #"{"data":{"type":"connect/share-token","attributes":{"connection-id":"\#(connection)","source-id":"\#(record)"}}}"#)
        let document = try? JSONDecoder().decode([String: AttributeValue].self, from: Data(body.utf8))
        guard case .object(let data)? = document?["data"], case .string(let id)? = data["id"] else { return (status, nil) }
        return (status, id)
    }

    // MARK: The share-token world

    static let lender = "org_lender"
    static let bank = "org_bank"
    static let partner = "org_partner"
    static let lenderKey = "lender-key"
    static let bankKey = "bank-key"
    static let lenderBank = "cxn_lender_bank"
    static let bankPartner = "cxn_bank_partner"
    static let lenderRecord = "inq_lender_alex"

    /// Writes a configuration file (`--config`): a lender sharing a record with a bank, the bank
    /// connected onward to a partner, the webhooks given, and `workflows`; no rate limit in the
    /// way of the load. Answers its path; the caller removes it.
    static func configurationFile(bankWebhook: String?, lenderWebhook: String? = nil, workflows: [[String: Any]] = []) throws -> String {
        func organization(_ id: String, _ key: String, _ webhook: String?) -> [String: Any] {
            var entry: [String: Any] = ["id": id, "api_key": key]
            if let webhook {
                entry["webhook_url"] = webhook
                entry["webhook_secret"] = "whsec-\(id)"
            }
            return entry
        }
        let configuration: [String: Any] = [
            "api_rate_limit": 1_000_000,
            "organizations": [
                organization(lender, lenderKey, lenderWebhook), organization(bank, bankKey, bankWebhook),
                organization(partner, "partner-key", nil),
            ],
            "connections": [
                ["id": lenderBank, "source": lender, "destination": bank], ["id": bankPartner, "source": bank, "destination": partner],
            ],
            "records": [["id": lenderRecord, "organization": lender, "attributes": ["name-first": "Alex"]]],
            "workflows": workflows,
        ]
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-\(UUID().uuidString).json").path
        try JSONSerialization.data(withJSONObject: configuration).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The events of `organizations` in the database at `location`, read once `condition` holds
    /// of them (or when patience ran out).
    static func storedEvents(
        at location: PostgresLocation, of organizations: [String], when condition: @Sendable ([StoredEvent]) -> Bool = { _ in true }
    ) async throws -> [StoredEvent] {
        try await PostgresSandboxStore.withStore(location, maximumConnections: 2, connectTimeout: PostgresTestDatabase.migrationPatience, logger: PostgresTestDatabase.logger) { store in
            let deadline = ContinuousClock.now + patience
            while true {
                var events: [StoredEvent] = []
                for organization in organizations {
                    events += try await store.events(of: OrganizationID(validated: organization), after: nil, limit: 100_000)
                }
                if condition(events) || ContinuousClock.now >= deadline { return events }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    // MARK: Tests

    @Test("--retention: the process purges a token revoked long ago, and keeps a live one")
    func retentionInProcess() async throws {
        try await PostgresTestDatabase.withDatabase { location in
            try await PostgresSandboxStore.withStore(location, connectTimeout: PostgresTestDatabase.migrationPatience, logger: PostgresTestDatabase.logger) { store in
                // Tokens go by family: the revoked one is alone in its family, the live one in another.
                var revoked = StoreSamples.token("long-revoked", family: "fam-revoked", expiresAt: 4_000_000_000)
                revoked.revokedAt = 1000
                try await store.insertTokens([revoked, StoreSamples.token("live", family: "fam-live", expiresAt: 4_000_000_000)])
                let process = try Self.start(on: location, ["--retention", "60"])
                defer { process.stop(signal: SIGTERM) }
                let deadline = ContinuousClock.now + .seconds(10)
                while try await store.token(revoked.digest) != nil, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(try await store.token(revoked.digest) == nil)
                #expect(try await store.token(StoreSamples.digest("live")) != nil)
            }
        }
    }

    @Test("50 concurrent redemptions of one share token, split across both processes over HTTP: exactly one 200")
    func redemptionsAcrossProcesses() async throws {
        try await Self.withTwoProcesses { _, one, other in
            let (created, createdID) = try await Self.createShareToken(at: one.url, demo: true)
            #expect(created == 201)
            let id = try #require(createdID, "no share token id")
            // The token one process created is there, at once, at the other.
            #expect(try await Self.send("GET", other.url, "/api/v1/connect/share-tokens/\(id)", key: ShareTokenDemo.destinationAPIKey).0 == 200)

            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for attempt in 0..<50 {
                    let base = attempt.isMultiple(of: 2) ? one.url : other.url
                    group.addTask {
                        try await Self.send("POST", base, "/api/v1/connect/share-tokens/\(id)/redeem", key: ShareTokenDemo.destinationAPIKey).0
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == 409 }.count == 49, "\(statuses)")
        }
    }

    @Test("20 concurrent refreshes of one refresh token, split across both processes over HTTP: one new pair, one reuse that revokes the family, the rest refused")
    func refreshesAcrossProcesses() async throws {
        try await Self.withTwoProcesses { _, one, other in
            let pair = try #require(await Self.issue(at: one.url))
            let answers = try await withThrowingTaskGroup(of: (status: Int, body: [String: AttributeValue]).self) { group in
                for attempt in 0..<20 {
                    let base = attempt.isMultiple(of: 2) ? one.url : other.url
                    group.addTask { try await Self.oauth(base, "/oauth/token", ["grant_type": "refresh_token", "refresh_token": pair.refresh]) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let rotated = answers.filter { $0.status == 200 }
            #expect(rotated.count == 1, "\(answers)")
            let refused = answers.filter { $0.status == 400 && $0.body["error"] == .string("invalid_grant") }
            #expect(refused.count == 19, "\(answers)")
            // As in one process: the rotation spends the token; the next presentation is reuse and
            // revokes the family; the rest find the token revoked.
            let descriptions = refused.map { answer -> String in
                guard case .string(let text)? = answer.body["error_description"] else { return "" }
                return text
            }
            #expect(descriptions.filter { $0.contains("already used") }.count == 1, "\(descriptions)")
            #expect(descriptions.filter { $0.contains("invalid, expired or revoked") }.count == 18, "\(descriptions)")

            let newPair = try #require(rotated.first?.body)
            guard case .string(let newAccess)? = newPair["access_token"], case .string(let newRefresh)? = newPair["refresh_token"] else {
                Issue.record("no new pair in \(newPair)")
                return
            }
            for token in [pair.access, pair.refresh, newAccess, newRefresh] {
                #expect(try await !Self.isActive(token, at: one.url))
                #expect(try await !Self.isActive(token, at: other.url))
            }
            let again = try await Self.oauth(other.url, "/oauth/token", ["grant_type": "refresh_token", "refresh_token": newRefresh])
            #expect(again.status == 400 && again.body["error"] == .string("invalid_grant"), "\(again)")
        }
    }

    @Test("both processes deliver the events both raise: the receiver sees every event exactly once")
    func deliveriesAcrossProcesses() async throws {
        let receiver = PostgresProcessWebhookReceiver()
        try await receiver.run { url in
            let file = try Self.configurationFile(bankWebhook: url("shared"), lenderWebhook: url("shared"))
            defer { try? FileManager.default.removeItem(atPath: file) }
            try await Self.withTwoProcesses(["--config", file]) { location, one, other in
                let processes = [one, other]
                // Created at both, each redeemed at the other: both raise events of both organizations.
                var ids: [String] = []
                for number in 0..<10 {
                    let (status, id) = try await Self.createShareToken(at: processes[number % 2].url)
                    #expect(status == 201)
                    ids.append(try #require(id))
                }
                for (number, id) in ids.enumerated() {
                    let base = processes[(number + 1) % 2].url
                    #expect(try await Self.send("POST", base, "/api/v1/connect/share-tokens/\(id)/redeem", key: Self.bankKey).0 == 200)
                }
                // Ten tokens: created and redeemed, for the lender and the bank each.
                let stored = try await Self.storedEvents(at: location, of: [Self.lender, Self.bank]) { $0.count >= 40 }
                #expect(stored.count == 40)
                #expect(stored.allSatisfy { $0.delivery.state != .notRequested })
                let expected = Set(stored.map(\.id.rawValue))
                let all = try await receiver.waitUntil(limit: Self.patience) { await Set($0.deliveries.map(\.eventID)).isSuperset(of: expected) }
                #expect(all, "not every event was delivered")
                // Both delivery loops look every second: a second delivery would arrive by now.
                try await Task.sleep(for: .seconds(3))
                let delivered = await receiver.deliveries.map(\.eventID)
                #expect(delivered.count == expected.count, "an event was delivered twice: \(delivered.sorted())")
                #expect(Set(delivered) == expected)
                let settled = try await Self.storedEvents(at: location, of: [Self.lender, Self.bank])
                #expect(settled.allSatisfy { $0.delivery.state == .delivered && $0.delivery.attempts == 1 })
            }
        }
    }

    @Test("kill -9 of one process during issues and revocations at both: what was acknowledged holds at the survivor, which delivers every event, the one the killed process held after its lease")
    func killedDuringLoad() async throws {
        let timeout = 3
        let policy = WebhookDeliveryPolicy(attemptTimeout: .seconds(timeout))
        // The bank's webhook is one path per process; the receiver never answers the first
        // process, which therefore dies mid-attempt.
        let receiver = PostgresProcessWebhookReceiver(holding: ["one"])
        try await receiver.run { url in
            let files = [try Self.configurationFile(bankWebhook: url("one")), try Self.configurationFile(bankWebhook: url("other"))]
            defer { for file in files { try? FileManager.default.removeItem(atPath: file) } }
            let arguments = files.map { ["--config", $0, "--webhook-timeout", "\(timeout)"] }
            try await Self.withTwoProcesses(arguments[0], other: arguments[1]) { location, one, other in
                let ledger = LoadLedger()
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        // As soon as the first process attempts a delivery: kill -9.
                        if (try? await receiver.waitUntil(limit: Self.patience, { await !$0.deliveries(to: "one").isEmpty })) == true {
                            one.stop(signal: SIGKILL)
                            await ledger.markKilled()
                        } else {
                            await ledger.giveUp()
                        }
                    }
                    for worker in 0..<4 {
                        group.addTask { await Self.load(worker: worker, across: [one.url, other.url], into: ledger) }
                    }
                }
                #expect(await ledger.killed, "the first process never attempted a delivery")
                let (live, revoked) = (await ledger.live, await ledger.revoked)
                #expect(!live.isEmpty && !revoked.isEmpty, "live \(live.count), revoked \(revoked.count)")
                #expect(await ledger.issuedByTheFirst > 0, "the killed process acknowledged no token")
                for pair in live {
                    #expect(try await Self.isActive(pair.access, at: other.url), "an acknowledged access token was lost")
                    #expect(try await Self.isActive(pair.refresh, at: other.url), "an acknowledged refresh token was lost")
                }
                for pair in revoked {
                    #expect(try await !Self.isActive(pair.refresh, at: other.url), "an acknowledged revocation was lost")
                    #expect(try await !Self.isActive(pair.access, at: other.url), "an acknowledged revocation was lost")
                }

                // Every bank event, those the killed process stored too, is delivered by the survivor.
                let held = try #require(await receiver.deliveries(to: "one").first)
                let stored = try await Self.storedEvents(at: location, of: [Self.bank])
                let expected = Set(stored.map(\.id.rawValue))
                #expect(expected.contains(held.eventID))
                let all = try await receiver.waitUntil(limit: Self.patience) {
                    await Set($0.deliveries(to: "other").map(\.eventID)).isSuperset(of: expected)
                }
                #expect(all, "the survivor did not deliver every event")
                try await Task.sleep(for: .seconds(2))
                #expect(await receiver.deliveries(to: "one").count == 1)
                let delivered = await receiver.deliveries(to: "other")
                #expect(delivered.count == expected.count, "an event was delivered twice: \(delivered.map(\.eventID).sorted())")
                // The held event waited for the lease: the killed process claimed it at most the
                // attempt timeout before its request arrived (a second of slack for a busy host).
                let retried = try #require(delivered.first { $0.eventID == held.eventID })
                let waited = retried.arrivedAt - held.arrivedAt
                #expect(waited >= policy.claimLease - .seconds(timeout) - .seconds(1), "\(waited)")
                let settled = try await Self.storedEvents(at: location, of: [Self.bank])
                let heldEvent = try #require(settled.first { $0.id.rawValue == held.eventID })
                // The killed process stored nothing of its attempt: the survivor's is the first,
                // made after the killed one's, at least a lease later.
                #expect(heldEvent.delivery.state == .delivered && heldEvent.delivery.attempts == 1)
                #expect(heldEvent.delivery.lastError == nil && heldEvent.delivery.nextAttemptAt == nil)
                let firstAttempt = try #require(heldEvent.delivery.firstAttemptAt, "\(heldEvent.delivery)")
                #expect(retried.firstAttemptedAt == String(Int(firstAttempt.timeIntervalSince1970)))
                #expect(settled.allSatisfy { $0.delivery.state == .delivered })
            }
        }
    }

    /// The bank redeems every share token it receives, and shares each redeemed record onward
    /// with the partner.
    static var redeemAndShareOnward: [[String: Any]] {
        [
            [
                "id": "auto-redeem", "organization": bank, "trigger": EventName.inboundCreated.rawValue,
                "action": ["type": "redeem-share-token"],
            ],
            [
                "id": "share-onward", "organization": bank, "trigger": EventName.inboundRedeemed.rawValue,
                "action": ["type": "create-share-token", "connection-id": bankPartner],
            ],
        ]
    }

    @Test("workflows run once per triggering event while a second process starts, taking over the redemptions under way, and both take creations")
    func workflowsOnceAcrossProcesses() async throws {
        let file = try Self.configurationFile(bankWebhook: nil, workflows: Self.redeemAndShareOnward)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await PostgresTestDatabase.withDatabase { location in
            let one = try Self.start(on: location, ["--config", file])
            defer { one.stop(signal: SIGTERM) }
            let ledger = CreationLedger()
            // Creations at the first process, each redeemed there by the bank's workflow a moment
            // later; meanwhile the second process starts and finishes the redemptions under way.
            let other = try await withThrowingTaskGroup(of: SandboxProcess?.self) { group in
                group.addTask {
                    try await Task.sleep(for: .milliseconds(300))
                    let other = try Self.start(on: location, ["--config", file])
                    await ledger.markStarted(other.url)
                    return other
                }
                for _ in 0..<6 {
                    group.addTask {
                        var step = 0
                        while await ledger.keepsCreating(), !Task.isCancelled {
                            let base = await ledger.target(step, first: one.url)
                            if let answer = try? await Self.createShareToken(at: base), answer.status == 201 { await ledger.recordCreation() }
                            step += 1
                        }
                        return nil
                    }
                }
                return try await group.reduce(into: [SandboxProcess]()) { if let process = $1 { $0.append(process) } }.first
            }
            defer { other?.stop(signal: SIGTERM) }
            #expect(other != nil)

            let created = await ledger.created
            let bank = OrganizationID(validated: Self.bank)
            try await PostgresSandboxStore.withStore(location, maximumConnections: 2, connectTimeout: PostgresTestDatabase.migrationPatience, logger: PostgresTestDatabase.logger) { store in
                func settled() async throws -> (events: [StoredEvent], runs: [StoredWorkflowRun]) {
                    (try await store.events(of: bank, after: nil, limit: 100_000), try await store.workflowRuns(of: bank, after: nil, limit: 100_000))
                }
                let deadline = ContinuousClock.now + Self.patience
                while ContinuousClock.now < deadline {
                    let (events, runs) = try await settled()
                    if events.filter({ $0.name == .inboundRedeemed }).count >= created, runs.count >= 2 * created { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                // A run twice for one event would be stored by now (redemptions take 200 ms).
                try await Task.sleep(for: .seconds(1))
                let (events, runs) = try await settled()
                let inboundCreated = Set(events.filter { $0.name == .inboundCreated }.map(\.id))
                let inboundRedeemed = Set(events.filter { $0.name == .inboundRedeemed }.map(\.id))
                #expect(inboundCreated.count == created)
                #expect(inboundRedeemed.count == created, "each share token is redeemed once")
                let redeeming = runs.filter { $0.workflowID == "auto-redeem" }
                let onward = runs.filter { $0.workflowID == "share-onward" }
                #expect(redeeming.count == created, "\(redeeming.count) runs for \(created) triggers")
                #expect(Set(redeeming.map(\.triggerEventID)) == inboundCreated)
                #expect(onward.count == created, "\(onward.count) runs for \(created) triggers")
                #expect(Set(onward.map(\.triggerEventID)) == inboundRedeemed)
                #expect(runs.allSatisfy { $0.outcome == .succeeded }, "\(runs.compactMap(\.error))")
                let forwarded = try await store.events(of: OrganizationID(validated: Self.partner), after: nil, limit: 100_000)
                #expect(forwarded.filter { $0.name == .inboundCreated }.count == created)
            }
        }
    }

    @Test("kill -9 of one process while workflows run at both: after it restarts, every triggering event has run each of its workflows exactly once")
    func workflowsSurviveKill() async throws {
        let file = try Self.configurationFile(bankWebhook: nil, workflows: Self.redeemAndShareOnward)
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await Self.withTwoProcesses(["--config", file]) { location, one, other in
            let ledger = KillLedger()
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<6 {
                    group.addTask {
                        var step = 0
                        while await ledger.keepsCreating(), !Task.isCancelled {
                            let base = await ledger.killed || (worker + step).isMultiple(of: 2) ? other.url : one.url
                            if let answer = try? await Self.createShareToken(at: base), answer.status == 201 {
                                // Mid-load, with redemptions and workflows under way at both: kill -9.
                                if await ledger.recordCreation() { one.stop(signal: SIGKILL) }
                            }
                            step += 1
                        }
                    }
                }
            }
            #expect(await ledger.killed, "the load never reached the kill")
            // The killed process, started again on the database: it finishes the redemptions it
            // left pending, and with the survivor recovers the workflows whose claim lapsed.
            let restarted = try Self.start(on: location, ["--config", file])
            defer { restarted.stop(signal: SIGTERM) }

            let created = await ledger.created
            try await PostgresSandboxStore.withStore(location, maximumConnections: 2, connectTimeout: PostgresTestDatabase.migrationPatience, logger: PostgresTestDatabase.logger) { store in
                try await Self.expectEveryWorkflowRanOnce(in: store, acknowledged: created)
            }
        }
    }

    /// Waits until `store` has no workflow nor redemption pending (or patience ran out), then
    /// checks that every share token the bank received (at least the `acknowledged` creations)
    /// was redeemed once by its workflow, and every redemption shared onward once: each
    /// (workflow, triggering event) ran exactly once, whichever process stopped on the way.
    static func expectEveryWorkflowRanOnce(in store: any ShareTokenStore, acknowledged: Int) async throws {
        let bank = OrganizationID(validated: Self.bank)
        func settled() async throws -> (events: [StoredEvent], runs: [StoredWorkflowRun]) {
            (try await store.events(of: bank, after: nil, limit: 100_000), try await store.workflowRuns(of: bank, after: nil, limit: 100_000))
        }
        let deadline = ContinuousClock.now + Self.patience
        while ContinuousClock.now < deadline {
            let (events, runs) = try await settled()
            let triggers = events.filter { $0.name == .inboundCreated || $0.name == .inboundRedeemed }.count
            let pending = try await store.eventsWithPendingWorkflows(claimableAt: .distantFuture, limit: 1)
            if pending.isEmpty, try await store.pendingShareTokens().isEmpty, runs.count >= triggers,
                events.filter({ $0.name == .inboundRedeemed }).count >= events.filter({ $0.name == .inboundCreated }).count
            {
                break
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        // A run twice for one event would be stored by now (redemptions take 200 ms).
        try await Task.sleep(for: .seconds(1))
        let (events, runs) = try await settled()
        let inboundCreated = Set(events.filter { $0.name == .inboundCreated }.map(\.id))
        let inboundRedeemed = Set(events.filter { $0.name == .inboundRedeemed }.map(\.id))
        #expect(inboundCreated.count >= acknowledged)
        #expect(inboundRedeemed.count == inboundCreated.count, "each share token is redeemed once")
        #expect(events.allSatisfy { $0.pendingWorkflows == nil }, "no workflow is left pending")
        #expect(try await store.pendingShareTokens().isEmpty)
        let redeeming = runs.filter { $0.workflowID == "auto-redeem" }
        let onward = runs.filter { $0.workflowID == "share-onward" }
        #expect(redeeming.count == inboundCreated.count, "\(redeeming.count) runs for \(inboundCreated.count) triggers")
        #expect(Set(redeeming.map(\.triggerEventID)) == inboundCreated)
        #expect(onward.count == inboundRedeemed.count, "\(onward.count) runs for \(inboundRedeemed.count) triggers")
        #expect(Set(onward.map(\.triggerEventID)) == inboundRedeemed)
        #expect(runs.allSatisfy { $0.outcome == .succeeded }, "\(runs.compactMap(\.error))")
        let forwarded = try await store.events(of: OrganizationID(validated: Self.partner), after: nil, limit: 100_000)
        #expect(forwarded.filter { $0.name == .inboundCreated }.count == onward.count, "each onward share token is created once")
    }

    // MARK: Load

    /// Issues tokens at the processes in turn, revokes some of those acknowledged (at the process
    /// after the one that issued them) and creates share tokens (events to deliver), until the
    /// ledger says stop.
    static func load(worker: Int, across bases: [URL], into ledger: LoadLedger) async {
        var step = 0
        while await ledger.continuesLoad() {
            let base = bases[(worker + step) % bases.count]
            let killed = await ledger.killed
            switch step % 4 {
            case 0:
                _ = try? await createShareToken(at: base)
            case 3:
                if let pair = await ledger.takeForRevocation() {
                    let answer = try? await oauth(base, "/oauth/revoke", ["token": pair.refresh])
                    await ledger.revocation(of: pair, acknowledged: answer?.status == 200)
                }
            default:
                if let pair = await issue(at: base) { await ledger.issued(pair, byTheFirst: base == bases[0]) }
            }
            await ledger.countStep(afterKill: killed)
            step += 1
        }
    }

    /// An access token and the refresh token issued with it.
    struct TokenPair: Sendable, Hashable {
        var access: String
        var refresh: String
    }

    /// What the load of the kill test was told: the pairs and the revocations acknowledged; and
    /// when the load stops: some steps after the kill, or when the kill did not come.
    actor LoadLedger {
        /// Acknowledged pairs no revocation was sent for.
        private(set) var live: [TokenPair] = []
        /// Pairs whose refresh token's revocation was acknowledged.
        private(set) var revoked: [TokenPair] = []
        private(set) var killed = false
        private var gaveUp = false
        private var stepsAfterKill = 0
        private let start = ContinuousClock.now

        /// Steps the load runs after the kill: the survivor answers alone for a while.
        static let stepsAfterKill = 40

        /// Pairs the first process (the one killed) acknowledged.
        private(set) var issuedByTheFirst = 0

        func issued(_ pair: TokenPair, byTheFirst: Bool) {
            live.append(pair)
            if byTheFirst { issuedByTheFirst += 1 }
        }

        /// A live pair to revoke, taken out of ``live``: what became of it is known only if the
        /// revocation is acknowledged.
        func takeForRevocation() -> TokenPair? { live.isEmpty ? nil : live.removeFirst() }

        func revocation(of pair: TokenPair, acknowledged: Bool) {
            if acknowledged { revoked.append(pair) }
        }

        func markKilled() { killed = true }
        func giveUp() { gaveUp = true }

        func countStep(afterKill: Bool) {
            if afterKill { stepsAfterKill += 1 }
        }

        func continuesLoad() -> Bool {
            !gaveUp && stepsAfterKill < Self.stepsAfterKill && ContinuousClock.now - start < patience
        }
    }

    /// The share tokens the workflow kill test's creators got acknowledged, and when the first
    /// process is killed: after ``creationsBeforeKill``; the load then goes on at the survivor.
    actor KillLedger {
        private(set) var created = 0
        private(set) var killed = false
        private var createdAfterKill = 0
        private let start = ContinuousClock.now

        static let creationsBeforeKill = 24
        static let creationsAfterKill = 24

        /// Counts an acknowledged creation; `true` once, when the first process is to be killed now.
        func recordCreation() -> Bool {
            created += 1
            if killed {
                createdAfterKill += 1
                return false
            }
            killed = created >= Self.creationsBeforeKill
            return killed
        }

        func keepsCreating() -> Bool {
            ContinuousClock.now - start < patience && createdAfterKill < Self.creationsAfterKill
        }
    }

    /// The share tokens the workflow test's creators got acknowledged, and where they send the
    /// next: the first process until the second runs, then both in turn.
    actor CreationLedger {
        private(set) var created = 0
        private var createdAfterStart = 0
        private var secondProcess: URL?
        private let start = ContinuousClock.now

        /// Creations after the second process started: enough for redemptions of both to overlap.
        static let creationsAfterStart = 30

        func markStarted(_ url: URL) { secondProcess = url }

        func recordCreation() {
            created += 1
            if secondProcess != nil { createdAfterStart += 1 }
        }

        func keepsCreating() -> Bool {
            ContinuousClock.now - start < patience && (secondProcess == nil || createdAfterStart < Self.creationsAfterStart)
        }

        /// Where creation attempt `step` goes: `first` until the second process runs, then either.
        func target(_ step: Int, first: URL) -> URL {
            guard let secondProcess, step.isMultiple(of: 2) else { return first }
            return secondProcess
        }
    }
}
#endif
