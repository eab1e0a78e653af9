/// A share token (`cnst_…`): one record of a source organization, handed to the destination
/// organization of one connection, redeemable once before it expires.
///
/// On the wire it is a JSON:API resource of type `connect/share-token` with kebab-case attributes.
public struct ShareToken: Hashable, Sendable, Codable {
    /// The JSON:API resource type.
    public static let resourceType = "connect/share-token"

    public var id: ShareTokenID
    public var status: ShareTokenStatus
    /// `outbound` when the source organization reads it, `inbound` for the destination.
    public var direction: ShareTokenDirection
    public var connectionID: ConnectionID
    public var sourceID: SourceID
    /// The record the redemption wrote at the destination, once redeemed.
    public var destinationID: SourceID?
    public var createdAt: Timestamp
    public var expiresAt: Timestamp
    public var redeemedAt: Timestamp?

    public init(
        id: ShareTokenID,
        status: ShareTokenStatus,
        direction: ShareTokenDirection,
        connectionID: ConnectionID,
        sourceID: SourceID,
        destinationID: SourceID? = nil,
        createdAt: Timestamp,
        expiresAt: Timestamp,
        redeemedAt: Timestamp? = nil
    ) {
        self.id = id
        self.status = status
        self.direction = direction
        self.connectionID = connectionID
        self.sourceID = sourceID
        self.destinationID = destinationID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.redeemedAt = redeemedAt
    }

    enum ResourceKeys: String, CodingKey { case type, id, attributes }

    enum AttributeKeys: String, CodingKey {
        case status, direction
        case connectionID = "connection-id"
        case sourceID = "source-id"
        case destinationID = "destination-id"
        case createdAt = "created-at"
        case expiresAt = "expires-at"
        case redeemedAt = "redeemed-at"
    }

    public init(from decoder: any Decoder) throws {
        let resource = try decoder.container(keyedBy: ResourceKeys.self)
        let type = try resource.decode(String.self, forKey: .type)
        guard type == Self.resourceType else {
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: resource, debugDescription: "expected type \"\(Self.resourceType)\"")
        }
        id = try resource.decode(ShareTokenID.self, forKey: .id)
        let attributes = try resource.nestedContainer(keyedBy: AttributeKeys.self, forKey: .attributes)
        status = try attributes.decode(ShareTokenStatus.self, forKey: .status)
        direction = try attributes.decode(ShareTokenDirection.self, forKey: .direction)
        connectionID = try attributes.decode(ConnectionID.self, forKey: .connectionID)
        sourceID = try attributes.decode(SourceID.self, forKey: .sourceID)
        destinationID = try attributes.decodeIfPresent(SourceID.self, forKey: .destinationID)
        createdAt = try attributes.decode(Timestamp.self, forKey: .createdAt)
        expiresAt = try attributes.decode(Timestamp.self, forKey: .expiresAt)
        redeemedAt = try attributes.decodeIfPresent(Timestamp.self, forKey: .redeemedAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var resource = encoder.container(keyedBy: ResourceKeys.self)
        try resource.encode(Self.resourceType, forKey: .type)
        try resource.encode(id, forKey: .id)
        var attributes = resource.nestedContainer(keyedBy: AttributeKeys.self, forKey: .attributes)
        try attributes.encode(status, forKey: .status)
        try attributes.encode(direction, forKey: .direction)
        try attributes.encode(connectionID, forKey: .connectionID)
        try attributes.encode(sourceID, forKey: .sourceID)
        try attributes.encodeIfPresent(destinationID, forKey: .destinationID)
        try attributes.encode(createdAt, forKey: .createdAt)
        try attributes.encode(expiresAt, forKey: .expiresAt)
        try attributes.encodeIfPresent(redeemedAt, forKey: .redeemedAt)
    }

    /// The same token as the other side of the connection sees it.
    public func seen(as direction: ShareTokenDirection) -> ShareToken {
        var copy = self
        copy.direction = direction
        return copy
    }
}
