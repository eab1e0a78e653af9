import Foundation
import PostgresNIO

/// The point lookups of the OAuth routes as prepared statements: each connection of the pool
/// parses and plans them once, and every later lookup is one Bind/Execute round trip.
///
/// Columns are named rather than `*`, so that a migration adding a column (applied by another
/// sandbox on the same database while this one runs) does not change a prepared statement's
/// result type.
enum PostgresLookupStatement {
    /// The columns of `clients` a ``StoredClient`` is read from.
    static let clientColumns = "id, secret_salt, secret_mac, partner_id, partner_urn, scopes, grant_types"
    /// The columns of `tokens` a `StoredToken` is read from.
    static let tokenColumns =
        "digest, kind, client_id, audience, scope, subject, user_id, family_id, parent, issued_at, expires_at, revoked_at, spent_at"

    /// `clients` by `id`.
    struct ClientByID: PostgresPreparedStatement {
        static let name = "sharekit_client_by_id"
        static let sql = "SELECT \(clientColumns) FROM clients WHERE id = $1"
        static let bindingDataTypes: [PostgresDataType] = [.text]
        typealias Row = PostgresRow

        let id: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(id)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }

    /// `tokens` by `digest`.
    struct TokenByDigest: PostgresPreparedStatement {
        static let name = "sharekit_token_by_digest"
        static let sql = "SELECT \(tokenColumns) FROM tokens WHERE digest = $1"
        static let bindingDataTypes: [PostgresDataType] = [.bytea]
        typealias Row = PostgresRow

        let digest: Data

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            try bindings.append(digest)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }

    /// `clients` by `id` and `tokens` by `digest` in one row (each side `NULL` when unknown):
    /// `/oauth/introspect`'s two lookups in one round trip. The client's columns are prefixed
    /// `c_` (`tokens` has a `client_id` of its own).
    struct ClientAndToken: PostgresPreparedStatement {
        static let name = "sharekit_client_and_token"
        static let sql = """
            SELECT \(clientColumns.split(separator: ", ").map { "c.\($0) AS c_\($0)" }.joined(separator: ", ")),
                   \(tokenColumns.split(separator: ", ").map { "t.\($0)" }.joined(separator: ", "))
            FROM (SELECT 1) AS one LEFT JOIN clients AS c ON c.id = $1 LEFT JOIN tokens AS t ON t.digest = $2
            """
        static let bindingDataTypes: [PostgresDataType] = [.text, .bytea]
        typealias Row = PostgresRow

        let id: String
        let digest: Data

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 2)
            bindings.append(id)
            try bindings.append(digest)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }
}
