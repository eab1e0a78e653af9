import Foundation
import ShareModels
import ShareSandbox
import ShareWire
import Testing

/// One documented behaviour of ``SandboxStore`` and ``IdempotencyStore``, checked the same way on
/// every store (``StoreContractTests``, ``PostgresStoreContractTests``).
struct StoreContract: Sendable, CustomTestStringConvertible {
    let name: String
    let check: @Sendable (any SandboxStore, any IdempotencyStore) async throws -> Void

    var testDescription: String { name }

    static let all: [StoreContract] = oauth + shareTokens + deliveries + workflows + control + races + retention
}

// MARK: Clients, users, tokens

extension StoreContract {
    static let oauth: [StoreContract] = [
        StoreContract(name: "a client reads back as saved, and saving again replaces it") { store, _ in
            let client = StoredClient(
                id: "lender", secretDigest: SecretDigest(hashing: "secret"), partnerID: nil, partnerURN: nil, scopes: "user:read",
                grantTypes: "client_credentials")
            try await store.saveClient(client)
            #expect(try await store.client(id: "lender") == client)
            var replaced = client
            replaced.partnerID = "fannie-mae"
            replaced.partnerURN = "urn:fannie"
            replaced.secretDigest = SecretDigest(hashing: "other")
            try await store.saveClient(replaced)
            #expect(try await store.client(id: "lender") == replaced)
            #expect(try await store.client(id: "nobody") == nil)
        },
        StoreContract(name: "a user is created once per client and client user id; a new user token digest replaces the old") { store, _ in
            let first = StoredUser(
                id: "usr_1", clientID: "lender", clientUserID: "alice", createdAt: 10, identityJSON: #"{"identity":{}}"#,
                userTokenDigest: StoreSamples.digest("ut-1"))
            #expect(try await store.createUser(first) == first)
            let again = StoredUser(id: "usr_2", clientID: "lender", clientUserID: "alice", createdAt: 20, userTokenDigest: StoreSamples.digest("ut-2"))
            let stored = try await store.createUser(again)
            #expect(stored.id == "usr_1" && stored.createdAt == 10 && stored.identityJSON == first.identityJSON)
            #expect(stored.userTokenDigest == StoreSamples.digest("ut-2"))
            #expect(try await store.user(id: "usr_2") == nil)
            #expect(try await store.user(tokenDigest: StoreSamples.digest("ut-1")) == nil)
            #expect(try await store.user(tokenDigest: StoreSamples.digest("ut-2"))?.id == "usr_1")
            let other = StoredUser(id: "usr_3", clientID: "other-app", clientUserID: "alice", createdAt: 30)
            #expect(try await store.createUser(other) == other)
            #expect(try await store.user(id: "usr_3") == other)
            #expect(try await store.createUser(StoredUser(id: "usr_4", clientID: "lender", clientUserID: "alice", createdAt: 40)).userTokenDigest
                == StoreSamples.digest("ut-2"))
        },
        StoreContract(name: "tokens read back with every field; unknown digests are nil") { store, _ in
            let root = StoreSamples.token("r1")
            var access = StoreSamples.token("a1", kind: .access, parent: "r1")
            access.revokedAt = 1500
            var user = StoreSamples.token("u1", parent: "r1")
            user.spentAt = 1200
            try await store.insertTokens([root, access, user])
            #expect(try await store.token(root.digest) == root)
            #expect(try await store.token(access.digest) == access)
            #expect(try await store.token(user.digest) == user)
            #expect(try await store.token(StoreSamples.digest("missing")) == nil)
        },
        StoreContract(name: "a client and a token read together equal each read alone; either may be unknown") { store, _ in
            let client = StoredClient(
                id: "lender", secretDigest: SecretDigest(hashing: "secret"), partnerID: "fannie-mae", partnerURN: "urn:fannie",
                scopes: "user:read", grantTypes: "client_credentials")
            try await store.saveClient(client)
            var access = StoreSamples.token("a1", kind: .access, parent: "r1")
            access.revokedAt = 1500
            let user = StoreSamples.token("u1", parent: "r1")
            try await store.insertTokens([StoreSamples.token("r1"), access, user])
            for token in [access, user] {
                let found = try await store.client(id: "lender", token: token.digest)
                #expect(found.client == client)
                #expect(found.token == token)
            }
            let noToken = try await store.client(id: "lender", token: StoreSamples.digest("missing"))
            #expect(noToken.client == client && noToken.token == nil)
            let noClient = try await store.client(id: "nobody", token: access.digest)
            #expect(noClient.client == nil && noClient.token == access)
            let neither = try await store.client(id: "nobody", token: StoreSamples.digest("missing"))
            #expect(neither.client == nil && neither.token == nil)
            try await store.revokeTree(from: user.digest, at: 1600)
            #expect(try await store.client(id: "lender", token: user.digest).token?.revokedAt == 1600)
        },
        StoreContract(name: "tokens derive from a usable parent only") { store, _ in
            var spent = StoreSamples.token("spent")
            spent.spentAt = 900
            var revoked = StoreSamples.token("revoked")
            revoked.revokedAt = 900
            try await store.insertTokens([StoreSamples.token("live"), spent, revoked, StoreSamples.token("short", expiresAt: 1100)])
            let child = StoreSamples.token("child", parent: "live")
            #expect(try await store.insertTokens([child], derivedFrom: StoreSamples.digest("live"), at: 1000))
            #expect(try await store.token(child.digest) == child)
            for parent in ["spent", "revoked", "missing"] {
                let orphan = StoreSamples.token("orphan-\(parent)", parent: parent)
                #expect(try await !store.insertTokens([orphan], derivedFrom: StoreSamples.digest(parent), at: 1000), "\(parent)")
                #expect(try await store.token(orphan.digest) == nil, "\(parent)")
            }
            #expect(try await !store.insertTokens([StoreSamples.token("late", parent: "short")], derivedFrom: StoreSamples.digest("short"), at: 1100))
        },
        StoreContract(name: "rotation spends a refresh token once; presenting it again revokes the family") { store, _ in
            try await store.insertTokens([
                StoreSamples.token("r1"), StoreSamples.token("a1", kind: .access, parent: "r1"),
                StoreSamples.token("elsewhere", family: "fam-2"),
            ])
            let pair = [StoreSamples.token("r2", parent: "r1"), StoreSamples.token("a2", kind: .access, parent: "r1")]
            #expect(try await store.rotate(spending: StoreSamples.digest("r1"), issuing: pair, at: 1100) == .rotated)
            #expect(try await store.token(StoreSamples.digest("r1"))?.spentAt == 1100)
            #expect(try await store.token(StoreSamples.digest("r2")) == pair[0])
            let rotation = try await store.rotate(spending: StoreSamples.digest("r1"), issuing: [StoreSamples.token("r3", parent: "r1")], at: 1200)
            #expect(rotation == .reused(revokedCount: 4))
            #expect(try await store.token(StoreSamples.digest("r3")) == nil)
            for name in ["r1", "a1", "r2", "a2"] { #expect(try await store.token(StoreSamples.digest(name))?.revokedAt == 1200, "\(name)") }
            #expect(try await store.token(StoreSamples.digest("elsewhere"))?.revokedAt == nil)
        },
        StoreContract(name: "rotation of an unknown, access, revoked or expired token changes nothing") { store, _ in
            var revoked = StoreSamples.token("revoked")
            revoked.revokedAt = 900
            try await store.insertTokens([StoreSamples.token("access", kind: .access), revoked, StoreSamples.token("old", expiresAt: 1000)])
            for name in ["missing", "access", "revoked", "old"] {
                let issued = StoreSamples.token("new-\(name)")
                #expect(try await store.rotate(spending: StoreSamples.digest(name), issuing: [issued], at: 1000) == .inactive, "\(name)")
                #expect(try await store.token(issued.digest) == nil, "\(name)")
            }
        },
        StoreContract(name: "revoking a token revokes its descendants, not its ancestors or siblings, once") { store, _ in
            try await store.insertTokens([
                StoreSamples.token("root"), StoreSamples.token("left", parent: "root"), StoreSamples.token("right", parent: "root"),
                StoreSamples.token("left-child", parent: "left"), StoreSamples.token("left-access", kind: .access, parent: "left"),
            ])
            #expect(try await store.revokeTree(from: StoreSamples.digest("left"), at: 1300) == 3)
            for name in ["left", "left-child", "left-access"] { #expect(try await store.token(StoreSamples.digest(name))?.revokedAt == 1300) }
            for name in ["root", "right"] { #expect(try await store.token(StoreSamples.digest(name))?.revokedAt == nil) }
            #expect(try await store.revokeTree(from: StoreSamples.digest("left"), at: 1400) == 0)
            #expect(try await store.revokeTree(from: StoreSamples.digest("missing"), at: 1400) == 0)
            #expect(try await store.revokeTree(from: StoreSamples.digest("root"), at: 1500) == 2)
            #expect(try await store.token(StoreSamples.digest("left"))?.revokedAt == 1300)
        },
    ]
}

// MARK: Records, share tokens, connections, workflow runs

extension StoreContract {
    static let shareTokens: [StoreContract] = [
        StoreContract(name: "seeding keeps stored records; saving replaces them and stores the events") { store, _ in
            try await store.seedRecords([StoreSamples.record("inq_1", of: StoreSamples.source, value: "first")])
            try await store.seedRecords([
                StoreSamples.record("inq_1", of: StoreSamples.source, value: "second"), StoreSamples.record("txn_1", of: StoreSamples.source),
            ])
            #expect(try await store.record(id: SourceID(validated: "inq_1")) == StoreSamples.record("inq_1", of: StoreSamples.source, value: "first"))
            #expect(try await store.record(id: SourceID(validated: "txn_1")) != nil)
            let replaced = StoreSamples.record("inq_1", of: StoreSamples.source, value: "third", sharedFrom: ShareTokenID(validated: "cnst_9"))
            try await store.saveRecord(replaced, events: [StoreSamples.event(1)])
            #expect(try await store.record(id: SourceID(validated: "inq_1")) == replaced)
            #expect(try await store.event(id: EventID(validated: "evt_1")) == StoreSamples.event(1))
            #expect(try await store.record(id: SourceID(validated: "inq_404")) == nil)
        },
        StoreContract(name: "a share token and its events are stored together and read back") { store, _ in
            let token = StoreSamples.shareToken(1)
            try await store.insertShareToken(token, events: [StoreSamples.event(1), StoreSamples.event(2, of: StoreSamples.destination)])
            #expect(try await store.shareToken(id: token.id) == token)
            #expect(try await store.events(of: StoreSamples.source, after: nil, limit: 10).map(\.id.rawValue) == ["evt_1"])
            #expect(try await store.events(of: StoreSamples.destination, after: nil, limit: 10).map(\.id.rawValue) == ["evt_2"])
            #expect(try await store.shareToken(id: ShareTokenID(validated: "cnst_404")) == nil)
        },
        StoreContract(name: "share-token listings: visible to both sides, newest first, filtered, after a cursor, limited") { store, _ in
            let now = StoreSamples.epoch.addingTimeInterval(100)
            for number in 1...6 {
                let other = ConnectionID(validated: "cxn_other")
                try await store.insertShareToken(
                    StoreSamples.shareToken(number, ttl: number == 3 ? 50 : 3600, connection: number == 5 ? other : StoreSamples.connection),
                    events: [])
            }
            func ids(_ organization: OrganizationID, _ query: ShareTokenQuery) async throws -> [String] {
                try await store.shareTokens(visibleTo: organization, matching: query, at: now).map(\.id.rawValue)
            }
            #expect(try await ids(StoreSamples.source, ShareTokenQuery(limit: 10)) == (1...6).reversed().map { "cnst_\($0)" })
            #expect(try await ids(StoreSamples.destination, ShareTokenQuery(direction: .inbound, limit: 2)) == ["cnst_6", "cnst_5"])
            #expect(try await ids(StoreSamples.destination, ShareTokenQuery(direction: .outbound, limit: 10)).isEmpty)
            #expect(try await ids(StoreSamples.stranger, ShareTokenQuery(limit: 10)).isEmpty)
            #expect(try await ids(StoreSamples.source, ShareTokenQuery(status: .expired, limit: 10)) == ["cnst_3"])
            #expect(try await ids(StoreSamples.source, ShareTokenQuery(status: .created, after: ShareTokenID(validated: "cnst_5"), limit: 2))
                == ["cnst_4", "cnst_2"])
            #expect(try await ids(StoreSamples.source, ShareTokenQuery(connectionID: ConnectionID(validated: "cxn_other"), limit: 10)) == ["cnst_5"])
            #expect(try await ids(StoreSamples.source, ShareTokenQuery(after: ShareTokenID(validated: "cnst_404"), limit: 10)).isEmpty)
        },
        StoreContract(name: "a share token is replaced only from the expected status, with its record and events") { store, _ in
            let token = StoreSamples.shareToken(1)
            try await store.insertShareToken(token, events: [])
            var pending = token
            pending.destinationID = SourceID(validated: "inq_dest")
            pending.lifecycle = try token.lifecycle.applying(.beginRedemption, at: StoreSamples.epoch.addingTimeInterval(5))
            #expect(try await store.replaceShareToken(pending, expecting: .created, record: nil, events: [StoreSamples.event(1)]) == .replaced)
            #expect(try await store.shareToken(id: token.id) == pending)
            #expect(try await store.pendingShareTokens() == [pending])
            #expect(try await store.replaceShareToken(pending, expecting: .created, record: nil, events: [StoreSamples.event(2)]) == .statusChanged)
            #expect(try await store.event(id: EventID(validated: "evt_2")) == nil)
            var redeemed = pending
            redeemed.lifecycle = try pending.lifecycle.applying(.finishRedemption, at: StoreSamples.epoch.addingTimeInterval(6))
            let record = StoreSamples.record("inq_dest", of: StoreSamples.destination, sharedFrom: token.id)
            #expect(try await store.replaceShareToken(redeemed, expecting: .pending, record: record, events: [StoreSamples.event(3)]) == .replaced)
            #expect(try await store.shareToken(id: token.id) == redeemed)
            #expect(try await store.record(id: record.id) == record)
            #expect(try await store.event(id: EventID(validated: "evt_3")) != nil)
            #expect(try await store.pendingShareTokens().isEmpty)
        },
        StoreContract(name: "a replacement never overwrites another organization's record, and changes nothing then") { store, _ in
            try await store.seedRecords([StoreSamples.record("inq_taken", of: StoreSamples.stranger)])
            let token = StoreSamples.shareToken(1)
            try await store.insertShareToken(token, events: [])
            var redeemed = token
            redeemed.lifecycle = try token.lifecycle.applying(.beginRedemption, at: StoreSamples.epoch)
            let record = StoreSamples.record("inq_taken", of: StoreSamples.destination)
            #expect(try await store.replaceShareToken(redeemed, expecting: .created, record: record, events: [StoreSamples.event(1)])
                == .recordOwnedByAnotherOrganization)
            #expect(try await store.shareToken(id: token.id) == token)
            #expect(try await store.record(id: record.id)?.organization == StoreSamples.stranger)
            #expect(try await store.event(id: EventID(validated: "evt_1")) == nil)
        },
        StoreContract(name: "pending share tokens are listed oldest first") { store, _ in
            for number in 1...3 {
                var token = StoreSamples.shareToken(number)
                if number != 2 { token.lifecycle = try token.lifecycle.applying(.beginRedemption, at: StoreSamples.epoch) }
                try await store.insertShareToken(token, events: [])
            }
            #expect(try await store.pendingShareTokens().map(\.id.rawValue) == ["cnst_1", "cnst_3"])
        },
        StoreContract(name: "connections: seeding keeps stored ones, listings are newest first, replacement checks the status") { store, _ in
            try await store.seedConnections([StoreSamples.connection(1, status: .active)])
            try await store.seedConnections([StoreSamples.connection(1, status: .pending), StoreSamples.connection(2)])
            #expect(try await store.connection(id: ConnectionID(validated: "cxn_1"))?.status == .active)
            try await store.insertConnection(StoreSamples.connection(3))
            #expect(try await store.connections(of: StoreSamples.destination, after: nil, limit: 10).map(\.id.rawValue) == ["cxn_3", "cxn_2", "cxn_1"])
            #expect(try await store.connections(of: StoreSamples.source, after: ConnectionID(validated: "cxn_3"), limit: 1).map(\.id.rawValue) == ["cxn_2"])
            #expect(try await store.connections(of: StoreSamples.stranger, after: nil, limit: 10).isEmpty)
            var accepted = StoreSamples.connection(3)
            accepted.lifecycle = try accepted.lifecycle.applying(.accept, by: .destination, at: StoreSamples.epoch.addingTimeInterval(9))
            #expect(try await store.replaceConnection(accepted, expecting: .pending))
            #expect(try await store.connection(id: accepted.id) == accepted)
            #expect(try await !store.replaceConnection(accepted, expecting: .pending))
            #expect(try await store.connection(id: ConnectionID(validated: "cxn_404")) == nil)
        },
        StoreContract(name: "workflow runs read back newest first, after a cursor") { store, _ in
            var recorded: [WorkflowRunRecording] = []
            for number in 1...4 { recorded.append(try await store.recordWorkflowRun(StoreSamples.workflowRun(number), action: nil)) }
            recorded.append(try await store.recordWorkflowRun(StoreSamples.workflowRun(5, of: StoreSamples.source), action: nil))
            #expect(recorded == Array(repeating: .recorded, count: 5))
            let runs = try await store.workflowRuns(of: StoreSamples.destination, after: nil, limit: 10)
            #expect(runs == (1...4).reversed().map { StoreSamples.workflowRun($0) })
            #expect(try await store.workflowRuns(of: StoreSamples.destination, after: WorkflowRunID(validated: "wfr_3"), limit: 1).map(\.id.rawValue)
                == ["wfr_2"])
        },
    ]
}

// MARK: Events and deliveries

extension StoreContract {
    static let deliveries: [StoreContract] = [
        StoreContract(name: "events are listed newest first per organization, after a cursor") { store, _ in
            try await store.saveRecord(
                StoreSamples.record("inq_1", of: StoreSamples.source),
                events: (1...5).map { StoreSamples.event($0, of: $0 == 4 ? StoreSamples.destination : StoreSamples.source) })
            #expect(try await store.events(of: StoreSamples.source, after: nil, limit: 3).map(\.id.rawValue) == ["evt_5", "evt_3", "evt_2"])
            #expect(try await store.events(of: StoreSamples.source, after: EventID(validated: "evt_3"), limit: 10).map(\.id.rawValue)
                == ["evt_2", "evt_1"])
            #expect(try await store.event(id: EventID(validated: "evt_404")) == nil)
        },
        StoreContract(name: "due deliveries: pending ones due now, oldest first, limited; progress is recorded") { store, _ in
            let now = StoreSamples.epoch.addingTimeInterval(60)
            try await store.saveRecord(
                StoreSamples.record("inq_1", of: StoreSamples.source),
                events: [
                    StoreSamples.event(1), StoreSamples.event(2, state: .delivered), StoreSamples.event(3, nextAttemptAt: now.addingTimeInterval(1)),
                    StoreSamples.event(4, nextAttemptAt: now), StoreSamples.event(5, state: .notRequested),
                    StoreSamples.event(6, createdAt: now.addingTimeInterval(5)), StoreSamples.event(7),
                ])
            #expect(try await store.dueDeliveries(at: now, limit: 10).map(\.id.rawValue) == ["evt_1", "evt_4", "evt_7"])
            #expect(try await store.dueDeliveries(at: now, limit: 2).map(\.id.rawValue) == ["evt_1", "evt_4"])
            #expect(try await store.claimDelivery(of: EventID(validated: "evt_1"), at: now, until: now.addingTimeInterval(30)))
            let failed = StoredEvent.Delivery(
                state: .pending, attempts: 1, nextAttemptAt: now.addingTimeInterval(10), lastError: "status 500", firstAttemptAt: now)
            try await store.updateDelivery(of: EventID(validated: "evt_1"), to: failed)
            // Everything recorded reads back, the first attempt's time included.
            #expect(try await store.event(id: EventID(validated: "evt_1"))?.delivery == failed)
            #expect(try await store.dueDeliveries(at: now, limit: 10).map(\.id.rawValue) == ["evt_4", "evt_7"])
            #expect(try await store.dueDeliveries(at: now.addingTimeInterval(10), limit: 10).map(\.id.rawValue)
                == ["evt_1", "evt_3", "evt_4", "evt_6", "evt_7"])
            try await store.updateDelivery(of: EventID(validated: "evt_4"), to: StoredEvent.Delivery(state: .delivered, attempts: 1))
            #expect(try await store.dueDeliveries(at: now, limit: 10).map(\.id.rawValue) == ["evt_7"])
        },
    ]
}

// MARK: Idempotency and the control plane

extension StoreContract {
    static let control: [StoreContract] = [
        StoreContract(name: "idempotent answers: saved per organization and key, replaced, pruned by age, removed") { _, answers in
            let old = StoreSamples.answer("old", createdAt: StoreSamples.epoch)
            try await answers.saveIdempotentAnswer(old, pruningBefore: StoreSamples.epoch.addingTimeInterval(-1))
            #expect(try await answers.idempotentAnswer(organization: StoreSamples.source, key: "old") == old)
            #expect(try await answers.idempotentAnswer(organization: StoreSamples.destination, key: "old") == nil)
            let replaced = StoreSamples.answer("old", createdAt: StoreSamples.epoch.addingTimeInterval(1), body: "{}")
            try await answers.saveIdempotentAnswer(replaced, pruningBefore: StoreSamples.epoch)
            #expect(try await answers.idempotentAnswer(organization: StoreSamples.source, key: "old") == replaced)
            let new = StoreSamples.answer("new", createdAt: StoreSamples.epoch.addingTimeInterval(100))
            try await answers.saveIdempotentAnswer(new, pruningBefore: StoreSamples.epoch.addingTimeInterval(50))
            #expect(try await answers.idempotentAnswer(organization: StoreSamples.source, key: "old") == nil)
            #expect(try await answers.idempotentAnswer(organization: StoreSamples.source, key: "new") == new)
            try await answers.removeAllAnswers()
            #expect(try await answers.idempotentAnswer(organization: StoreSamples.source, key: "new") == nil)
        },
        StoreContract(name: "the clock advances atomically up to its maximum and resets, each change a new version") { store, _ in
            #expect(try await store.clockSetting() == .start)
            let first = try #require(try await store.advanceClock(by: 3600, maximumOffset: 10_000))
            #expect(first.offsetSeconds == 3600 && first.version > 0)
            let second = try #require(try await store.advanceClock(by: 3600, maximumOffset: 10_000))
            #expect(second.offsetSeconds == 7200 && second.version > first.version)
            #expect(try await store.advanceClock(by: 2801, maximumOffset: 10_000) == nil)
            #expect(try await store.clockSetting() == second)
            // Concurrent advances all count.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<10 { group.addTask { _ = try await store.advanceClock(by: 10, maximumOffset: 10_000) } }
                try await group.waitForAll()
            }
            let advanced = try await store.clockSetting()
            #expect(advanced.offsetSeconds == 7300 && advanced.version == second.version + 10)
            let reset = try await store.resetClock()
            #expect(reset.offsetSeconds == 0 && reset.version > advanced.version)
            #expect(try await store.clockSetting() == reset)
        },
        StoreContract(name: "faults: added in order up to a limit, counted down exactly, removed one by one or all") { store, _ in
            #expect(try await store.faults().isEmpty)
            let first = SandboxFault(
                id: "flt_1", method: "POST", path: "/oauth/token", clientID: "lender", status: 429, body: .object(["x": .array([.integer(1)])]),
                delayMilliseconds: 5, times: 3)
            let second = SandboxFault(id: "flt_2", path: "/oauth/revoke", dropConnection: true, times: 1)
            #expect(try await store.addFault(first, maximumCount: 2))
            #expect(try await store.addFault(second, maximumCount: 2))
            #expect(try await !store.addFault(SandboxFault(id: "flt_3", path: "/x", status: 500, times: 1), maximumCount: 2))
            #expect(try await store.faults() == [first, second])
            let outcomes = try await withThrowingTaskGroup(of: SandboxFault?.self) { group in
                for _ in 0..<8 { group.addTask { try await store.countDownFault(id: "flt_1") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.compactMap { $0 }.map(\.remaining).sorted() == [0, 1, 2])
            #expect(try await store.faults() == [second])
            #expect(try await store.removeFault(id: "flt_1") == nil)
            #expect(try await store.removeFault(id: "flt_2") == second)
            #expect(try await store.addFault(first, maximumCount: 2))
            #expect(try await store.addFault(second, maximumCount: 2))
            #expect(try await store.removeAllFaults() == 2)
            #expect(try await store.faults().isEmpty)
            #expect(try await store.addFault(second, maximumCount: 2))
            try await store.eraseAll()
            #expect(try await store.faults().isEmpty)
        },
        StoreContract(name: "erasing removes everything and puts the clock back, with a new version") { store, _ in
            let advanced = try #require(try await store.advanceClock(by: 7200, maximumOffset: 10_000))
            try await store.saveClient(
                StoredClient(id: "c", secretDigest: SecretDigest(hashing: "s"), partnerID: nil, partnerURN: nil, scopes: "", grantTypes: ""))
            _ = try await store.createUser(StoredUser(id: "usr_1", clientID: "c", clientUserID: "a", createdAt: 1))
            try await store.insertTokens([StoreSamples.token("r1")])
            try await store.insertShareToken(StoreSamples.shareToken(1), events: [StoreSamples.event(1)])
            try await store.seedRecords([StoreSamples.record("inq_1", of: StoreSamples.source)])
            try await store.seedConnections([StoreSamples.connection(1)])
            let recorded = try await store.recordWorkflowRun(StoreSamples.workflowRun(1), action: nil)
            #expect(recorded == .recorded)
            try await store.eraseAll()
            let erased = try await store.clockSetting()
            #expect(erased.offsetSeconds == 0 && erased.version > advanced.version)
            #expect(try await store.client(id: "c") == nil)
            #expect(try await store.user(id: "usr_1") == nil)
            #expect(try await store.token(StoreSamples.digest("r1")) == nil)
            #expect(try await store.shareToken(id: ShareTokenID(validated: "cnst_1")) == nil)
            #expect(try await store.event(id: EventID(validated: "evt_1")) == nil)
            #expect(try await store.record(id: SourceID(validated: "inq_1")) == nil)
            #expect(try await store.connection(id: ConnectionID(validated: "cxn_1")) == nil)
            #expect(try await store.workflowRuns(of: StoreSamples.destination, after: nil, limit: 10).isEmpty)
        },
    ]
}

// MARK: Concurrent calls on one store

extension StoreContract {
    static let races: [StoreContract] = [
        StoreContract(name: "of 20 concurrent rotations of one refresh token one issues a pair, the next is reuse, the rest find it revoked") { store, _ in
            try await store.insertTokens([StoreSamples.token("r1")])
            let outcomes = try await withThrowingTaskGroup(of: RefreshRotation.self) { group in
                for attempt in 0..<20 {
                    group.addTask {
                        try await store.rotate(
                            spending: StoreSamples.digest("r1"), issuing: [StoreSamples.token("r2-\(attempt)", parent: "r1")], at: 1100)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == .rotated }.count == 1)
            #expect(outcomes.filter { $0 == .reused(revokedCount: 2) }.count == 1)
            #expect(outcomes.filter { $0 == .inactive }.count == 18)
            let issued = try await (0..<20).asyncCount { try await store.token(StoreSamples.digest("r2-\($0)")) != nil }
            #expect(issued == 1)
        },
        StoreContract(name: "of 50 concurrent redemptions of one share token exactly one replaces it") { store, _ in
            let token = StoreSamples.shareToken(1)
            try await store.insertShareToken(token, events: [])
            let outcomes = try await withThrowingTaskGroup(of: ShareTokenReplacement.self) { group in
                for attempt in 0..<50 {
                    group.addTask {
                        var pending = token
                        pending.destinationID = SourceID(validated: "inq_dest_\(attempt)")
                        pending.lifecycle = try token.lifecycle.applying(.beginRedemption, at: StoreSamples.epoch)
                        return try await store.replaceShareToken(
                            pending, expecting: .created, record: nil, events: [StoreSamples.event(attempt)])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == .replaced }.count == 1)
            #expect(outcomes.filter { $0 == .statusChanged }.count == 49)
            #expect(try await store.events(of: StoreSamples.source, after: nil, limit: 100).count == 1)
        },
    ]
}

extension Range where Bound == Int {
    /// How many elements pass `predicate`, checked one after another.
    func asyncCount(_ predicate: (Int) async throws -> Bool) async rethrows -> Int {
        var count = 0
        for element in self where try await predicate(element) { count += 1 }
        return count
    }
}
