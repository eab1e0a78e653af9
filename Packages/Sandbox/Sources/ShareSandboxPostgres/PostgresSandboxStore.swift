import Foundation
import Logging
import NIOSSL
import PostgresNIO
import ShareModels
import ShareSandbox

/// A `SandboxStore` and `IdempotencyStore` in a PostgreSQL
/// database (`share-sandbox --data postgres://…`), through a pool of connections
/// (`PostgresClient`), so that any number of sandboxes on one database behave as one sandbox.
///
/// Every statement is parameterised; each call runs in one transaction, and every event is
/// written in the transaction of the change that raises it. The client and token lookups and the
/// token inserts of the OAuth routes are the exception: each is one statement by itself, and
/// under load concurrent callers share one (`StatementCoalescer`), which starts after they
/// arrived, so nothing is ever answered from memory. The lookups run one statement at a time on a
/// connection of their own, outside the pool (`PostgresDedicatedConnection`). Where the SQLite store relies on its
/// single writer, this store locks what a call reads before it writes:
///
/// - a refresh-token rotation, a derivation from a token and a revocation take the advisory lock
///   of the token family, so that of concurrent rotations of one token exactly one issues a pair
///   and the others count as reuse and revoke the family, wherever they run;
/// - a share-token replacement updates the token only while its status is the expected one, and
///   takes the advisory lock of the record it writes, so a token is redeemed exactly once;
/// - a webhook delivery is claimed (`FOR UPDATE SKIP LOCKED`) with a lease before each attempt;
/// - the pending workflows of an event are claimed the same way before they are recovered, and a
///   workflow run is inserted first in the transaction of its action, on the unique
///   (`workflow_id`, `trigger_event_id`) index, so that a second attempt of a pair waits for the
///   first and then stores nothing;
/// - requests with one `Idempotency-Key` hold the key's session advisory lock while they run.
/// - the control plane's clock advances in one statement under its row's lock, and a fault is
///   counted down only while it has some remaining, so a fault applies exactly `times` times;
///   each change notifies `sharekit_control`, which every sandbox listens to
///   (``watchControlChanges(_:)``) to read the clock and the faults again.
///
/// The pools run while ``run()`` does; ``withStore(_:maximumConnections:connectTimeout:listenerHeartbeat:logger:_:)``
/// runs them around a closure. ``migrate(within:)`` brings the schema up to date.
public final class PostgresSandboxStore: SandboxStore, IdempotencyStore, Sendable {
    /// The pool.
    let client: PostgresClient
    /// A second pool, for the session locks of `Idempotency-Key`s: a request holding one runs
    /// its queries through ``client``, so holders never wait for connections other holders keep.
    let keyLocks: PostgresClient
    /// Answers every statement of both pools and of the lookups' own connection, also one whose
    /// connection closes under it.
    let statements: PostgresClosingConnectionWatch
    let logger: Logger
    /// Where the database is, for errors (without its password).
    public let location: PostgresLocation
    /// The client and token lookups of the OAuth routes, coalesced under load
    /// (``PostgresLookupStatement/ClientsAndTokens``).
    private let lookups: StatementCoalescer<Lookup, Result<(client: StoredClient?, token: StoredToken?), any Error>>
    /// The connection the coalesced lookups run on, one statement at a time.
    private let lookupConnection: PostgresDedicatedConnection
    /// The token inserts outside a transaction (every issue), coalesced under load into one `INSERT`.
    private let tokenInserts: StatementCoalescer<[StoredToken], Result<Void, any Error>>

    /// One lookup of ``lookups``: a client, and a token when `digest` is set.
    private struct Lookup: Sendable {
        let clientID: String
        let digest: TokenDigest?
    }

    /// How often the connection that listens for control-plane changes must prove it still
    /// answers, and how long it has to answer (``watchControlChanges(_:)``).
    public let listenerHeartbeat: Duration

    /// A store on the database at `location`, through at most `maximumConnections` connections,
    /// whose listening connection must answer every `listenerHeartbeat`. Nothing connects before
    /// ``run()`` runs.
    public init(location: PostgresLocation, maximumConnections: Int = 20, listenerHeartbeat: Duration = .seconds(15), logger: Logger) {
        self.listenerHeartbeat = listenerHeartbeat
        var configuration = location.clientConfiguration
        configuration.options.maximumConnections = max(1, maximumConnections)
        configuration.options.connectTimeout = .seconds(5)
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.keyLocks = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let statements = PostgresClosingConnectionWatch(
            closedError: PostgresStoreUnreachable(location: location, reason: "the connection closed before the statement was answered"))
        self.statements = statements
        self.logger = logger
        self.location = location
        let client = self.client
        // One statement of each kind at a time: while it runs, the next batch gathers, and a
        // statement for many callers costs the database little more than one for a single caller.
        // Measured on 2 cores with 64 connections (docs/benchmarks.md), one at a time answers
        // about 1.5 times the introspections of four at a time (larger batches, fewer
        // statements), and nothing in either statement waits for a lock.
        let lookupConnection = PostgresDedicatedConnection(location: location, watch: statements, logger: logger)
        self.lookupConnection = lookupConnection
        self.lookups = StatementCoalescer(maximumRunning: 1, maximumBatch: 256) { lookups in
            try await lookupConnection.run { connection in try await Self.lookUp(lookups, on: connection, logger: logger) }
        }
        self.tokenInserts = StatementCoalescer(maximumRunning: 1, maximumBatch: 64) { inserts in
            await Self.insert(inserts, in: client, statements: statements, logger: logger)
        }
    }

    /// Runs the pools until the task is cancelled; queries wait for it.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.client.run() }
            group.addTask { await self.keyLocks.run() }
        }
        await lookupConnection.close()
    }

    /// Runs a store on `location` for the duration of `body`: the pool runs, the schema is
    /// migrated (``PostgresStoreUnreachable`` when the database does not answer within
    /// `connectTimeout`), `body` gets the store, and the pool stops when it returns.
    public static func withStore<Result: Sendable>(
        _ location: PostgresLocation, maximumConnections: Int = 20, connectTimeout: Duration = .seconds(10),
        listenerHeartbeat: Duration = .seconds(15), logger: Logger,
        _ body: @Sendable (PostgresSandboxStore) async throws -> Result
    ) async throws -> Result {
        let store = PostgresSandboxStore(
            location: location, maximumConnections: maximumConnections, listenerHeartbeat: listenerHeartbeat, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.run() }
            defer { group.cancelAll() }
            try await store.migrate(within: connectTimeout)
            return try await body(store)
        }
    }

    /// Applies the schema migrations the database lacks, exactly once however many sandboxes
    /// start together: numbered migrations, recorded in `sharekit_schema_migrations`, applied in one
    /// transaction under an advisory lock. Throws ``PostgresStoreUnreachable`` when the database
    /// does not answer within `timeout`.
    public func migrate(within timeout: Duration = .seconds(10)) async throws {
        let location = location
        try await checkReachable(within: timeout)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await PostgresSchema.migrate(self.client, statements: self.statements, logger: self.logger) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw PostgresStoreUnreachable(location: location, reason: "no answer within \(timeout)")
            }
            defer { group.cancelAll() }
            do {
                try await group.next()
            } catch let error as PostgresStoreUnreachable {
                throw error
            } catch let error as PSQLError {
                throw PostgresStoreUnreachable(location: location, reason: Self.reason(error))
            } catch let error as PostgresTransactionError {
                if let cause = (error.beginError ?? error.closureError) as? PSQLError {
                    throw PostgresStoreUnreachable(location: location, reason: Self.reason(cause))
                }
                throw PostgresStoreUnreachable(location: location, reason: "\(type(of: error))")
            }
        }
    }

    /// Opens one connection and closes it again: the pool retries a failing connection quietly,
    /// so this is what tells at once why the database cannot be reached (refused, unknown host,
    /// authentication, unknown database).
    private func checkReachable(within timeout: Duration) async throws {
        do {
            let configuration = try location.connectionConfiguration(connectTimeout: timeout)
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try await connection.close()
        } catch let error as PSQLError {
            throw PostgresStoreUnreachable(location: location, reason: Self.reason(error))
        } catch let error as NIOSSLError {
            throw PostgresStoreUnreachable(location: location, reason: "TLS: \(error)")
        }
    }

    /// The schema versions this build knows, oldest first.
    public static var schemaVersions: [Int] { PostgresSchema.migrations.map(\.version) }

    /// The schema versions applied to the database, oldest first.
    public func appliedMigrations() async throws -> [Int] {
        try await rows("SELECT version FROM sharekit_schema_migrations ORDER BY version").map { row in
            try PostgresColumns(row, table: "sharekit_schema_migrations")["version"]
        }
    }

    /// What went wrong, without the query, its values or the server's connection details.
    static func reason(_ error: PSQLError) -> String {
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying { return "\(underlying)" }
        return "\(error.code)"
    }

    // MARK: Queries

    /// Runs `query` outside a transaction and returns its rows.
    func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await client.withConnection { connection in
            try await LeasedConnection(connection: connection, statements: statements, logger: logger).rows(query)
        }
    }

    /// Runs the prepared `statement` outside a transaction and returns its rows (the statement
    /// is parsed once per connection of the pool).
    func prepared<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws -> [PostgresRow]
    where Statement.Row == PostgresRow {
        try await client.withConnection { connection in
            try await LeasedConnection(connection: connection, statements: statements, logger: logger).prepared(statement)
        }
    }

    /// Runs `body` in one transaction, committed when it returns and rolled back when it throws;
    /// the error `body` threw is thrown again, without the transaction's wrapper.
    @discardableResult
    func transaction<Value: Sendable>(_ body: (LeasedConnection) async throws -> Value) async throws -> Value {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await body(LeasedConnection(connection: connection, statements: statements, logger: logger))
            }
        } catch let error as PostgresTransactionError {
            if let closureError = error.closureError { throw closureError }
            throw error
        }
    }

    /// A connection leased from a pool: a transaction's, or one holding a session lock. Its
    /// statements are answered also when it closes under them (``PostgresClosingConnectionWatch``).
    struct LeasedConnection {
        let connection: PostgresConnection
        let statements: PostgresClosingConnectionWatch
        let logger: Logger

        /// Runs `query` and returns its rows.
        @discardableResult
        func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
            let logger = logger
            return try await statements.run(on: connection) { connection in
                var rows: [PostgresRow] = []
                for try await row in try await connection.query(query, logger: logger) { rows.append(row) }
                return rows
            }
        }

        /// Runs the prepared `statement` and returns its rows.
        @discardableResult
        func prepared<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws -> [PostgresRow]
        where Statement.Row == PostgresRow {
            let logger = logger
            return try await statements.run(on: connection) { connection in
                var rows: [PostgresRow] = []
                for try await row in try await connection.execute(statement, logger: logger) { rows.append(row) }
                return rows
            }
        }

        /// Waits for the advisory lock of `key` in `namespace`, held until the transaction ends.
        func lock(_ namespace: String, _ key: String) async throws {
            let name = namespace + ":" + key
            try await rows("SELECT pg_advisory_xact_lock(hashtextextended(\(name), 0))")
        }
    }

    // MARK: Clients

    public func saveClient(_ client: StoredClient) async throws {
        try await transaction { db in
            try await db.rows(
                """
                INSERT INTO clients (id, secret_salt, secret_mac, partner_id, partner_urn, scopes, grant_types)
                VALUES (\(client.id), \(Data(client.secretDigest.salt)), \(Data(client.secretDigest.mac)), \(client.partnerID),
                        \(client.partnerURN), \(client.scopes), \(client.grantTypes))
                ON CONFLICT (id) DO UPDATE SET secret_salt = EXCLUDED.secret_salt, secret_mac = EXCLUDED.secret_mac,
                    partner_id = EXCLUDED.partner_id, partner_urn = EXCLUDED.partner_urn, scopes = EXCLUDED.scopes,
                    grant_types = EXCLUDED.grant_types
                """)
        }
    }

    /// Read with the lookups of other requests under load (`lookups`).
    public func client(id: String) async throws -> StoredClient? {
        try await lookups.submit(Lookup(clientID: id, digest: nil)).get().client
    }

    /// Both in one statement, one round trip, with the lookups of other requests under load
    /// (`lookups`).
    public func client(id: String, token digest: TokenDigest) async throws -> (client: StoredClient?, token: StoredToken?) {
        try await lookups.submit(Lookup(clientID: id, digest: digest)).get()
    }

    /// Runs `lookups` as one ``PostgresLookupStatement/ClientsAndTokens``: a result each, in
    /// their order (a row that does not decode fails its own lookup only).
    private static func lookUp(_ lookups: [Lookup], on connection: PostgresConnection, logger: Logger) async throws
        -> [Result<(client: StoredClient?, token: StoredToken?), any Error>]
    {
        let statement = PostgresLookupStatement.ClientsAndTokens(
            ids: lookups.map(\.clientID), digests: lookups.map { ByteBuffer(bytes: $0.digest?.bytes ?? []) })
        var results = [Result<(client: StoredClient?, token: StoredToken?), any Error>](
            repeating: .failure(PostgresStoreCorruption(table: "tokens")), count: lookups.count)
        // One statement reads one state of the database, so a client is the same in every row
        // that names it: decoded once per statement.
        var clients: [String: StoredClient] = [:]
        for try await row in try await connection.execute(statement, logger: logger) {
            var cells = PostgresCellReader(row, table: "tokens")
            let index = Int(try cells.next("lookup", as: Int64.self)) - 1
            guard results.indices.contains(index) else { throw PostgresStoreCorruption(table: "tokens") }
            results[index] = Result {
                let client: StoredClient?
                if let id = try cells.next("c_id", as: String?.self) {
                    if let known = clients[id] {
                        try cells.skip(PostgresLookupStatement.clientColumnNames.count - 1)
                        client = known
                    } else {
                        let read = try Self.client(id: id, prefix: "c_", readingOn: &cells)
                        clients[id] = read
                        client = read
                    }
                } else {
                    try cells.skip(PostgresLookupStatement.clientColumnNames.count - 1)
                    client = nil
                }
                return (client, try Self.token(readingFrom: &cells))
            }
        }
        return results
    }

    /// The client whose `id` was just read from `cells`, from the rest of its columns
    /// (``PostgresLookupStatement/clientColumnNames`` in order, named with `prefix`).
    private static func client(id: String, prefix: String, readingOn cells: inout PostgresCellReader) throws -> StoredClient {
        let salt = try cells.next(prefix + "secret_salt", as: ByteBuffer.self)
        let mac = try cells.next(prefix + "secret_mac", as: ByteBuffer.self)
        return StoredClient(
            id: id,
            secretDigest: SecretDigest(salt: Array(salt.readableBytesView), mac: Array(mac.readableBytesView)),
            partnerID: try cells.next(prefix + "partner_id"),
            partnerURN: try cells.next(prefix + "partner_urn"),
            scopes: try cells.next(prefix + "scopes"),
            grantTypes: try cells.next(prefix + "grant_types"))
    }

    // MARK: Users

    public func createUser(_ user: StoredUser) async throws -> StoredUser {
        try await transaction { db in
            let digest = user.userTokenDigest.map { Data($0.bytes) }
            try await db.rows(
                """
                INSERT INTO users (id, client_id, client_user_id, created_at, identity, user_token_digest)
                VALUES (\(user.id), \(user.clientID), \(user.clientUserID), \(user.createdAt), \(user.identityJSON), \(digest))
                ON CONFLICT DO NOTHING
                """)
            if let digest {
                try await db.rows(
                    "UPDATE users SET user_token_digest = \(digest) WHERE client_id = \(user.clientID) AND client_user_id = \(user.clientUserID)"
                )
            }
            let rows = try await db.rows(
                "SELECT * FROM users WHERE client_id = \(user.clientID) AND client_user_id = \(user.clientUserID)")
            return try rows.first.map(Self.user(from:)) ?? user
        }
    }

    public func user(id: String) async throws -> StoredUser? {
        try await rows("SELECT * FROM users WHERE id = \(id)").first.map(Self.user(from:))
    }

    public func user(tokenDigest digest: TokenDigest) async throws -> StoredUser? {
        try await rows("SELECT * FROM users WHERE user_token_digest = \(Data(digest.bytes))").first.map(Self.user(from:))
    }

    private static func user(from row: PostgresRow) throws -> StoredUser {
        let columns = PostgresColumns(row, table: "users")
        return StoredUser(
            id: try columns["id"], clientID: try columns["client_id"], clientUserID: try columns["client_user_id"],
            createdAt: try columns["created_at"], identityJSON: try columns["identity"],
            userTokenDigest: try columns["user_token_digest", as: Data?.self].flatMap { TokenDigest(bytes: Array($0)) })
    }

    // MARK: Tokens

    /// One statement stores every token or none without a transaction around it, with the
    /// inserts of other requests under load (`tokenInserts`).
    public func insertTokens(_ tokens: [StoredToken]) async throws {
        guard !tokens.isEmpty else { return }
        try await tokenInserts.submit(tokens).get()
    }

    /// Stores every insert of `inserts` in one statement: a pair prepared, other counts as one
    /// `INSERT` of every row. When that fails, each insert is tried again alone, so one that
    /// cannot be stored fails alone.
    private static func insert(
        _ inserts: [[StoredToken]], in client: PostgresClient, statements: PostgresClosingConnectionWatch, logger: Logger
    ) async -> [Result<Void, any Error>] {
        func store(_ tokens: [StoredToken]) async throws {
            try await client.withConnection { connection in
                try await insert(tokens, into: LeasedConnection(connection: connection, statements: statements, logger: logger))
            }
        }
        do {
            try await store(inserts.flatMap { $0 })
            return inserts.map { _ in .success(()) }
        } catch {
            guard inserts.count > 1 else { return [.failure(error)] }
        }
        var results: [Result<Void, any Error>] = []
        for tokens in inserts {
            do {
                try await store(tokens)
                results.append(.success(()))
            } catch {
                results.append(.failure(error))
            }
        }
        return results
    }

    public func insertTokens(_ tokens: [StoredToken], derivedFrom parent: TokenDigest, at now: Int) async throws -> Bool {
        try await transaction { db in
            // The family lock orders this check and insert with any revocation of the family:
            // a revocation either runs first (and the check fails) or sees the new tokens.
            guard let family = try await Self.family(of: parent, in: db) else { return false }
            try await db.lock("family", family)
            guard let token = try await Self.fetchToken(parent, from: db), token.isUsable(at: now) else { return false }
            try await Self.insert(tokens, into: db)
            return true
        }
    }

    public func token(_ digest: TokenDigest) async throws -> StoredToken? {
        try await prepared(PostgresLookupStatement.TokenByDigest(digest: Data(digest.bytes))).first.map(Self.token(from:))
    }

    public func rotate(spending digest: TokenDigest, issuing: [StoredToken], at now: Int) async throws -> RefreshRotation {
        try await transaction { db in
            // Concurrent rotations of one token, from any sandbox on the database, queue on the
            // family lock: the first spends the token, the others find it spent (reuse).
            guard let family = try await Self.family(of: digest, in: db) else { return .inactive }
            try await db.lock("family", family)
            guard let token = try await Self.fetchToken(digest, from: db), token.kind == .refresh, token.isActive(at: now) else {
                return .inactive
            }
            if token.spentAt != nil {
                let revoked = try await db.rows(
                    "UPDATE tokens SET revoked_at = \(now) WHERE family_id = \(token.familyID) AND revoked_at IS NULL RETURNING digest")
                return .reused(revokedCount: revoked.count)
            }
            try await db.rows("UPDATE tokens SET spent_at = \(now) WHERE digest = \(Data(digest.bytes))")
            try await Self.insert(issuing, into: db)
            return .rotated
        }
    }

    @discardableResult
    public func revokeTree(from digest: TokenDigest, at now: Int) async throws -> Int {
        try await transaction { db in
            guard let family = try await Self.family(of: digest, in: db) else { return 0 }
            try await db.lock("family", family)
            // The tree is read after the lock, so it includes every token derived before.
            let revoked = try await db.rows(
                """
                WITH RECURSIVE tree(digest) AS (
                    SELECT digest FROM tokens WHERE digest = \(Data(digest.bytes))
                    UNION
                    SELECT tokens.digest FROM tokens JOIN tree ON tokens.parent = tree.digest
                )
                UPDATE tokens SET revoked_at = \(now) WHERE digest IN (SELECT digest FROM tree) AND revoked_at IS NULL
                RETURNING digest
                """)
            return revoked.count
        }
    }

    private static func family(of digest: TokenDigest, in db: LeasedConnection) async throws -> String? {
        try await db.rows("SELECT family_id FROM tokens WHERE digest = \(Data(digest.bytes))").first.map { row in
            try PostgresColumns(row, table: "tokens")["family_id"]
        }
    }

    private static func insert(_ tokens: [StoredToken], into db: LeasedConnection) async throws {
        if tokens.count == 2 {
            try await db.prepared(PostgresTokenPairInsert(first: tokens[0], second: tokens[1]))
        } else if !tokens.isEmpty {
            try await db.rows(insertQuery(tokens))
        }
    }

    /// One `INSERT` of all of `tokens` (at least one), a row each: for other counts than the
    /// pair of ``PostgresTokenPairInsert``, with the same columns and bindings.
    private static func insertQuery(_ tokens: [StoredToken]) throws -> PostgresQuery {
        var bindings = PostgresBindings(capacity: PostgresTokenPairInsert.columns.count * tokens.count)
        for token in tokens { try PostgresTokenPairInsert.appendRow(of: token, to: &bindings) }
        return PostgresQuery(unsafeSQL: PostgresTokenPairInsert.insertSQL(rows: tokens.count), binds: bindings)
    }

    private static func fetchToken(_ digest: TokenDigest, from db: LeasedConnection) async throws -> StoredToken? {
        try await db.rows(
            "SELECT \(unescaped: PostgresLookupStatement.tokenColumns) FROM tokens WHERE digest = \(Data(digest.bytes))"
        ).first.map(token(from:))
    }

    /// The token of a row of ``PostgresLookupStatement/tokenColumns``.
    private static func token(from row: PostgresRow) throws -> StoredToken {
        var cells = PostgresCellReader(row, table: "tokens")
        guard let token = try token(readingFrom: &cells) else { throw PostgresStoreCorruption(table: "tokens") }
        return token
    }

    /// The token in the next cells (``PostgresLookupStatement/tokenColumns`` in order), or `nil`
    /// when its `digest` is `NULL` (the missing side of an outer join).
    private static func token(readingFrom cells: inout PostgresCellReader) throws -> StoredToken? {
        guard let digestBytes = try cells.next("digest", as: ByteBuffer?.self) else { return nil }
        guard let digest = TokenDigest(bytes: Array(digestBytes.readableBytesView)),
            let kind = StoredToken.Kind(rawValue: try cells.next("kind"))
        else { throw PostgresStoreCorruption(table: "tokens") }
        let clientID: String = try cells.next("client_id")
        guard let audience = try? StoredAudience.audience(from: try cells.next("audience", as: String.self)) else {
            throw PostgresStoreCorruption(table: "tokens")
        }
        return StoredToken(
            digest: digest,
            kind: kind,
            clientID: clientID,
            audience: audience,
            scope: ScopeSet(parsing: try cells.next("scope")),
            subject: try cells.next("subject"),
            userID: try cells.next("user_id"),
            familyID: try cells.next("family_id"),
            parent: try cells.next("parent", as: ByteBuffer?.self).flatMap { TokenDigest(bytes: Array($0.readableBytesView)) },
            issuedAt: try cells.next("issued_at"),
            expiresAt: try cells.next("expires_at"),
            revokedAt: try cells.next("revoked_at"),
            spentAt: try cells.next("spent_at"))
    }
}
