import PostgresNIO
import ShareModels
import ShareSandbox
@testable import ShareSandboxPostgres
import Testing

/// The PostgreSQL store under many concurrent lookups and inserts, which it coalesces into shared
/// statements: each caller still gets exactly its own rows, sees every change committed before it
/// asked, and an insert that cannot be stored fails alone.
@Suite("PostgreSQL: coalesced lookups and inserts", .enabled(if: PostgresTestDatabase.isConfigured, PostgresTestDatabase.skipReason))
struct PostgresCoalescedStatementTests {
    static let client = StoredClient(
        id: "lender", secretDigest: SecretDigest(hashing: "secret"), partnerID: nil, partnerURN: nil, scopes: "user:read",
        grantTypes: "client_credentials")

    /// The access and refresh token of grant `number`.
    static func pair(_ number: Int) -> [StoredToken] {
        [
            StoreSamples.token("r\(number)", kind: .refresh, family: "fam-\(number)"),
            StoreSamples.token("a\(number)", kind: .access, family: "fam-\(number)", parent: "r\(number)"),
        ]
    }

    @Test("150 concurrent issues are stored, and 400 concurrent lookups each read their own client and token")
    func concurrentCallersGetTheirOwnRows() async throws {
        try await PostgresTestDatabase.withStore { store in
            try await store.saveClient(Self.client)
            try await withThrowingDiscardingTaskGroup { group in
                for number in 0..<150 { group.addTask { try await store.insertTokens(Self.pair(number)) } }
            }
            try await withThrowingDiscardingTaskGroup { group in
                for number in 0..<400 {
                    group.addTask {
                        // Known and unknown tokens, known and unknown clients, all at once.
                        let name = number < 300 ? "a\(number % 150)" : "unknown\(number)"
                        let clientID = number % 7 == 0 ? "stranger" : "lender"
                        let found = try await store.client(id: clientID, token: StoreSamples.digest(name))
                        #expect(found.client == (clientID == "lender" ? Self.client : nil))
                        #expect(found.token?.digest == (number < 300 ? StoreSamples.digest(name) : nil))
                        if number < 300 { #expect(found.token?.familyID == "fam-\(number % 150)") }
                        #expect(try await store.client(id: clientID) == found.client)
                    }
                }
            }
        }
    }

    @Test("lookups that start after a revocation committed all see it")
    func lookupsSeeEarlierRevocations() async throws {
        try await PostgresTestDatabase.withStore { store in
            try await store.saveClient(Self.client)
            try await store.insertTokens(Self.pair(1))
            #expect(try await store.client(id: "lender", token: StoreSamples.digest("a1")).token?.revokedAt == nil)
            #expect(try await store.revokeTree(from: StoreSamples.digest("r1"), at: 1600) == 2)
            try await withThrowingDiscardingTaskGroup { group in
                for _ in 0..<200 {
                    group.addTask {
                        let found = try await store.client(id: "lender", token: StoreSamples.digest("a1"))
                        #expect(found.token?.revokedAt == 1600)
                    }
                }
            }
        }
    }

    @Test("among 60 concurrent inserts, the one that repeats a stored token fails alone")
    func aFailingInsertFailsAlone() async throws {
        try await PostgresTestDatabase.withStore { store in
            try await store.insertTokens(Self.pair(0))
            let failures = try await withThrowingTaskGroup(of: Int?.self) { group in
                for number in 0..<60 {
                    group.addTask {
                        do {
                            try await store.insertTokens(Self.pair(number == 30 ? 0 : 1000 + number))
                            return nil
                        } catch {
                            return number
                        }
                    }
                }
                return try await group.reduce(into: [Int]()) { if let failed = $1 { $0.append(failed) } }
            }
            #expect(failures == [30])
            for number in 0..<60 where number != 30 {
                #expect(try await store.token(StoreSamples.digest("a\(1000 + number)")) != nil)
            }
        }
    }

    @Test("the coalesced lookup probes the primary keys, never scanning or hashing a large tokens table")
    func lookupPlanProbesIndexes() async throws {
        try await PostgresTestDatabase.withDatabase { location in
            try await PostgresSandboxStore.withStore(location, maximumConnections: 2, connectTimeout: PostgresTestDatabase.migrationPatience, logger: PostgresTestDatabase.logger) { store in
                try await store.saveClient(Self.client)
                for chunk in 0..<4 {
                    try await store.insertTokens((0..<2_500).flatMap { Self.pair(chunk * 2_500 + $0) })
                }
            }
            let client = PostgresClient(configuration: location.clientConfiguration)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                // No ANALYZE: right after a burst of inserts the planner's statistics still
                // describe a small table, as they do in a busy sandbox between autovacuum runs.
                var bindings = PostgresBindings()
                bindings.append(Array(repeating: "lender", count: 16))
                bindings.append((0..<16).map { ByteBuffer(bytes: StoreSamples.digest("a\($0 * 97)").bytes) })
                let explain = PostgresQuery(unsafeSQL: "EXPLAIN " + PostgresLookupStatement.ClientsAndTokens.sql, binds: bindings)
                var plan: [String] = []
                for try await line in try await client.query(explain, logger: PostgresTestDatabase.logger).decode(String.self) {
                    plan.append(line)
                }
                let text = plan.joined(separator: "\n")
                #expect(text.contains("Index Scan using tokens_pkey"), "\(text)")
                #expect(!text.contains("Seq Scan on tokens"), "\(text)")
                #expect(!text.contains("Hash"), "\(text)")
            }
        }
    }

    @Test("lookups open their connection again after the server closed it, and none after the store stopped")
    func lookupsReconnect() async throws {
        try await PostgresTestDatabase.withDatabase { location in
            let stopped = try await PostgresSandboxStore.withStore(location, maximumConnections: 2, connectTimeout: PostgresTestDatabase.migrationPatience, logger: PostgresTestDatabase.logger) {
                store in
                try await store.saveClient(Self.client)
                try await store.insertTokens(Self.pair(1))
                #expect(try await store.client(id: "lender", token: StoreSamples.digest("a1")).token != nil)
                // Every connection of the store to its database, the lookups' own included.
                try await PostgresTestDatabase.administer(
                    location,
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
                // A lookup may still meet the closing connection once; the next opens another.
                var found: StoredToken?
                for _ in 0..<3 where found == nil {
                    found = try? await store.client(id: "lender", token: StoreSamples.digest("a1")).token
                }
                #expect(found?.familyID == "fam-1")
                let lookups = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for _ in 0..<50 {
                        group.addTask { try await store.client(id: "lender", token: StoreSamples.digest("a1")).token != nil }
                    }
                    return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
                #expect(lookups == 50)
                return store
            }
            await #expect(throws: CancellationError.self) {
                _ = try await stopped.client(id: "lender", token: StoreSamples.digest("a1"))
            }
        }
    }
}
