import ShareModels
import SharePartners

/// Limits token exchange to the partners the operator allows with `--allow-audience`.
///
/// Partner names are resolved through the app's ``PartnerRegistry`` when the gateway starts (an
/// unknown name stops it, listing the known partners). With none allowed, every audience passes
/// and the upstream decides. Otherwise a `/oauth/token` request is refused unless every member
/// of its `audience` is the URN of an allowed partner. The check applies to every grant except
/// exactly `client_credentials` and `refresh_token` — so a misspelt or padded token-exchange
/// `grant_type` cannot slip past it.
public struct AudiencePolicy: Sendable {
    /// The partners allowed, in the order given.
    public let allowedPartners: [PartnerID]
    private let allowedURNs: Set<Audience.Member>

    /// No restriction.
    public static let unrestricted = AudiencePolicy(partners: [], urns: [])

    private init(partners: [PartnerID], urns: Set<Audience.Member>) {
        self.allowedPartners = partners
        self.allowedURNs = urns
    }

    /// Resolves each name (id, alias or URN) with `registry`.
    public init(allowing names: [String], registry: PartnerRegistry) throws(PartnerRegistryError) {
        var partners: [PartnerID] = []
        var urns = Set<Audience.Member>()
        for name in names {
            let adapter = try registry.resolve(name)
            if urns.insert(adapter.audienceURN).inserted { partners.append(adapter.id) }
        }
        self.init(partners: partners, urns: urns)
    }

    /// Whether any restriction applies.
    public var isRestricting: Bool { !allowedURNs.isEmpty }

    /// `nil` when the request may pass, else why it may not (safe to show the client).
    func refusal(grantType: String?, audience: String?) -> String? {
        guard isRestricting else { return nil }
        if grantType == GrantType.clientCredentials.rawValue || grantType == GrantType.refreshToken.rawValue { return nil }
        let allowedList = allowedPartners.map(\.rawValue).joined(separator: ", ")
        guard let audience, let parsed = Audience(parsing: audience) else {
            return "this gateway only exchanges tokens for an audience of allowed partners (\(allowedList))"
        }
        for member in parsed where !allowedURNs.contains(member) {
            return "audience \"\(member.rawValue.prefix(80))\" is not allowed by this gateway; allowed partners: \(allowedList)"
        }
        return nil
    }
}
