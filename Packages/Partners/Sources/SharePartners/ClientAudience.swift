import ShareModels

/// Sharing with a client id rather than a CRA partner: the `urn:plaid:params:tokens:user` and
/// `urn:plaid:params:oauth:user-token` shapes of token exchange, and client ids inside a
/// multi-party `urn:plaid:params:credit:multi-user` audience.
public struct ClientAudience: Hashable, Sendable {
    /// The client id the token is for.
    public let clientID: String

    public init(clientID: String) { self.clientID = clientID }

    /// The audience member for this client.
    public var member: Audience.Member { .client(clientID) }

    /// Checks the shape rules of a client-targeted exchange made by `callerClientID`:
    /// `tokens:user` must target the caller itself, `oauth:user-token` another client, and no
    /// client id may look like a partner URN.
    public func validate(subjectTokenType: SubjectTokenType, callerClientID: String) throws(PartnerRuleViolation) {
        let id = PartnerID(rawValue: "client")
        if member.isPartnerURN {
            throw PartnerRuleViolation(partner: id, reason: "\"\(clientID)\" is a partner URN, not a client id")
        }
        if clientID.isEmpty {
            throw PartnerRuleViolation(partner: id, reason: "audience must name a client id")
        }
        switch subjectTokenType {
        case .user where clientID != callerClientID:
            throw PartnerRuleViolation(
                partner: id, reason: "with subject_token_type \(SubjectTokenType.user) the audience must be the caller's own client_id")
        case .oauthUserToken where clientID == callerClientID:
            throw PartnerRuleViolation(
                partner: id, reason: "with subject_token_type \(SubjectTokenType.oauthUserToken) the audience must be another client_id")
        default:
            break
        }
    }
}
