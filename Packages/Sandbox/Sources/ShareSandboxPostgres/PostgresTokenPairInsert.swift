import Foundation
import PostgresNIO
import ShareSandbox

/// Two tokens — the refresh and access token of one grant, what every issue, rotation and
/// exchange stores — in one prepared `INSERT`: one round trip, atomic without a transaction, and
/// parsed and planned once per pooled connection instead of on every issue.
struct PostgresTokenPairInsert: PostgresPreparedStatement {
    static let name = "sharekit_insert_token_pair"
    static let sql = insertSQL(rows: 2)
    private static let rowTypes: [PostgresDataType] = [
        .bytea, .text, .text, .text, .text, .text, .text, .text, .bytea, .int8, .int8, .int8, .int8,
    ]
    static let bindingDataTypes: [PostgresDataType] = rowTypes + rowTypes
    typealias Row = PostgresRow

    let first: StoredToken
    let second: StoredToken

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 26)
        try Self.appendRow(of: first, to: &bindings)
        try Self.appendRow(of: second, to: &bindings)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }

    /// The `tokens` columns one row binds, in the order of ``appendRow(of:to:)``.
    static let columns = [
        "digest", "kind", "client_id", "audience", "scope", "subject", "user_id", "family_id", "parent", "issued_at",
        "expires_at", "revoked_at", "spent_at",
    ]

    /// `INSERT INTO tokens` of `rows` rows, numbered `$1`, `$2`, … in the order of
    /// ``appendRow(of:to:)``: the pair's statement, and the one-off inserts of other counts.
    static func insertSQL(rows: Int) -> String {
        let values = (0..<rows).map { row in
            "(" + (1...columns.count).map { "$\(row * columns.count + $0)" }.joined(separator: ", ") + ")"
        }
        return "INSERT INTO tokens (\(columns.joined(separator: ", "))) VALUES " + values.joined(separator: ", ")
    }

    /// Binds `token`'s row, one value per column of ``columns``.
    static func appendRow(of token: StoredToken, to bindings: inout PostgresBindings) throws {
        try bindings.append(Data(token.digest.bytes))
        bindings.append(token.kind.rawValue)
        bindings.append(token.clientID)
        bindings.append(try StoredAudience.text(for: token.audience))
        bindings.append(token.scope.wireValue)
        bindings.append(token.subject)
        bindings.append(token.userID)
        bindings.append(token.familyID)
        try bindings.append(token.parent.map { Data($0.bytes) })
        bindings.append(Int64(token.issuedAt))
        bindings.append(Int64(token.expiresAt))
        bindings.append(token.revokedAt.map(Int64.init))
        bindings.append(token.spentAt.map(Int64.init))
    }
}
