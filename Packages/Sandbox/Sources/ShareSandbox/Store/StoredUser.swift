/// A user created through `/user/create`.
public struct StoredUser: Hashable, Sendable {
    /// `usr_…`
    public var id: String
    /// The client that created the user; only it may exchange the user id.
    public var clientID: String
    /// The caller's own identifier for the user.
    public var clientUserID: String
    /// Creation time, seconds since 1970.
    public var createdAt: Int

    public init(id: String, clientID: String, clientUserID: String, createdAt: Int) {
        self.id = id
        self.clientID = clientID
        self.clientUserID = clientUserID
        self.createdAt = createdAt
    }
}
