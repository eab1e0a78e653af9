import ShareModels

/// A client id and its secret: what the API's `client_id` and `secret` (or `client_secret`)
/// carry.
///
/// Prints as `ClientCredentials(client_id: 5f3c…, secret: <redacted>)` in `description`,
/// `debugDescription`, string interpolation and `dump`; equality compares the secret in constant
/// time.
///
/// ```swift
/// let credentials = try EnvironmentCredentialsProvider().requireClientCredentials()
/// ```
public struct ClientCredentials: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The client id (not a secret: it appears in introspection results).
    public let clientID: String
    /// The client secret.
    public let secret: Secret

    public init(clientID: String, secret: String) {
        self.clientID = clientID
        self.secret = Secret(secret)
    }

    public init(clientID: String, secret: Secret) {
        self.clientID = clientID
        self.secret = secret
    }

    public static func == (lhs: ClientCredentials, rhs: ClientCredentials) -> Bool {
        // Both comparisons always run, so timing does not reveal which part differed.
        let sameID = Secret.constantTimeEquals(lhs.clientID, rhs.clientID)
        let sameSecret = lhs.secret == rhs.secret
        return sameID && sameSecret
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(clientID)
        hasher.combine(secret)
    }

    public var description: String { "ClientCredentials(client_id: \(clientID), secret: \(Redaction.marker))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["clientID": clientID, "secret": Redaction.marker]) }
}
