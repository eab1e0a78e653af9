import GRDB

/// The SQLite tables of the share-token state, added to ``SQLiteSandboxStore``'s database by
/// its migrator. `seq` columns keep the order things were written in, for newest-first listings
/// with a cursor.
enum ShareTokenSchema {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("share-tokens-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE records (
                        id TEXT PRIMARY KEY NOT NULL,
                        organization TEXT NOT NULL,
                        attributes TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        shared_from TEXT
                    );
                    CREATE TABLE share_tokens (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        connection_id TEXT NOT NULL,
                        source_organization TEXT NOT NULL,
                        destination_organization TEXT NOT NULL,
                        source_id TEXT NOT NULL,
                        destination_id TEXT,
                        status TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        expires_at REAL NOT NULL,
                        redeemed_at REAL
                    );
                    CREATE INDEX share_tokens_by_source ON share_tokens (source_organization);
                    CREATE INDEX share_tokens_by_destination ON share_tokens (destination_organization);
                    CREATE TABLE events (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        organization TEXT NOT NULL,
                        name TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        resource BLOB NOT NULL,
                        delivery_state TEXT NOT NULL,
                        attempts INTEGER NOT NULL,
                        next_attempt_at REAL,
                        last_error TEXT
                    );
                    CREATE INDEX events_by_organization ON events (organization);
                    CREATE INDEX events_pending ON events (delivery_state, next_attempt_at);
                    CREATE TABLE workflow_runs (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        organization TEXT NOT NULL,
                        workflow_id TEXT NOT NULL,
                        trigger_event_id TEXT NOT NULL,
                        trigger_name TEXT NOT NULL,
                        outcome TEXT NOT NULL,
                        error TEXT,
                        share_token_id TEXT,
                        created_at REAL NOT NULL
                    );
                    CREATE INDEX workflow_runs_by_organization ON workflow_runs (organization);
                    """
            )
        }
        // Persona's share-token attributes and the Connections API
        // (https://docs.withpersona.com/api-reference/connect/share-tokens/retrieve-a-share-token,
        // https://docs.withpersona.com/managing-connections). Stored connection ids keep their prefix.
        migrator.registerMigration("share-tokens-v2-connections") { db in
            try db.execute(
                sql: """
                    ALTER TABLE share_tokens ADD COLUMN updated_at REAL;
                    ALTER TABLE share_tokens ADD COLUMN pending_at REAL;
                    ALTER TABLE share_tokens ADD COLUMN failed_at REAL;
                    ALTER TABLE share_tokens ADD COLUMN failure_reason TEXT;
                    ALTER TABLE share_tokens ADD COLUMN creator_type TEXT;
                    ALTER TABLE share_tokens ADD COLUMN creator_id TEXT;
                    CREATE INDEX share_tokens_by_status ON share_tokens (status);
                    CREATE TABLE connections (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        source_organization TEXT NOT NULL,
                        destination_organization TEXT NOT NULL,
                        status TEXT NOT NULL,
                        created_at REAL NOT NULL,
                        updated_at REAL NOT NULL,
                        activated_at REAL,
                        deactivated_at REAL
                    );
                    CREATE INDEX connections_by_source ON connections (source_organization);
                    CREATE INDEX connections_by_destination ON connections (destination_organization);
                    """
            )
        }
        // Workflows run once per (workflow, trigger event): the pending mark of an event whose
        // workflows have not all run (NULL for rows stored before: nothing pending), the claim
        // of the process running them, and one run per pair. Duplicate pairs a previous version
        // may have stored keep their first run.
        migrator.registerMigration("share-tokens-v3-workflows-once") { db in
            try db.execute(
                sql: """
                    ALTER TABLE events ADD COLUMN workflows_depth INTEGER;
                    ALTER TABLE events ADD COLUMN workflows_claimed_until REAL;
                    CREATE INDEX events_with_pending_workflows ON events (seq) WHERE workflows_depth IS NOT NULL;
                    DELETE FROM workflow_runs WHERE seq NOT IN (
                        SELECT MIN(seq) FROM workflow_runs GROUP BY workflow_id, trigger_event_id);
                    CREATE UNIQUE INDEX workflow_runs_once ON workflow_runs (workflow_id, trigger_event_id);
                    """
            )
        }
        // When a delivery's first attempt was made, for `Persona-Webhook-First-Attempted-At`
        // (NULL for events stored before: their next attempt counts as the first).
        migrator.registerMigration("share-tokens-v4-first-attempt") { db in
            try db.execute(sql: "ALTER TABLE events ADD COLUMN first_attempt_at REAL")
        }
    }
}
