import ShareModels

/// What ShareKit knows about one data-sharing partner: how to name it, which audience URN stands
/// for it, and which token requests it accepts.
///
/// Adopt it in a target of its own and register the adapter with the ``PartnerRegistry`` that an
/// app builds; nothing else changes. See `docs/adding-a-partner.md`.
public protocol PartnerAdapter: Sendable {
    /// Stable id, e.g. `experian`.
    var id: PartnerID { get }
    /// Name for people, e.g. "Fannie Mae".
    var displayName: String { get }
    /// The audience that names this partner, e.g. `urn:plaid:params:cra-partner:experian`.
    var audienceURN: Audience.Member { get }
    /// Other names the registry resolves to this partner (case-insensitive), e.g. `fanniemae`.
    var aliases: [String] { get }
    /// Subject token types a token for this partner may be exchanged from.
    var acceptedSubjectTokenTypes: [SubjectTokenType] { get }
    /// Scopes this partner may be granted.
    var acceptedScopes: ScopeSet { get }
    /// Scope used when the caller names none.
    var defaultScope: ScopeSet { get }

    /// Partner-specific rules, checked before any network call and by the sandbox. The default
    /// checks the subject token type and scopes against ``acceptedSubjectTokenTypes`` and
    /// ``acceptedScopes``.
    func validate(_ request: PartnerShareRequest) throws(PartnerRuleViolation)
}

extension PartnerAdapter {
    public var aliases: [String] { [] }
    public var acceptedSubjectTokenTypes: [SubjectTokenType] { [.creditMultiUser] }
    public var acceptedScopes: ScopeSet { .read }
    public var defaultScope: ScopeSet { .read }

    public func validate(_ request: PartnerShareRequest) throws(PartnerRuleViolation) {
        try validateStandardRules(request)
    }

    /// The rules every partner shares: an accepted subject token type and accepted scopes.
    /// Custom `validate` implementations call this before their own checks.
    public func validateStandardRules(_ request: PartnerShareRequest) throws(PartnerRuleViolation) {
        guard acceptedSubjectTokenTypes.contains(request.subjectTokenType) else {
            throw PartnerRuleViolation(
                partner: id,
                reason: "\(displayName) accepts subject_token_type "
                    + acceptedSubjectTokenTypes.map(\.rawValue).joined(separator: " or ")
                    + ", not \(request.subjectTokenType)"
            )
        }
        let refused = request.scope.filter { !acceptedScopes.contains($0) }
        guard refused.isEmpty else {
            throw PartnerRuleViolation(
                partner: id,
                reason: "\(displayName) may be granted only \(acceptedScopes), not \(ScopeSet(refused))",
                isScopeProblem: true
            )
        }
    }
}

/// The parts of a token exchange a partner's rules look at.
public struct PartnerShareRequest: Hashable, Sendable {
    public var subjectTokenType: SubjectTokenType
    public var scope: ScopeSet
    /// Every member of the audience, the partner's own URN among them.
    public var audience: Audience

    public init(subjectTokenType: SubjectTokenType, scope: ScopeSet, audience: Audience) {
        self.subjectTokenType = subjectTokenType
        self.scope = scope
        self.audience = audience
    }
}

/// A partner refused a request.
public struct PartnerRuleViolation: Error, Hashable, Sendable, CustomStringConvertible {
    public let partner: PartnerID
    public let reason: String
    /// Whether the problem is the scope (a server answers `invalid_scope`) rather than the
    /// request's shape (`invalid_request`).
    public let isScopeProblem: Bool

    public init(partner: PartnerID, reason: String, isScopeProblem: Bool = false) {
        self.partner = partner
        self.reason = reason
        self.isScopeProblem = isScopeProblem
    }

    public var description: String { reason }
}
