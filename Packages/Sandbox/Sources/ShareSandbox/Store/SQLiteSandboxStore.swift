import Foundation
import GRDB
import NIOConcurrencyHelpers
import ShareModels

/// A ``SandboxStore`` in a SQLite database file (`share-sandbox --data PATH`), through GRDB.
///
/// The database runs in WAL mode with `synchronous = FULL`, so every write is on disk before
/// the call returns and survives the process being killed. Tokens are stored as their SHA-256
/// digests and secrets as salted HMACs: a copy of the file holds nothing that can be presented
/// to the sandbox.
///
/// Each write runs in one transaction of the single writer, so what it checks holds until it has
/// written: a workflow run and its action are stored only when no run of the same
/// (workflow, event) is (a unique index stands behind the check), and of claims on one event's
/// pending workflows, made together, one is granted.
public final class SQLiteSandboxStore: SandboxStore {
    /// The database; the share-token extension (`SQLiteSandboxStore+ShareTokens.swift`) uses it too.
    let pool: DatabasePool
    /// The connections of ``lookup(_:)``.
    private let lookups: SQLiteLookupConnections
    /// The control plane's faults, in this process's memory (`SQLiteSandboxStore+Control.swift`).
    let faultTable = NIOLockedValueBox(SandboxFaultTable())

    /// Opens (creating if needed) the database at `path` and brings its schema up to date. A path
    /// that cannot hold a database throws ``SQLiteStoreUnopenable``.
    public init(path: String) throws {
        var configuration = Configuration()
        // A write waits for a lock held by another connection (a checkpoint, another process
        // opening the file) instead of failing the request at once.
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch let error as DatabaseError where [.SQLITE_CANTOPEN, .SQLITE_NOTADB, .SQLITE_PERM, .SQLITE_READONLY].contains(error.resultCode) {
            throw SQLiteStoreUnopenable(path: path, error: error)
        }
        try Self.migrator.migrate(pool)
        lookups = SQLiteLookupConnections(path: path, configuration: configuration)
    }

    /// A read through the pool, retried on a passing locking condition (``TransientSQLiteRetry``).
    func read<Value: Sendable>(_ body: @escaping @Sendable (Database) throws -> Value) async throws -> Value {
        try await TransientSQLiteRetry.run { try await pool.read(body) }
    }

    /// One statement's read — a point lookup by key — run at once on the calling thread through
    /// a read-only WAL connection of ``SQLiteLookupConnections``, retried on a passing locking
    /// condition.
    ///
    /// The hot reads of the OAuth routes (client and token lookups) use it: ``read(_:)`` costs a
    /// hop to the reader's dispatch queue and back, a `BEGIN` and a `COMMIT` around the statement,
    /// and those thread switches were most of the time of `/oauth/introspect` on SQLite; GRDB's
    /// synchronous pool read still costs a semaphore, a barrier queue and a dispatch group. A
    /// single `SELECT` needs no transaction to see one consistent state, and runs in microseconds
    /// from SQLite's page cache, so it does not hold the calling thread for long. `body` must run
    /// one statement only (several statements would each see their own state).
    func lookup<Value>(_ body: (Database) throws -> Value) async throws -> Value {
        try await TransientSQLiteRetry.run { try lookups.read(body) }
    }

    /// A write transaction through the pool, retried on a passing locking condition.
    func write<Value: Sendable>(_ body: @escaping @Sendable (Database) throws -> Value) async throws -> Value {
        try await TransientSQLiteRetry.run { try await pool.write(body) }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("oauth-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE clients (
                        id TEXT PRIMARY KEY NOT NULL,
                        secret_salt BLOB NOT NULL,
                        secret_mac BLOB NOT NULL,
                        partner_id TEXT,
                        partner_urn TEXT,
                        scopes TEXT NOT NULL,
                        grant_types TEXT NOT NULL
                    );
                    CREATE TABLE users (
                        id TEXT PRIMARY KEY NOT NULL,
                        client_id TEXT NOT NULL,
                        client_user_id TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        UNIQUE (client_id, client_user_id)
                    );
                    CREATE TABLE tokens (
                        digest BLOB PRIMARY KEY NOT NULL,
                        kind TEXT NOT NULL,
                        client_id TEXT NOT NULL,
                        audience TEXT NOT NULL,
                        scope TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        user_id TEXT,
                        family_id TEXT NOT NULL,
                        parent BLOB,
                        issued_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL,
                        revoked_at INTEGER,
                        spent_at INTEGER
                    );
                    CREATE INDEX tokens_by_family ON tokens (family_id);
                    CREATE INDEX tokens_by_parent ON tokens (parent);
                    """
            )
        }
        ShareTokenSchema.register(in: &migrator)
        migrator.registerMigration("users-identity-v2") { db in
            try db.execute(
                sql: """
                    ALTER TABLE users ADD COLUMN identity TEXT;
                    ALTER TABLE users ADD COLUMN user_token_digest BLOB;
                    CREATE UNIQUE INDEX users_by_token_digest ON users (user_token_digest);
                    """
            )
        }
        IdempotencySchema.register(in: &migrator)
        migrator.registerMigration("sandbox-control-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE sandbox_clock (
                        id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
                        offset_seconds INTEGER NOT NULL
                    );
                    """
            )
        }
        migrator.registerMigration("sandbox-control-v2-clock-version") { db in
            try db.execute(sql: "ALTER TABLE sandbox_clock ADD COLUMN version INTEGER NOT NULL DEFAULT 0")
        }
        return migrator
    }

    // MARK: Clients

    public func saveClient(_ client: StoredClient) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO clients (id, secret_salt, secret_mac, partner_id, partner_urn, scopes, grant_types)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    client.id, Data(client.secretDigest.salt), Data(client.secretDigest.mac), client.partnerID,
                    client.partnerURN, client.scopes, client.grantTypes,
                ]
            )
        }
    }

    public func client(id: String) async throws -> StoredClient? {
        try await lookup { db in
            let statement = try db.cachedStatement(sql: Self.clientByID)
            return try Self.firstRow(of: statement, arguments: [id]) { row in Self.client(from: row, at: 0) } ?? nil
        }
    }

    /// Both rows in one statement, so one read of one consistent state: the client and the token
    /// joined to a single row, each side `NULL` when unknown.
    public func client(id: String, token digest: TokenDigest) async throws -> (client: StoredClient?, token: StoredToken?) {
        try await lookup { db in
            let statement = try db.cachedStatement(sql: Self.clientAndTokenByKeys)
            let found = try Self.firstRow(of: statement, arguments: [id, Data(digest.bytes)]) { row in
                (Self.client(from: row, at: 0), try Self.token(from: row, at: Self.clientColumnNames.count))
            }
            return found ?? (nil, nil)
        }
    }

    /// The columns ``client(from:at:)`` reads, in its order.
    private static let clientColumnNames = ["id", "secret_salt", "secret_mac", "partner_id", "partner_urn", "scopes", "grant_types"]
    private static func clientColumns(prefixed prefix: String) -> String {
        clientColumnNames.map { prefix + $0 }.joined(separator: ", ")
    }
    private static let clientByID = "SELECT \(clientColumns(prefixed: "")) FROM clients WHERE id = ?"
    private static let clientAndTokenByKeys = """
        SELECT \(clientColumns(prefixed: "c.")), \(tokenColumns(prefixed: "t.")) FROM (SELECT 1) AS one
        LEFT JOIN clients AS c ON c.id = ? LEFT JOIN tokens AS t ON t.digest = ?
        """

    /// `decode` applied to the first row `statement` yields, read in place (`Row.fetchOne` would
    /// copy the row and its column names first), or `nil` when there is none.
    private static func firstRow<Value>(
        of statement: Statement, arguments: StatementArguments, _ decode: (Row) throws -> Value
    ) throws -> Value? {
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        guard let row = try rows.next() else { return nil }
        return try decode(row)
    }

    /// The client in the columns of `row` from `first` on (``clientColumnNames``), `nil` when
    /// its id is `NULL` (an outer join found none). Columns are read by position: by name, GRDB
    /// lower-cases the name on every read.
    private static func client(from row: Row, at first: Int) -> StoredClient? {
        guard let id = row[first] as String? else { return nil }
        return StoredClient(
            id: id,
            secretDigest: SecretDigest(salt: Array(row[first + 1] as Data), mac: Array(row[first + 2] as Data)),
            partnerID: row[first + 3],
            partnerURN: row[first + 4],
            scopes: row[first + 5],
            grantTypes: row[first + 6]
        )
    }

    // MARK: Users

    public func createUser(_ user: StoredUser) async throws -> StoredUser {
        try await write { db in
            let digest = user.userTokenDigest.map { Data($0.bytes) }
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO users (id, client_id, client_user_id, created_at, identity, user_token_digest)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [user.id, user.clientID, user.clientUserID, user.createdAt, user.identityJSON, digest]
            )
            if let digest {
                try db.execute(
                    sql: "UPDATE users SET user_token_digest = ? WHERE client_id = ? AND client_user_id = ?",
                    arguments: [digest, user.clientID, user.clientUserID])
            }
            let row = try Row.fetchOne(
                db, sql: "SELECT * FROM users WHERE client_id = ? AND client_user_id = ?",
                arguments: [user.clientID, user.clientUserID])
            return row.map(Self.user(from:)) ?? user
        }
    }

    public func user(id: String) async throws -> StoredUser? {
        try await lookup { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM users WHERE id = ?"), arguments: [id]).map(Self.user(from:))
        }
    }

    public func user(tokenDigest digest: TokenDigest) async throws -> StoredUser? {
        try await lookup { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM users WHERE user_token_digest = ?"), arguments: [Data(digest.bytes)])
                .map(Self.user(from:))
        }
    }

    private static func user(from row: Row) -> StoredUser {
        StoredUser(
            id: row["id"], clientID: row["client_id"], clientUserID: row["client_user_id"], createdAt: row["created_at"],
            identityJSON: row["identity"],
            userTokenDigest: (row["user_token_digest"] as Data?).flatMap { TokenDigest(bytes: Array($0)) })
    }

    // MARK: Tokens

    public func insertTokens(_ tokens: [StoredToken]) async throws {
        try await write { db in try Self.insert(tokens, into: db) }
    }

    public func insertTokens(_ tokens: [StoredToken], derivedFrom parent: TokenDigest, at now: Int) async throws -> Bool {
        // The pool's single writer runs the check and the insert in one transaction, so a
        // concurrent `revokeTree` either sees the new tokens or runs before the check.
        try await write { db in
            guard let token = try Self.fetchToken(parent, from: db), token.isUsable(at: now) else { return false }
            try Self.insert(tokens, into: db)
            return true
        }
    }

    public func token(_ digest: TokenDigest) async throws -> StoredToken? {
        try await lookup { db in try Self.fetchToken(digest, from: db) }
    }

    public func rotate(spending digest: TokenDigest, issuing: [StoredToken], at now: Int) async throws -> RefreshRotation {
        try await write { db in
            guard let token = try Self.fetchToken(digest, from: db), token.kind == .refresh, token.isActive(at: now) else {
                return .inactive
            }
            if token.spentAt != nil {
                try db.execute(
                    sql: "UPDATE tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL",
                    arguments: [now, token.familyID])
                return .reused(revokedCount: db.changesCount)
            }
            try db.execute(sql: "UPDATE tokens SET spent_at = ? WHERE digest = ?", arguments: [now, Data(digest.bytes)])
            try Self.insert(issuing, into: db)
            return .rotated
        }
    }

    @discardableResult
    public func revokeTree(from digest: TokenDigest, at now: Int) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: """
                    WITH RECURSIVE tree(digest) AS (
                        SELECT digest FROM tokens WHERE digest = ?
                        UNION
                        SELECT tokens.digest FROM tokens JOIN tree ON tokens.parent = tree.digest
                    )
                    UPDATE tokens SET revoked_at = ? WHERE digest IN tree AND revoked_at IS NULL
                    """,
                arguments: [Data(digest.bytes), now]
            )
            return db.changesCount
        }
    }

    private static func insert(_ tokens: [StoredToken], into db: Database) throws {
        for token in tokens {
            let audience = try StoredAudience.text(for: token.audience)
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO tokens (digest, kind, client_id, audience, scope, subject, user_id, family_id, parent,
                                        issued_at, expires_at, revoked_at, spent_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            try statement.execute(
                arguments: [
                    Data(token.digest.bytes), token.kind.rawValue, token.clientID, audience, token.scope.wireValue,
                    token.subject, token.userID, token.familyID, token.parent.map { Data($0.bytes) }, token.issuedAt,
                    token.expiresAt, token.revokedAt, token.spentAt,
                ]
            )
        }
    }

    private static func fetchToken(_ digest: TokenDigest, from db: Database) throws -> StoredToken? {
        let statement = try db.cachedStatement(sql: tokenByDigest)
        return try firstRow(of: statement, arguments: [Data(digest.bytes)]) { row in try token(from: row, at: 0) } ?? nil
    }

    /// The columns ``token(from:at:)`` reads, in its order.
    private static let tokenColumnNames = [
        "digest", "kind", "client_id", "audience", "scope", "subject", "user_id", "family_id", "parent", "issued_at", "expires_at",
        "revoked_at", "spent_at",
    ]
    private static func tokenColumns(prefixed prefix: String) -> String {
        tokenColumnNames.map { prefix + $0 }.joined(separator: ", ")
    }
    private static let tokenByDigest = "SELECT \(tokenColumns(prefixed: "")) FROM tokens WHERE digest = ?"

    /// The token in the columns of `row` from `first` on (``tokenColumnNames``), `nil` when its
    /// digest is `NULL` (an outer join found none).
    private static func token(from row: Row, at first: Int) throws -> StoredToken? {
        guard let digestBytes = row[first] as Data? else { return nil }
        guard let kind = StoredToken.Kind(rawValue: row[first + 1]), let storedDigest = TokenDigest(bytes: Array(digestBytes)) else {
            throw SQLiteStoreCorruption(table: "tokens")
        }
        let audience = try StoredAudience.audience(from: row[first + 3])
        let parentBytes: Data? = row[first + 8]
        return StoredToken(
            digest: storedDigest,
            kind: kind,
            clientID: row[first + 2],
            audience: audience,
            scope: ScopeSet(parsing: row[first + 4]),
            subject: row[first + 5],
            userID: row[first + 6],
            familyID: row[first + 7],
            parent: parentBytes.flatMap { TokenDigest(bytes: Array($0)) },
            issuedAt: row[first + 9],
            expiresAt: row[first + 10],
            revokedAt: row[first + 11],
            spentAt: row[first + 12]
        )
    }
}
