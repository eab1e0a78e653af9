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
public final class SQLiteSandboxStore: SandboxStore {
    /// The database; the share-token extension (`SQLiteSandboxStore+ShareTokens.swift`) uses it too.
    let pool: DatabasePool
    /// The control plane's faults, in this process's memory (`SQLiteSandboxStore+Control.swift`).
    let faultTable = NIOLockedValueBox(SandboxFaultTable())

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public init(path: String) throws {
        var configuration = Configuration()
        // A write waits for a lock held by another connection (a checkpoint, another process
        // opening the file) instead of failing the request at once.
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
    }

    /// A read through the pool, retried on a passing locking condition (``TransientSQLiteRetry``).
    func read<Value: Sendable>(_ body: @escaping @Sendable (Database) throws -> Value) async throws -> Value {
        try await TransientSQLiteRetry.run { try await pool.read(body) }
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
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM clients WHERE id = ?", arguments: [id]).map { row in
                StoredClient(
                    id: row["id"],
                    secretDigest: SecretDigest(salt: Array(row["secret_salt"] as Data), mac: Array(row["secret_mac"] as Data)),
                    partnerID: row["partner_id"],
                    partnerURN: row["partner_urn"],
                    scopes: row["scopes"],
                    grantTypes: row["grant_types"]
                )
            }
        }
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
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [id]).map(Self.user(from:))
        }
    }

    public func user(tokenDigest digest: TokenDigest) async throws -> StoredUser? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE user_token_digest = ?", arguments: [Data(digest.bytes)])
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
        try await read { db in try Self.fetchToken(digest, from: db) }
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
            let audience = String(decoding: try JSONEncoder().encode(token.audience), as: UTF8.self)
            try db.execute(
                sql: """
                    INSERT INTO tokens (digest, kind, client_id, audience, scope, subject, user_id, family_id, parent,
                                        issued_at, expires_at, revoked_at, spent_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    Data(token.digest.bytes), token.kind.rawValue, token.clientID, audience, token.scope.wireValue,
                    token.subject, token.userID, token.familyID, token.parent.map { Data($0.bytes) }, token.issuedAt,
                    token.expiresAt, token.revokedAt, token.spentAt,
                ]
            )
        }
    }

    private static func fetchToken(_ digest: TokenDigest, from db: Database) throws -> StoredToken? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM tokens WHERE digest = ?", arguments: [Data(digest.bytes)])
        else { return nil }
        guard let kind = StoredToken.Kind(rawValue: row["kind"]),
            let storedDigest = TokenDigest(bytes: Array(row["digest"] as Data))
        else { throw SQLiteStoreCorruption(table: "tokens") }
        let audienceJSON: String = row["audience"]
        let audience = try JSONDecoder().decode([String].self, from: Data(audienceJSON.utf8))
        let parentBytes: Data? = row["parent"]
        return StoredToken(
            digest: storedDigest,
            kind: kind,
            clientID: row["client_id"],
            audience: audience,
            scope: ScopeSet(parsing: row["scope"]),
            subject: row["subject"],
            userID: row["user_id"],
            familyID: row["family_id"],
            parent: parentBytes.flatMap { TokenDigest(bytes: Array($0)) },
            issuedAt: row["issued_at"],
            expiresAt: row["expires_at"],
            revokedAt: row["revoked_at"],
            spentAt: row["spent_at"]
        )
    }
}
