import ShareModels

/// Why the sandbox refused a request, in the terms of its answer: an OAuth error code, a
/// description safe to show (it never holds a secret or a token), and the HTTP status.
///
/// The HTTP layer renders it as `{"error", "error_description", "request_id"}`.
public struct OAuthFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The `error` field.
    public var code: OAuthErrorCode
    /// The `error_description` field.
    public var reason: String
    /// The HTTP status: 401 for `invalid_client`, 400 for the other OAuth codes, or a transport
    /// status such as 404, 405, 413 or 415.
    public var status: Int
    /// Whether the client authenticated with HTTP Basic, so a 401 names the scheme in
    /// `WWW-Authenticate` (RFC 6749 §5.2).
    public var challengesBasic: Bool

    public init(_ code: OAuthErrorCode, _ reason: String, status: Int? = nil, challengesBasic: Bool = false) {
        self.code = code
        self.reason = reason
        self.status = status ?? code.httpStatus
        self.challengesBasic = challengesBasic
    }

    public var description: String { "\(code.rawValue) (\(status)): \(reason)" }

    static func invalidRequest(_ reason: String, status: Int = 400) -> OAuthFailure {
        OAuthFailure(.invalidRequest, reason, status: status)
    }

    static func invalidGrant(_ reason: String) -> OAuthFailure { OAuthFailure(.invalidGrant, reason) }

    static func invalidScope(_ reason: String) -> OAuthFailure { OAuthFailure(.invalidScope, reason) }

    static func invalidClient(_ reason: String, basic: Bool) -> OAuthFailure {
        OAuthFailure(.invalidClient, reason, challengesBasic: basic)
    }
}
