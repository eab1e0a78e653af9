import ShareModels
import SharePartners

extension PartnerID {
    public static let northwind: PartnerID = "northwind"
}

/// Northwind Credit Bureau: only takes part in shares with at most one other party.
public struct NorthwindBureau: PartnerAdapter {
    public init() {}
    public var id: PartnerID { .northwind }
    public var displayName: String { "Northwind Credit Bureau" }
    public var audienceURN: Audience.Member { "urn:plaid:params:cra-partner:northwind" }
    public var aliases: [String] { ["ncb"] }

    public func validate(_ request: PartnerShareRequest) throws(PartnerRuleViolation) {
        try validateStandardRules(request)          // subject token type and scopes
        guard request.audience.members.count <= 2 else {
            throw PartnerRuleViolation(partner: id, reason: "\(displayName) shares with at most one other party")
        }
    }
}
