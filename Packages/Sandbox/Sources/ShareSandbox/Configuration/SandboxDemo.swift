import SharePartners

/// The demo clients a sandbox registers when it is given none. The secrets are public by
/// design: they only ever open a local sandbox, and are printed in `docs/sandbox.md`.
public enum SandboxDemo {
    /// The id of the main demo client.
    public static let clientID = "demo-client"
    /// The secret of the main demo client.
    public static let clientSecret = "demo-secret"
    /// The id of a second demo client, the audience of `urn:plaid:params:oauth:user-token`
    /// exchanges.
    public static let secondClientID = "demo-client-2"
    /// The secret of the second demo client.
    public static let secondClientSecret = "demo-secret-2"

    /// The client id of the demo client acting for `partner`: `demo-<partner id>`.
    public static func partnerClientID(_ partner: PartnerID) -> String { "demo-\(partner.rawValue)" }
    /// The secret of the demo client acting for `partner`: `demo-<partner id>-secret`.
    public static func partnerClientSecret(_ partner: PartnerID) -> String { "demo-\(partner.rawValue)-secret" }

    /// The demo source organization, its API key, connection and record.
    public static let sourceOrganizationID = "org_demo-lender"
    public static let sourceAPIKey = "demo-lender-api-key"
    /// The demo destination organization and its API key.
    public static let destinationOrganizationID = "org_demo-bank"
    public static let destinationAPIKey = "demo-bank-api-key"
    /// The connection from the demo lender to the demo bank.
    public static let connectionID = "conn_demo"
    /// An inquiry of the demo lender, ready to share.
    public static let recordID = "inq_demo"

    /// The demo share-token world: a lender connected to a bank, and one inquiry of the lender.
    public static let shareTokenSeed = ShareTokenSeed(
        organizations: [
            .init(id: sourceOrganizationID, apiKey: sourceAPIKey),
            .init(id: destinationOrganizationID, apiKey: destinationAPIKey),
        ],
        connections: [.init(id: connectionID, source: sourceOrganizationID, destination: destinationOrganizationID)],
        records: [
            .init(
                id: recordID, organization: sourceOrganizationID,
                attributes: ["name-first": .string("Ada"), "name-last": .string("Lovelace"), "status": .string("completed")])
        ]
    )

    /// The demo set: ``clientID``, ``secondClientID`` and one client per registered partner.
    public static func clients(partners: PartnerRegistry) -> [ClientRegistration] {
        [
            ClientRegistration(id: clientID, secret: clientSecret),
            ClientRegistration(id: secondClientID, secret: secondClientSecret),
        ]
            + partners.ids.map {
                ClientRegistration(id: partnerClientID($0), secret: partnerClientSecret($0), partner: $0)
            }
    }
}
