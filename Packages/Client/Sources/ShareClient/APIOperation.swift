import HTTPTypes

/// One endpoint call as the request-sending core sees it: where it goes, what it is called in
/// logs, and whether it is safe to repeat.
struct APIOperation: Sendable {
    /// A stable name for logs and errors, e.g. `oauth.introspect`.
    var name: String
    /// The path below the environment's base URL, e.g. `/oauth/introspect`.
    var path: String
    var method: HTTPRequest.Method = .post
    /// Whether a retry may send it again.
    var isIdempotent: Bool
    /// Which error body the endpoint answers with.
    var errorShape: ErrorShape
    /// The media type sent and accepted instead of the body format's own, e.g.
    /// `application/vnd.api+json` for a JSON:API endpoint.
    var mediaType: String? = nil
    /// Whether the body may carry credentials. When it does not (the sandbox's control plane,
    /// where a fault's `client_id` names the client to fault), the body is sent as encoded and
    /// the credential goes in a header only (HTTP Basic or bearer placement).
    var bodyMayHoldCredentials = true

    /// The error bodies ShareKit's APIs answer with.
    enum ErrorShape: Sendable {
        /// `{error, error_description, request_id}` (the OAuth endpoints).
        case oauth
        /// `{error_type, error_code, error_message, …}` (Plaid's other endpoints).
        case api
        /// Another API's error body: the decoder returns the typed error for an error status and
        /// body, or `nil` when the body is not in its shape; then the OAuth shape is tried (a
        /// share-gateway's own refusals, e.g. `unknown_organization`, come in it).
        case custom(@Sendable (_ status: Int, _ body: [UInt8], _ operation: String, _ clientRequestID: String) -> (any Error)?)
    }
}
