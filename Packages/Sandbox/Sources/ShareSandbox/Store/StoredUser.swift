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
    /// The identity sent with the user, as a JSON object with the members `identity` and
    /// `consumer_report_user_identity` the request carried; `nil` when it sent neither.
    /// Personal data: never logged.
    public var identityJSON: String?
    /// The digest of the legacy `user_token` (`user-sandbox-…`) answered to a legacy request;
    /// token exchanges accept that token as `subject_token` like the user id.
    public var userTokenDigest: TokenDigest?

    public init(
        id: String, clientID: String, clientUserID: String, createdAt: Int, identityJSON: String? = nil,
        userTokenDigest: TokenDigest? = nil
    ) {
        self.id = id
        self.clientID = clientID
        self.clientUserID = clientUserID
        self.createdAt = createdAt
        self.identityJSON = identityJSON
        self.userTokenDigest = userTokenDigest
    }
}

extension StoredUser: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Never the identity.
    public var description: String {
        "StoredUser(id: \(id), client_id: \(clientID), identity: \(identityJSON == nil ? "nil" : "<redacted>"))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror { Mirror(self, children: ["description": description]) }
}
