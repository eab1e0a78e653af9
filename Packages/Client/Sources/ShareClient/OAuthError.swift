public import ShareModels

/// The API refused an OAuth request: `{error, error_description, request_id}` with a 4xx status.
/// ``OAuthClient`` throws it as the ``ShareClientError/underlyingError`` of a ``ShareClientError``
/// whose code is ``ShareClientError/Code/apiRefused``:
///
/// ```swift
/// do {
///     _ = try await client.refresh(refreshToken)
/// } catch where (error.underlyingError as? OAuthError)?.code == .invalidGrant {
///     print("the refresh token is spent, revoked or expired: a new grant is needed")
/// } catch {
///     throw error
/// }
/// ```
public struct OAuthError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The OAuth error code, e.g. `invalid_grant`.
    public var code: OAuthErrorCode
    /// The server's explanation, if any.
    public var errorDescription: String?
    /// The API's `request_id`, for support.
    public var requestID: String?
    /// The HTTP status, e.g. 400 or 401.
    public var status: Int
    /// The operation that failed, e.g. `oauth.token`.
    public var operation: String
    /// The `X-Request-Id` the request was sent with.
    public var clientRequestID: String?

    public init(
        code: OAuthErrorCode, errorDescription: String? = nil, requestID: String? = nil, status: Int,
        operation: String, clientRequestID: String? = nil
    ) {
        self.code = code
        self.errorDescription = errorDescription
        self.requestID = requestID
        self.status = status
        self.operation = operation
        self.clientRequestID = clientRequestID
    }

    public var description: String {
        var text = "\(operation) failed: \(code)"
        if let errorDescription { text += ": \(errorDescription)" }
        text += " (HTTP \(status)"
        if let requestID { text += ", request_id \(requestID)" }
        return text + ")"
    }
}

/// The API refused a request with Plaid's general error body (`error_type`, `error_code`,
/// `error_message`, …), e.g. on `/user/create`.
public struct APIError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The error body as the API sent it.
    public var response: APIErrorResponse
    /// The HTTP status.
    public var status: Int
    /// The operation that failed, e.g. `user.create`.
    public var operation: String
    /// The `X-Request-Id` the request was sent with.
    public var clientRequestID: String?

    public init(response: APIErrorResponse, status: Int, operation: String, clientRequestID: String? = nil) {
        self.response = response
        self.status = status
        self.operation = operation
        self.clientRequestID = clientRequestID
    }

    /// A broad category, e.g. `INVALID_REQUEST`.
    public var errorType: String { response.errorType }
    /// A specific code, e.g. `MISSING_FIELDS`.
    public var errorCode: String { response.errorCode }
    /// A developer-facing explanation, e.g. which field is wrong.
    public var errorMessage: String { response.errorMessage }
    /// A message safe to show an end user; `null` from the API when there is none.
    public var displayMessage: String? { response.displayMessage }
    /// The API's `request_id`.
    public var requestID: String? { response.requestID }

    public var description: String { "\(operation) failed: \(response) (HTTP \(status))" }
}

/// A response the client could not read: a success body missing a field or with a field of the
/// wrong type, or an error status whose body is in neither error shape.
///
/// It names the field and the reason, never the body, so no token can leak through it.
public struct ResponseDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The operation, e.g. `oauth.token`.
    public var operation: String
    /// The HTTP status.
    public var status: Int
    /// The path of the field that failed, e.g. `expires_in`; empty for the body as a whole.
    public var field: String
    /// What was wrong, e.g. `expected an integer, found a string`.
    public var reason: String
    /// The API's `request_id`, when it could be read.
    public var requestID: String?
    /// The `X-Request-Id` the request was sent with.
    public var clientRequestID: String?

    public var description: String {
        var text = "\(operation): cannot read the response (HTTP \(status)): "
        text += field.isEmpty ? reason : "\(field): \(reason)"
        if let requestID { text += " (request_id \(requestID))" }
        return text
    }
}
