import ShareModels
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

    /// The scopes of every demo client: all four Plaid lists (`user:read`, `user:write`,
    /// `exchange`, `mcp:dashboard`).
    public static let scopes = ScopeSet(Scope.documented)

    /// The demo set: ``clientID``, ``secondClientID`` and one client per registered partner,
    /// each with every scope (``scopes``).
    public static func clients(partners: PartnerRegistry) -> [ClientRegistration] {
        [
            ClientRegistration(id: clientID, secret: clientSecret, scopes: scopes),
            ClientRegistration(id: secondClientID, secret: secondClientSecret, scopes: scopes),
        ]
            + partners.ids.map {
                ClientRegistration(id: partnerClientID($0), secret: partnerClientSecret($0), partner: $0, scopes: scopes)
            }
    }
}
