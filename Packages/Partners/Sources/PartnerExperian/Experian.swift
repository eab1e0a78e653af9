import ShareModels
import SharePartners

extension PartnerID {
    /// Experian, the consumer reporting agency.
    public static let experian: PartnerID = "experian"
}

/// Experian: receives consumer reports through `urn:plaid:params:cra-partner:experian`.
public struct Experian: PartnerAdapter {
    public init() {}
    public var id: PartnerID { .experian }
    public var displayName: String { "Experian" }
    public var audienceURN: Audience.Member { "urn:plaid:params:cra-partner:experian" }
}
