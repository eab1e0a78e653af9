/// A request to `/user/create`: a user whose consumer report can later be shared.
public struct UserCreateRequest: Hashable, Sendable, Codable {
    /// The longest `client_user_id` the API accepts.
    public static let clientUserIDLengthLimit = 128

    public var clientID: String?
    public var secret: String?
    /// Your own stable identifier for the user, 1–128 characters.
    public var clientUserID: String
    /// The user's identity (New User API); the answer carries a `user_id` only.
    public var identity: ClientUserIdentity?
    /// The legacy identity; a request carrying it is answered with a `user_token` too.
    public var consumerReportUserIdentity: ConsumerReportUserIdentity?
    /// `true` opts a legacy integration into the New User API.
    public var withUpgradedUser: Bool?
    /// A CRA reseller's end customer, at most 128 characters.
    public var endCustomer: String?

    public init(
        clientUserID: String, identity: ClientUserIdentity? = nil, consumerReportUserIdentity: ConsumerReportUserIdentity? = nil,
        withUpgradedUser: Bool? = nil, endCustomer: String? = nil, clientID: String? = nil, secret: String? = nil
    ) {
        self.clientUserID = clientUserID
        self.identity = identity
        self.consumerReportUserIdentity = consumerReportUserIdentity
        self.withUpgradedUser = withUpgradedUser
        self.endCustomer = endCustomer
        self.clientID = clientID
        self.secret = secret
    }

    /// What is wrong with this request, or `nil` when it is valid. Lengths are counted in
    /// Unicode scalars, as Plaid's schema (`maxLength`) and the sandbox count them.
    public var validationProblem: String? {
        let count = clientUserID.unicodeScalars.count
        if count == 0 { return "client_user_id must not be empty" }
        if count > Self.clientUserIDLengthLimit {
            return "client_user_id must be at most \(Self.clientUserIDLengthLimit) characters (got \(count))"
        }
        if let endCustomer, endCustomer.unicodeScalars.count > Self.clientUserIDLengthLimit {
            return "end_customer must be at most \(Self.clientUserIDLengthLimit) characters (got \(endCustomer.unicodeScalars.count))"
        }
        return nil
    }

    enum CodingKeys: String, CodingKey {
        case clientID = "client_id"
        case secret
        case clientUserID = "client_user_id"
        case identity
        case consumerReportUserIdentity = "consumer_report_user_identity"
        case withUpgradedUser = "with_upgraded_user"
        case endCustomer = "end_customer"
    }
}

extension UserCreateRequest: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "UserCreateRequest(client_user_id: \(clientUserID), identity: \(identity.map(\.description) ?? "nil"), "
            + "consumer_report_user_identity: \(consumerReportUserIdentity.map(\.description) ?? "nil"), "
            + "client_id: \(clientID ?? "nil"), secret: \(Redaction.secret(secret)))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "clientUserID": clientUserID, "identity": identity.map(\.description) as Any,
                "consumerReportUserIdentity": consumerReportUserIdentity.map(\.description) as Any,
                "clientID": clientID as Any, "secret": Redaction.secret(secret),
            ])
    }
}

/// The answer to `/user/create`.
///
/// A request with `consumer_report_user_identity` (Plaid's legacy generation) is answered with a
/// `user_token` as well, which token exchanges accept as `subject_token` like the `user_id`.
public struct UserCreateResponse: Hashable, Sendable, Codable {
    public var userID: UserID
    /// `user-sandbox-…`, legacy requests only.
    public var userToken: String?
    public var requestID: String

    public init(userID: UserID, userToken: String? = nil, requestID: String) {
        self.userID = userID
        self.userToken = userToken
        self.requestID = requestID
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case userToken = "user_token"
        case requestID = "request_id"
    }
}

extension UserCreateResponse: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        "UserCreateResponse(user_id: \(userID), user_token: \(Redaction.token(userToken)), request_id: \(requestID))"
    }

    public var debugDescription: String { description }
}
