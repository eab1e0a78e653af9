/// Why a ``TokenManager`` can no longer produce tokens; found as the
/// ``ShareClientError/underlyingError`` of a ``ShareClientError`` with code
/// ``ShareClientError/Code/tokenFamilyRevoked``.
public struct TokenManagerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. New codes may be added; switch with a `default`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case familyRevoked = "family_revoked"
        }

        private let base: Base

        /// The API refused the refresh with `invalid_grant`: the refresh token was revoked,
        /// expired, or reused (which revokes its whole family). A new grant is needed.
        public static let familyRevoked = Code(base: .familyRevoked)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// The API's refusal.
    public var refusal: OAuthError

    /// The token family was revoked: `refusal` is the API's `invalid_grant`.
    public static func familyRevoked(_ refusal: OAuthError) -> Self {
        Self(code: .familyRevoked, refusal: refusal)
    }

    public var description: String {
        "the token family was revoked; a new grant is needed (\(refusal))"
    }
}
