import ShareModels
import SharePartners

extension PartnerID {
    /// Fannie Mae (Federal National Mortgage Association).
    public static let fannieMae: PartnerID = "fannie-mae"
}

/// Fannie Mae: receives consumer reports through `urn:plaid:params:cra-partner:fannie-mae`.
public struct FannieMae: PartnerAdapter {
    public init() {}
    public var id: PartnerID { .fannieMae }
    public var displayName: String { "Fannie Mae" }
    public var audienceURN: Audience.Member { "urn:plaid:params:cra-partner:fannie-mae" }
    public var aliases: [String] { ["fanniemae", "fannie_mae", "fnma"] }
}
