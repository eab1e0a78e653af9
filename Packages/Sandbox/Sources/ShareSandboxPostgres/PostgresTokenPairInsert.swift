import Foundation
import PostgresNIO
import ShareSandbox

/// Two tokens — the refresh and access token of one grant, what every issue, rotation and
/// exchange stores — in one prepared `INSERT`: one round trip, atomic without a transaction, and
/// parsed and planned once per pooled connection instead of on every issue.
struct PostgresTokenPairInsert: PostgresPreparedStatement {
    static let name = "sharekit_insert_token_pair"
    static let sql = """
        INSERT INTO tokens (digest, kind, client_id, audience, scope, subject, user_id, family_id, parent,
                            issued_at, expires_at, revoked_at, spent_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13),
               ($14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26)
        """
    private static let rowTypes: [PostgresDataType] = [
        .bytea, .text, .text, .text, .text, .text, .text, .text, .bytea, .int8, .int8, .int8, .int8,
    ]
    static let bindingDataTypes: [PostgresDataType] = rowTypes + rowTypes
    typealias Row = PostgresRow

    let first: StoredToken
    let second: StoredToken

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 26)
        for token in [first, second] {
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
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}
