import GRDB

/// The SQLite table of the answers saved for `Idempotency-Key`s, added to
/// ``SQLiteSandboxStore``'s database by its migrator.
enum IdempotencySchema {
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("idempotency-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE idempotent_answers (
                        organization TEXT NOT NULL,
                        key TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        status INTEGER NOT NULL,
                        content_type TEXT,
                        location TEXT,
                        body BLOB NOT NULL,
                        created_at REAL NOT NULL,
                        PRIMARY KEY (organization, key)
                    );
                    CREATE INDEX idempotent_answers_by_age ON idempotent_answers (created_at);
                    """
            )
        }
    }
}
