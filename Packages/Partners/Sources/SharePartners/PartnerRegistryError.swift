import ShareModels

/// Why a registry could not be built or could not resolve a partner, or why a share was refused.
///
/// A struct over an open ``Code`` (as AsyncHTTPClient's `HTTPClientError`): new codes can be added
/// without breaking a caller's `switch`, and the code is usable as a metric label.
///
/// ```swift
/// do {
///     _ = try partners.resolve("equifax")
/// } catch {   // a PartnerRegistryError: `resolve` throws no other type
///     if error.code == .unknownPartner { print(error.knownPartners) }   // [experian, fannie-mae, freddie-mac]
/// }
/// ```
public struct PartnerRegistryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. New codes may be added; switch with a `default`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unknownPartner = "unknown_partner"
            case duplicateName = "duplicate_name"
            case invalidURN = "invalid_urn"
            case emptyAudience = "empty_audience"
            case rejected
        }

        private let base: Base

        /// No partner has this id, alias or URN (``PartnerRegistryError/name``,
        /// ``PartnerRegistryError/knownPartners``).
        public static let unknownPartner = Code(base: .unknownPartner)
        /// Two adapters claim the same id, alias or URN (``PartnerRegistryError/name``, and the
        /// two claimants in ``PartnerRegistryError/partners``).
        public static let duplicateName = Code(base: .duplicateName)
        /// An adapter's audience URN is not a `urn:plaid:params:cra-partner:` URN
        /// (``PartnerRegistryError/partners``, ``PartnerRegistryError/urn``).
        public static let invalidURN = Code(base: .invalidURN)
        /// A share names no partner.
        public static let emptyAudience = Code(base: .emptyAudience)
        /// A partner's rules refused the request (``PartnerRegistryError/violation``).
        public static let rejected = Code(base: .rejected)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// The name at fault: the unknown or the doubly claimed one.
    public var name: String?
    /// The partners concerned: the two claimants of a duplicate name, or the adapter with an
    /// invalid URN.
    public var partners: [PartnerID]
    /// The registered partners, for an unknown name.
    public var knownPartners: [PartnerID]
    /// The invalid audience URN.
    public var urn: String?
    /// The rule a partner found broken.
    public var violation: PartnerRuleViolation?

    private init(
        code: Code, name: String? = nil, partners: [PartnerID] = [], knownPartners: [PartnerID] = [], urn: String? = nil,
        violation: PartnerRuleViolation? = nil
    ) {
        self.code = code
        self.name = name
        self.partners = partners
        self.knownPartners = knownPartners
        self.urn = urn
        self.violation = violation
    }

    /// No partner has this id, alias or URN.
    public static func unknown(name: String, known: [PartnerID]) -> Self {
        Self(code: .unknownPartner, name: name, knownPartners: known)
    }

    /// Two adapters claim the same id, alias or URN.
    public static func duplicate(name: String, first: PartnerID, second: PartnerID) -> Self {
        Self(code: .duplicateName, name: name, partners: [first, second])
    }

    /// An adapter's audience URN does not start with `urn:plaid:params:cra-partner:`.
    public static func invalidURN(partner: PartnerID, urn: String) -> Self {
        Self(code: .invalidURN, partners: [partner], urn: urn)
    }

    /// A share names no partner.
    public static let emptyAudience = Self(code: .emptyAudience)

    /// A partner's rules refused the request.
    public static func rejected(_ violation: PartnerRuleViolation) -> Self {
        Self(code: .rejected, violation: violation)
    }

    public var description: String {
        switch code {
        case .unknownPartner:
            let list = knownPartners.isEmpty ? "none are registered" : "known partners: " + knownPartners.map(\.rawValue).joined(separator: ", ")
            return "unknown partner \"\((name ?? "").prefix(80))\"; \(list)"
        case .duplicateName:
            return "partners \(partners.map(\.rawValue).joined(separator: " and ")) both claim the name \"\(name ?? "")\""
        case .invalidURN:
            let partner = partners.first?.rawValue ?? "?"
            return "partner \(partner) has audience \"\(urn ?? "")\", which is not a \(Audience.Member.craPartnerURNPrefix)… URN"
        case .rejected:
            return violation?.description ?? "a partner refused the share"
        case .emptyAudience:
            return "name at least one partner to share with"
        default:
            return "the partners refused the share (\(code))"
        }
    }
}
