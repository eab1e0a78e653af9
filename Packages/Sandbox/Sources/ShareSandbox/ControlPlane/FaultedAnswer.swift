import HTTPTypes
import Hummingbird
import NIOCore
import ShareModels
import ShareWire

/// The answer a fault with a status gives, in the error shape of the endpoint it stands in for:
/// Plaid's `PlaidError` on `/user/create`, a JSON:API `errors` document under `/api/`, the OAuth
/// shape `{error, error_description, request_id}` elsewhere (the `/oauth/` endpoints and the
/// service routes). The fault's own `body`, when it has one, replaces the endpoint's body.
///
/// Every faulted answer carries `Sandbox-Fault: <id>`; a 429 carries `Retry-After` too.
enum FaultedAnswer {
    /// `Sandbox-Fault`: the id of the fault that produced the answer.
    static let faultHeader = HTTPField.Name("Sandbox-Fault")!
    /// The `Retry-After` of an injected 429, in seconds.
    static let retryAfterSeconds = 1

    static func response(for fault: SandboxFault, status code: Int, path: String, requestID: String, realm: String) -> Response {
        let status = HTTPResponse.Status(code: code)
        let reason = "the sandbox answered with an injected fault (\(fault.id)) instead of running this request"
        var response: Response
        if let body = fault.body {
            response = JSONResponse.make(body, status: status)
        } else if path == "/user/create" {
            let (type, errorCode) = plaidError(for: code)
            response = JSONResponse.make(
                PlaidErrorBody(errorType: type, errorCode: errorCode, errorMessage: reason, requestID: requestID, status: code),
                status: status)
        } else if path.hasPrefix("/api/") {
            let failure = ShareTokenFailure(status: code, title: status.reasonPhrase.isEmpty ? "Error" : status.reasonPhrase, detail: reason)
            response = ShareTokenRoutes.document(failure.document, status: status)
        } else {
            response = JSONResponse.failure(OAuthFailure(oauthError(for: code), reason, status: code), requestID: requestID, realm: realm)
        }
        response.headers[.cacheControl] = "no-store"
        response.headers[faultHeader] = fault.id
        if code == 429 { response.headers[.retryAfter] = String(retryAfterSeconds) }
        return response
    }

    /// The OAuth `error` for `status` (RFC 6749 §5.2 and §4.1.2.1).
    static func oauthError(for status: Int) -> OAuthErrorCode {
        switch status {
        case 401: .invalidClient
        case 429, 503: OAuthErrorCode(rawValue: "temporarily_unavailable")
        case 500...: OAuthErrorCode(rawValue: "server_error")
        default: .invalidRequest
        }
    }

    /// Plaid's `error_type` and `error_code` for `status` (plaid.com/docs/errors/).
    static func plaidError(for status: Int) -> (type: String, code: String) {
        switch status {
        case 401: ("INVALID_INPUT", "INVALID_API_KEYS")
        case 429: ("RATE_LIMIT_EXCEEDED", "RATE_LIMIT")
        case 503: ("API_ERROR", "PLANNED_MAINTENANCE")
        case 500...: ("API_ERROR", "INTERNAL_SERVER_ERROR")
        default: ("INVALID_REQUEST", "INVALID_FIELD")
        }
    }
}
