/// The name of a lifecycle event, e.g. `connect/share-token.outbound-created`.
public struct EventName: WireString {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// In the source organization, when it creates a share token.
    public static let outboundCreated: EventName = "connect/share-token.outbound-created"
    /// In the source organization, when the destination's redemption has finished.
    public static let outboundRedeemed: EventName = "connect/share-token.outbound-redeemed"
    /// In the destination organization, when a share token is created for it.
    public static let inboundCreated: EventName = "connect/share-token.inbound-created"
    /// In the destination organization, when its redemption has finished.
    public static let inboundRedeemed: EventName = "connect/share-token.inbound-redeemed"
    /// An inquiry of the organization was completed (a workflow trigger).
    public static let inquiryCompleted: EventName = "inquiry.completed"

    /// The four share-token lifecycle events.
    public static let shareTokenEvents: [EventName] = [.outboundCreated, .outboundRedeemed, .inboundCreated, .inboundRedeemed]
}

/// An event delivered to an organization's webhook and listed by `GET /api/v1/events`:
/// `{"type":"event","id":"evt_…","attributes":{"name":…,"created-at":…,"payload":{"data":<share token>}}}`.
public struct ShareTokenEvent: Hashable, Sendable, Codable {
    /// The JSON:API resource type.
    public static let resourceType = "event"

    public var id: EventID
    public var name: EventName
    public var createdAt: Timestamp
    /// The share token as the receiving organization sees it.
    public var shareToken: ShareToken

    public init(id: EventID, name: EventName, createdAt: Timestamp, shareToken: ShareToken) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.shareToken = shareToken
    }

    enum ResourceKeys: String, CodingKey { case type, id, attributes }
    enum AttributeKeys: String, CodingKey {
        case name
        case createdAt = "created-at"
        case payload
    }

    public init(from decoder: any Decoder) throws {
        let resource = try decoder.container(keyedBy: ResourceKeys.self)
        id = try resource.decode(EventID.self, forKey: .id)
        let attributes = try resource.nestedContainer(keyedBy: AttributeKeys.self, forKey: .attributes)
        name = try attributes.decode(EventName.self, forKey: .name)
        createdAt = try attributes.decode(Timestamp.self, forKey: .createdAt)
        shareToken = try attributes.decode(JSONAPIDocument<ShareToken>.self, forKey: .payload).data
    }

    public func encode(to encoder: any Encoder) throws {
        var resource = encoder.container(keyedBy: ResourceKeys.self)
        try resource.encode(Self.resourceType, forKey: .type)
        try resource.encode(id, forKey: .id)
        var attributes = resource.nestedContainer(keyedBy: AttributeKeys.self, forKey: .attributes)
        try attributes.encode(name, forKey: .name)
        try attributes.encode(createdAt, forKey: .createdAt)
        try attributes.encode(JSONAPIDocument(data: shareToken), forKey: .payload)
    }
}
