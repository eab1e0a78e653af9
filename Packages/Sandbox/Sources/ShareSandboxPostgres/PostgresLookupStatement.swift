import Foundation
import PostgresNIO

/// The point lookups of the OAuth routes as prepared statements: each connection of the pool
/// parses and plans them once, and every later lookup is one Bind/Execute round trip.
///
/// Columns are named rather than `*`, so that a migration adding a column (applied by another
/// sandbox on the same database while this one runs) does not change a prepared statement's
/// result type.
enum PostgresLookupStatement {
    /// The columns of `clients` a ``StoredClient`` is read from, in the order it reads them.
    static let clientColumnNames = ["id", "secret_salt", "secret_mac", "partner_id", "partner_urn", "scopes", "grant_types"]
    /// The columns of `tokens` a `StoredToken` is read from, in the order it reads them
    /// (`PostgresCellReader` checks each name).
    static let tokenColumns =
        "digest, kind, client_id, audience, scope, subject, user_id, family_id, parent, issued_at, expires_at, revoked_at, spent_at"

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

    /// `clients` by `id` and `tokens` by `digest` for several lookups at once, a row each
    /// (numbered `lookup` from 1, in the order of the arrays; each side `NULL` when unknown): the
    /// client and token reads of the OAuth routes, as ``StatementCoalescer`` gathers them. Each
    /// side is a `LATERAL` point lookup, so the plan is one primary-key probe per lookup however
    /// many rows the tables hold (`LIMIT 1` keeps the planner from turning them back into a join, which
    /// may hash a whole table per statement). The
    /// client's columns are prefixed `c_` (`tokens` has a `client_id` of its own). A lookup of a
    /// client alone has an empty digest, which no token has.
    struct ClientsAndTokens: PostgresPreparedStatement {
        static let name = "sharekit_clients_and_tokens"
        static let sql = """
            SELECT lookup.i AS lookup, c.*, t.*
            FROM unnest($1::text[], $2::bytea[]) WITH ORDINALITY AS lookup(client_id, digest, i)
            LEFT JOIN LATERAL (
                SELECT \(clientColumnNames.map { "\($0) AS c_\($0)" }.joined(separator: ", "))
                FROM clients WHERE id = lookup.client_id LIMIT 1
            ) AS c ON true
            LEFT JOIN LATERAL (SELECT \(tokenColumns) FROM tokens WHERE digest = lookup.digest LIMIT 1) AS t ON true
            """
        static let bindingDataTypes: [PostgresDataType] = [.textArray, .byteaArray]
        typealias Row = PostgresRow

        let ids: [String]
        let digests: [ByteBuffer]

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 2)
            bindings.append(ids)
            bindings.append(digests)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }
}
