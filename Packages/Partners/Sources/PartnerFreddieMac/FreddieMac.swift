import ShareModels
import SharePartners

extension PartnerID {
    /// Freddie Mac (Federal Home Loan Mortgage Corporation).
    public static let freddieMac: PartnerID = "freddie-mac"
}

/// Freddie Mac: receives consumer reports through `urn:plaid:params:cra-partner:freddie-mac`.
public struct FreddieMac: PartnerAdapter {
    public init() {}
    public var id: PartnerID { .freddieMac }
    public var displayName: String { "Freddie Mac" }
    public var audienceURN: Audience.Member { "urn:plaid:params:cra-partner:freddie-mac" }
    public var aliases: [String] { ["freddiemac", "freddie_mac", "fhlmc"] }
}
