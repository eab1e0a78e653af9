/// The OAuth half of ``InMemorySandboxStore``: clients, users and tokens with the links between
/// tokens that revocation follows.
struct InMemoryOAuthState {
    var clients: [String: StoredClient] = [:]
    var users: [String: StoredUser] = [:]
    private var usersByClientUserID: [UserKey: String] = [:]
    private var usersByTokenDigest: [TokenDigest: String] = [:]
    var tokens: [TokenDigest: StoredToken] = [:]
    private var children: [TokenDigest: [TokenDigest]] = [:]
    private var families: [String: [TokenDigest]] = [:]
    /// Every family, in the order it first appeared: what retention walks through.
    var familyOrder: [String] = []

    private struct UserKey: Hashable {
        var clientID: String
        var clientUserID: String
    }

    mutating func createUser(_ user: StoredUser) -> StoredUser {
        let key = UserKey(clientID: user.clientID, clientUserID: user.clientUserID)
        if let existing = usersByClientUserID[key], var stored = users[existing] {
            if let digest = user.userTokenDigest {
                if let old = stored.userTokenDigest { usersByTokenDigest[old] = nil }
                stored.userTokenDigest = digest
                users[existing] = stored
                usersByTokenDigest[digest] = existing
            }
            return stored
        }
        if let digest = user.userTokenDigest { usersByTokenDigest[digest] = user.id }
        users[user.id] = user
        usersByClientUserID[key] = user.id
        return user
    }

    func user(tokenDigest digest: TokenDigest) -> StoredUser? { usersByTokenDigest[digest].flatMap { users[$0] } }

    mutating func insertTokens(_ newTokens: [StoredToken]) {
        for token in newTokens {
            tokens[token.digest] = token
            if let parent = token.parent { children[parent, default: []].append(token.digest) }
            if families[token.familyID] == nil { familyOrder.append(token.familyID) }
            families[token.familyID, default: []].append(token.digest)
        }
    }

    mutating func insertTokens(_ newTokens: [StoredToken], derivedFrom parent: TokenDigest, at now: Int) -> Bool {
        guard let token = tokens[parent], token.isUsable(at: now) else { return false }
        insertTokens(newTokens)
        return true
    }

    mutating func rotate(spending digest: TokenDigest, issuing: [StoredToken], at now: Int) -> RefreshRotation {
        guard var token = tokens[digest], token.kind == .refresh, token.isActive(at: now) else { return .inactive }
        if token.spentAt != nil {
            var count = 0
            for member in families[token.familyID] ?? [] where revoke(member, at: now) { count += 1 }
            return .reused(revokedCount: count)
        }
        token.spentAt = now
        tokens[digest] = token
        insertTokens(issuing)
        return .rotated
    }

    mutating func revokeTree(from digest: TokenDigest, at now: Int) -> Int {
        guard tokens[digest] != nil else { return 0 }
        var count = 0
        var pending = [digest]
        while let next = pending.popLast() {
            if revoke(next, at: now) { count += 1 }
            pending.append(contentsOf: children[next] ?? [])
        }
        return count
    }

    /// Removes the tokens of `family` when every one of them ended (``StoredToken/endedAt``)
    /// before `cutoff` (seconds since 1970), and answers how many; `nil`, removing nothing, when
    /// one has not. An unknown family counts as removed, with no token.
    mutating func removeFamily(_ family: String, endedBefore cutoff: Double) -> Int? {
        guard let members = families[family] else { return 0 }
        for digest in members where Double(tokens[digest]?.endedAt ?? 0) >= cutoff { return nil }
        for digest in members {
            tokens[digest] = nil
            children[digest] = nil
        }
        families[family] = nil
        return members.count
    }

    /// Marks one token revoked; `false` when it already was.
    private mutating func revoke(_ digest: TokenDigest, at now: Int) -> Bool {
        guard var token = tokens[digest], token.revokedAt == nil else { return false }
        token.revokedAt = now
        tokens[digest] = token
        return true
    }
}
