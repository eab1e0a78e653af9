/// A request to `/user/create`: a user whose consumer report can later be shared.
public struct UserCreateRequest: Hashable, Sendable, Codable {
    /// The longest `client_user_id` the API accepts.
    public static let clientUserIDLengthLimit = 128

    public var clientID: String?
    public var secret: String?
    /// Your own stable identifier for the user, 1–128 characters.
    public var clientUserID: String

    public init(clientUserID: String, clientID: String? = nil, secret: String? = nil) {
        self.clientUserID = clientUserID
        self.clientID = clientID
        self.secret = secret
    }

    /// What is wrong with this request, or `nil` when it is valid.
    public var validationProblem: String? {
        let count = clientUserID.count
        if count == 0 { return "client_user_id must not be empty" }
        if count > Self.clientUserIDLengthLimit {
            return "client_user_id must be at most \(Self.clientUserIDLengthLimit) characters (got \(count))"
        }
        return nil
    }

    enum CodingKeys: String, CodingKey {
        case clientID = "client_id"
        case secret
        case clientUserID = "client_user_id"
    }
}

extension UserCreateRequest: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "UserCreateRequest(client_user_id: \(clientUserID), client_id: \(clientID ?? "nil"), secret: \(Redaction.secret(secret)))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["clientUserID": clientUserID, "clientID": clientID as Any, "secret": Redaction.secret(secret)])
    }
}

/// The answer to `/user/create`.
public struct UserCreateResponse: Hashable, Sendable, Codable {
    public var userID: UserID
    public var requestID: String

    public init(userID: UserID, requestID: String) {
        self.userID = userID
        self.requestID = requestID
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case requestID = "request_id"
    }
}
