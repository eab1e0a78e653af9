/// A ``SandboxStore`` that keeps everything in memory: the default, gone when the process ends.
public actor InMemorySandboxStore: SandboxStore {
    private var clients: [String: StoredClient] = [:]
    private var users: [String: StoredUser] = [:]
    private var usersByClientUserID: [UserKey: String] = [:]
    private var tokens: [TokenDigest: StoredToken] = [:]
    private var children: [TokenDigest: [TokenDigest]] = [:]
    private var families: [String: [TokenDigest]] = [:]
    /// Records, share tokens, events and workflow runs (see `InMemoryShareTokenState`).
    var shareTokenState = InMemoryShareTokenState()

    private struct UserKey: Hashable {
        var clientID: String
        var clientUserID: String
    }

    public init() {}

    public func saveClient(_ client: StoredClient) { clients[client.id] = client }

    public func client(id: String) -> StoredClient? { clients[id] }

    public func createUser(_ user: StoredUser) -> StoredUser {
        let key = UserKey(clientID: user.clientID, clientUserID: user.clientUserID)
        if let existing = usersByClientUserID[key], let stored = users[existing] { return stored }
        users[user.id] = user
        usersByClientUserID[key] = user.id
        return user
    }

    public func user(id: String) -> StoredUser? { users[id] }

    public func insertTokens(_ newTokens: [StoredToken]) {
        for token in newTokens {
            tokens[token.digest] = token
            if let parent = token.parent { children[parent, default: []].append(token.digest) }
            families[token.familyID, default: []].append(token.digest)
        }
    }

    public func token(_ digest: TokenDigest) -> StoredToken? { tokens[digest] }

    public func rotate(spending digest: TokenDigest, issuing: [StoredToken], at now: Int) -> RefreshRotation {
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

    @discardableResult
    public func revokeTree(from digest: TokenDigest, at now: Int) -> Int {
        guard tokens[digest] != nil else { return 0 }
        var count = 0
        var pending = [digest]
        while let next = pending.popLast() {
            if revoke(next, at: now) { count += 1 }
            pending.append(contentsOf: children[next] ?? [])
        }
        return count
    }

    /// Marks one token revoked; `false` when it already was.
    private func revoke(_ digest: TokenDigest, at now: Int) -> Bool {
        guard var token = tokens[digest], token.revokedAt == nil else { return false }
        token.revokedAt = now
        tokens[digest] = token
        return true
    }
}
