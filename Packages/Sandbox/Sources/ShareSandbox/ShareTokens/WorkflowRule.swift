import ShareModels

/// A declarative automation of an organization: when `trigger` occurs in `organization`, run
/// `action`. Read from the `workflows` key of `share-sandbox --config FILE`:
///
/// ```json
/// {"id": "share-on-completion", "organization": "org_lender", "trigger": "inquiry.completed",
///  "action": {"type": "create-share-token", "connection-id": "cxn_lender_partner", "expires-in-seconds": 3600}}
/// {"id": "auto-redeem", "organization": "org_partner", "trigger": "connect/share-token.inbound-created",
///  "action": {"type": "redeem-share-token"}}
/// ```
///
/// Every run is recorded with its outcome (`GET /api/v1/workflow-runs`).
public struct WorkflowRule: Hashable, Sendable, Codable {
    /// What a workflow does.
    public enum Action: Hashable, Sendable, Codable {
        /// Creates a share token on `connectionID` for the record of the trigger: the completed
        /// inquiry (`inquiry.completed`) or the record a redemption wrote
        /// (`connect/share-token.inbound-redeemed`).
        case createShareToken(connectionID: String, expiresInSeconds: Int?)
        /// Redeems the share token of the trigger (`connect/share-token.inbound-created`).
        case redeemShareToken(destinationID: String?)

        enum CodingKeys: String, CodingKey {
            case type
            case connectionID = "connection-id"
            case expiresInSeconds = "expires-in-seconds"
            case destinationID = "destination-id"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let type = try container.decode(String.self, forKey: .type)
            switch type {
            case "create-share-token":
                self = .createShareToken(
                    connectionID: try container.decode(String.self, forKey: .connectionID),
                    expiresInSeconds: try container.decodeIfPresent(Int.self, forKey: .expiresInSeconds))
            case "redeem-share-token":
                self = .redeemShareToken(destinationID: try container.decodeIfPresent(String.self, forKey: .destinationID))
            default:
                throw DecodingError.dataCorruptedError(
                    forKey: .type, in: container,
                    debugDescription: "unknown action type; expected \"create-share-token\" or \"redeem-share-token\"")
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .createShareToken(let connectionID, let expiresInSeconds):
                try container.encode("create-share-token", forKey: .type)
                try container.encode(connectionID, forKey: .connectionID)
                try container.encodeIfPresent(expiresInSeconds, forKey: .expiresInSeconds)
            case .redeemShareToken(let destinationID):
                try container.encode("redeem-share-token", forKey: .type)
                try container.encodeIfPresent(destinationID, forKey: .destinationID)
            }
        }

        /// The triggers this action can act on.
        var acceptedTriggers: [EventName] {
            switch self {
            case .createShareToken: [.inquiryCompleted, .inboundRedeemed]
            case .redeemShareToken: [.inboundCreated]
            }
        }
    }

    /// A name for the rule, unique in the configuration; runs refer to it.
    public var id: String
    /// The organization whose events trigger the rule and on whose behalf it acts.
    public var organization: String
    /// The event that triggers the rule.
    public var trigger: EventName
    public var action: Action

    public init(id: String, organization: String, trigger: EventName, action: Action) {
        self.id = id
        self.organization = organization
        self.trigger = trigger
        self.action = action
    }
}
