import ShareModels
import SharePartners

// A complete example partner, registered from this test target without touching any ShareKit
// package: docs/adding-a-partner.md walks through it.

extension PartnerID {
    /// Northwind Credit Bureau, the example partner.
    static let northwind: PartnerID = "northwind"
}

/// Northwind Credit Bureau: receives consumer reports through
/// `urn:plaid:params:cra-partner:northwind`, and has one rule of its own: it only takes part in
/// shares with at most two parties, so that its reports are never fanned out widely.
struct NorthwindBureau: PartnerAdapter {
    var id: PartnerID { .northwind }
    var displayName: String { "Northwind Credit Bureau" }
    var audienceURN: Audience.Member { "urn:plaid:params:cra-partner:northwind" }
    var aliases: [String] { ["ncb"] }

    func validate(_ request: PartnerShareRequest) throws(PartnerRuleViolation) {
        try validateStandardRules(request)
        guard request.audience.members.count <= 2 else {
            throw PartnerRuleViolation(
                partner: id, reason: "\(displayName) shares with at most one other party (the audience has \(request.audience.members.count))")
        }
    }
}
