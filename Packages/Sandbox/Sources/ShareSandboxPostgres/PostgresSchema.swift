import Logging
import PostgresNIO

/// The PostgreSQL schema of ``PostgresSandboxStore``, as numbered migrations.
///
/// ``migrate(_:logger:)`` applies the migrations a database lacks, each once, recording each in
/// `sharekit_schema_migrations`. It holds a transaction-scoped advisory lock meanwhile, so that
/// sandboxes starting together on one database wait for each other instead of racing: the first
/// applies the migrations, the others find them applied.
///
/// Times are stored as seconds since 1970 (`double precision` for `Date`s, `bigint` for the OAuth
/// tokens' whole seconds), digests as `bytea`: the same values the SQLite store keeps.
enum PostgresSchema {
    /// The key of the advisory lock migrations hold (`pg_advisory_xact_lock`).
    static let migrationLockKey: Int = 0x5348_4152_454B_4954  // "SHAREKIT"

    /// One migration: a version and its statements, run in one transaction.
    struct Migration: Sendable {
        let version: Int
        let name: String
        let statements: [String]
    }

    static let migrations: [Migration] = [
        Migration(
            version: 1, name: "sandbox-v1",
            statements: [
                """
                CREATE TABLE clients (
                    id text PRIMARY KEY,
                    secret_salt bytea NOT NULL,
                    secret_mac bytea NOT NULL,
                    partner_id text,
                    partner_urn text,
                    scopes text NOT NULL,
                    grant_types text NOT NULL
                )
                """,
                """
                CREATE TABLE users (
                    id text PRIMARY KEY,
                    client_id text NOT NULL,
                    client_user_id text NOT NULL,
                    created_at bigint NOT NULL,
                    identity text,
                    user_token_digest bytea UNIQUE,
                    UNIQUE (client_id, client_user_id)
                )
                """,
                """
                CREATE TABLE tokens (
                    digest bytea PRIMARY KEY,
                    kind text NOT NULL,
                    client_id text NOT NULL,
                    audience text NOT NULL,
                    scope text NOT NULL,
                    subject text NOT NULL,
                    user_id text,
                    family_id text NOT NULL,
                    parent bytea,
                    issued_at bigint NOT NULL,
                    expires_at bigint NOT NULL,
                    revoked_at bigint,
                    spent_at bigint
                )
                """,
                "CREATE INDEX tokens_by_family ON tokens (family_id)",
                "CREATE INDEX tokens_by_parent ON tokens (parent)",
                """
                CREATE TABLE records (
                    id text PRIMARY KEY,
                    organization text NOT NULL,
                    attributes text NOT NULL,
                    created_at double precision NOT NULL,
                    shared_from text
                )
                """,
                """
                CREATE TABLE share_tokens (
                    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    id text NOT NULL UNIQUE,
                    connection_id text NOT NULL,
                    source_organization text NOT NULL,
                    destination_organization text NOT NULL,
                    source_id text NOT NULL,
                    destination_id text,
                    status text NOT NULL,
                    created_at double precision NOT NULL,
                    expires_at double precision NOT NULL,
                    redeemed_at double precision,
                    updated_at double precision,
                    pending_at double precision,
                    failed_at double precision,
                    failure_reason text,
                    creator_type text,
                    creator_id text
                )
                """,
                "CREATE INDEX share_tokens_by_source ON share_tokens (source_organization)",
                "CREATE INDEX share_tokens_by_destination ON share_tokens (destination_organization)",
                "CREATE INDEX share_tokens_by_status ON share_tokens (status)",
                """
                CREATE TABLE connections (
                    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    id text NOT NULL UNIQUE,
                    source_organization text NOT NULL,
                    destination_organization text NOT NULL,
                    status text NOT NULL,
                    created_at double precision NOT NULL,
                    updated_at double precision NOT NULL,
                    activated_at double precision,
                    deactivated_at double precision
                )
                """,
                "CREATE INDEX connections_by_source ON connections (source_organization)",
                "CREATE INDEX connections_by_destination ON connections (destination_organization)",
                """
                CREATE TABLE events (
                    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    id text NOT NULL UNIQUE,
                    organization text NOT NULL,
                    name text NOT NULL,
                    created_at double precision NOT NULL,
                    resource bytea NOT NULL,
                    delivery_state text NOT NULL,
                    attempts bigint NOT NULL,
                    next_attempt_at double precision,
                    last_error text,
                    claimed_until double precision
                )
                """,
                "CREATE INDEX events_by_organization ON events (organization)",
                "CREATE INDEX events_pending ON events (delivery_state, next_attempt_at)",
                """
                CREATE TABLE workflow_runs (
                    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    id text NOT NULL UNIQUE,
                    organization text NOT NULL,
                    workflow_id text NOT NULL,
                    trigger_event_id text NOT NULL,
                    trigger_name text NOT NULL,
                    outcome text NOT NULL,
                    error text,
                    share_token_id text,
                    created_at double precision NOT NULL
                )
                """,
                "CREATE INDEX workflow_runs_by_organization ON workflow_runs (organization)",
                """
                CREATE TABLE idempotent_answers (
                    organization text NOT NULL,
                    key text NOT NULL,
                    fingerprint text NOT NULL,
                    status bigint NOT NULL,
                    content_type text,
                    location text,
                    body bytea NOT NULL,
                    created_at double precision NOT NULL,
                    PRIMARY KEY (organization, key)
                )
                """,
                "CREATE INDEX idempotent_answers_by_age ON idempotent_answers (created_at)",
                """
                CREATE TABLE sandbox_clock (
                    id bigint PRIMARY KEY CHECK (id = 1),
                    offset_seconds bigint NOT NULL
                )
                """,
            ]),
        // The control plane shared by every sandbox on the database: the clock's version (which
        // orders the readings of the sandboxes following it), its row created once for all, and
        // the faults in force with their countdown.
        Migration(
            version: 2, name: "sandbox-control-v2",
            statements: [
                "ALTER TABLE sandbox_clock ADD COLUMN version bigint NOT NULL DEFAULT 0",
                "INSERT INTO sandbox_clock (id, offset_seconds) VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
                """
                CREATE TABLE sandbox_faults (
                    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    id text NOT NULL UNIQUE,
                    method text,
                    path text NOT NULL,
                    client_id text,
                    status bigint,
                    body text,
                    delay_ms bigint,
                    drop_connection boolean NOT NULL,
                    times bigint NOT NULL,
                    remaining bigint NOT NULL CHECK (remaining >= 0)
                )
                """,
            ]),
        // Workflows run once per (workflow, trigger event): the pending mark of an event whose
        // workflows have not all run (NULL for rows stored before: nothing pending), the claim
        // of the sandbox running them, and one run per pair. Duplicate pairs a previous version
        // may have stored keep their first run.
        Migration(
            version: 3, name: "workflows-once-v3",
            statements: [
                "ALTER TABLE events ADD COLUMN workflows_depth bigint",
                "ALTER TABLE events ADD COLUMN workflows_claimed_until double precision",
                "CREATE INDEX events_with_pending_workflows ON events (seq) WHERE workflows_depth IS NOT NULL",
                """
                DELETE FROM workflow_runs WHERE seq NOT IN (
                    SELECT MIN(seq) FROM workflow_runs GROUP BY workflow_id, trigger_event_id)
                """,
                "CREATE UNIQUE INDEX workflow_runs_once ON workflow_runs (workflow_id, trigger_event_id)",
            ]),
        // When a delivery's first attempt was made, for `Persona-Webhook-First-Attempted-At`
        // (NULL for events stored before: their next attempt counts as the first).
        Migration(
            version: 4, name: "first-attempt-v4",
            statements: ["ALTER TABLE events ADD COLUMN first_attempt_at double precision"]),
    ]

    /// Every table of the sandbox's state, emptied by `eraseAll()`; the clock's row is set back
    /// rather than deleted, so that its version keeps growing.
    static let stateTables = [
        "tokens", "users", "clients", "share_tokens", "events", "workflow_runs", "records", "connections", "idempotent_answers",
        "sandbox_faults",
    ]

    /// Applies the migrations the database lacks; returns the versions it applied.
    @discardableResult
    static func migrate(_ client: PostgresClient, statements: PostgresClosingConnectionWatch, logger: Logger) async throws -> [Int] {
        try await client.withTransaction(logger: logger) { connection in
            let db = PostgresSandboxStore.LeasedConnection(connection: connection, statements: statements, logger: logger)
            try await db.rows("SELECT pg_advisory_xact_lock(\(migrationLockKey))")
            try await db.rows(
                """
                CREATE TABLE IF NOT EXISTS sharekit_schema_migrations (
                    version bigint PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            var applied: Set<Int> = []
            for row in try await db.rows("SELECT version FROM sharekit_schema_migrations") {
                applied.insert(try PostgresColumns(row, table: "sharekit_schema_migrations")["version"])
            }
            var done: [Int] = []
            for migration in migrations where !applied.contains(migration.version) {
                for statement in migration.statements {
                    try await db.rows(PostgresQuery(unsafeSQL: statement))
                }
                try await db.rows("INSERT INTO sharekit_schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))")
                logger.info("PostgreSQL schema migrated", metadata: ["schema.version": "\(migration.version)"])
                done.append(migration.version)
            }
            return done
        }
    }
}
