/// The attributes of `POST /api/v1/connect/share-tokens`.
///
/// Sent as `{"data":{"type":"connect/share-token","attributes":{…}}}`; see ``JSONAPIRequestDocument``.
public struct ShareTokenCreateAttributes: Hashable, Sendable, Codable {
    /// The connection whose destination organization may redeem the token.
    public var connectionID: ConnectionID
    /// The record to share: an inquiry, transaction or account of the caller.
    public var sourceID: SourceID
    /// Lifetime in seconds, 60…1,814,400; 14 days when absent. Kept raw so that a server can
    /// answer an out-of-range value with an error naming this field.
    public var expiresInSeconds: Int?

    public init(connectionID: ConnectionID, sourceID: SourceID, ttl: ShareTokenTTL? = nil) {
        self.connectionID = connectionID
        self.sourceID = sourceID
        self.expiresInSeconds = ttl?.seconds
    }

    /// The validated lifetime.
    public func ttl() throws(ShareTokenTTL.OutOfRange) -> ShareTokenTTL {
        guard let expiresInSeconds else { return .default }
        return try ShareTokenTTL(seconds: expiresInSeconds)
    }

    enum CodingKeys: String, CodingKey {
        case connectionID = "connection-id"
        case sourceID = "source-id"
        case expiresInSeconds = "expires-in-seconds"
    }
}

/// The attributes of `POST /api/v1/connect/share-tokens/{id}/redeem` (all optional; the body may
/// be empty).
public struct ShareTokenRedeemAttributes: Hashable, Sendable, Codable {
    /// The destination record to write; created when absent.
    public var destinationID: SourceID?

    public init(destinationID: SourceID? = nil) { self.destinationID = destinationID }

    enum CodingKeys: String, CodingKey { case destinationID = "destination-id" }
}
