import ShareModels

/// The bearer key an organization presents to the share-token API (`Authorization: Bearer …`).
///
/// Prints as `APIKey(<redacted>)` everywhere; equality is constant-time.
public struct APIKey: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The key.
    public let secret: Secret

    public init(_ value: String) { secret = Secret(value) }

    public var description: String { "APIKey(\(Redaction.marker))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["secret": Redaction.marker]) }
}

/// A credential a request can carry: a client id and secret, or an API key.
public enum Credential: Hashable, Sendable, CustomStringConvertible {
    case client(ClientCredentials)
    case apiKey(APIKey)

    public var description: String {
        switch self {
        case .client(let credentials): credentials.description
        case .apiKey(let key): key.description
        }
    }
}
