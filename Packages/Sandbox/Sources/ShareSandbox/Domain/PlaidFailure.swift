/// Why the sandbox refused a `/user/create` request, in the terms of Plaid's `PlaidError`: an
/// `error_type`, an `error_code`, an `error_message` safe to show (it never holds a secret or a
/// field's value), and the HTTP status.
///
/// The HTTP layer renders it as `{"error_type", "error_code", "error_message",
/// "display_message": null, "request_id", "status"}`. Types, codes and statuses are Plaid's
/// (plaid.com/docs/errors/invalid-request/, plaid.com/docs/errors/invalid-input/,
/// plaid.com/docs/errors/api/).
public struct PlaidFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// `error_type`, e.g. `INVALID_REQUEST`.
    public var errorType: String
    /// `error_code`, e.g. `MISSING_FIELDS`.
    public var errorCode: String
    /// `error_message`.
    public var message: String
    /// The HTTP status.
    public var status: Int

    public init(errorType: String, errorCode: String, message: String, status: Int = 400) {
        self.errorType = errorType
        self.errorCode = errorCode
        self.message = message
        self.status = status
    }

    public var description: String { "\(errorType)/\(errorCode) (\(status)): \(message)" }

    /// `INVALID_REQUEST` / `MISSING_FIELDS`: required fields are absent.
    static func missingFields(_ names: [String]) -> PlaidFailure {
        PlaidFailure(
            errorType: "INVALID_REQUEST", errorCode: "MISSING_FIELDS",
            message: "the following required fields are missing: \(names.joined(separator: ", "))")
    }

    /// `INVALID_REQUEST` / `INVALID_FIELD`: a field has the wrong type, length or value.
    static func invalidField(_ message: String) -> PlaidFailure {
        PlaidFailure(errorType: "INVALID_REQUEST", errorCode: "INVALID_FIELD", message: message)
    }

    /// `INVALID_REQUEST` / `INVALID_BODY`: the body is not a JSON object.
    static func invalidBody(_ message: String, status: Int = 400) -> PlaidFailure {
        PlaidFailure(errorType: "INVALID_REQUEST", errorCode: "INVALID_BODY", message: message, status: status)
    }

    /// `INVALID_INPUT` / `INVALID_API_KEYS`: unknown `client_id` or wrong secret.
    static func invalidAPIKeys(_ message: String, status: Int) -> PlaidFailure {
        PlaidFailure(errorType: "INVALID_INPUT", errorCode: "INVALID_API_KEYS", message: message, status: status)
    }

    /// The same refusal as `failure`, for `/user/create`: the OAuth codes the shared layers throw
    /// (body reading, routing, client authentication) mapped onto Plaid's error types.
    init(translating failure: OAuthFailure) {
        switch (failure.code, failure.status) {
        case (.invalidClient, _):
            self = .invalidAPIKeys(failure.reason, status: PlaidFailure.invalidAPIKeysStatus)
        case (_, 404), (_, 405):
            self.init(errorType: "INVALID_REQUEST", errorCode: "NOT_FOUND", message: failure.reason, status: failure.status)
        case (_, 415):
            self.init(errorType: "INVALID_REQUEST", errorCode: "INVALID_HEADERS", message: failure.reason, status: 415)
        case (_, 500...):
            self.init(errorType: "API_ERROR", errorCode: "INTERNAL_SERVER_ERROR", message: failure.reason, status: failure.status)
        case (.invalidRequest, _):
            self = .invalidBody(failure.reason, status: failure.status)
        default:
            self = .invalidField(failure.reason)
        }
    }

    /// The status of `INVALID_API_KEYS`: 401, so that a request without valid credentials is
    /// told apart from a malformed one by its status too, as the OAuth endpoints answer.
    static let invalidAPIKeysStatus = 401
}
