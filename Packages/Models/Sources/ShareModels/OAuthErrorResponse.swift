/// The body of an OAuth error (RFC 6749 §5.2), with the API's `request_id`.
public struct OAuthErrorResponse: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    public var error: OAuthErrorCode
    public var errorDescription: String?
    public var errorURI: String?
    public var requestID: String?

    public init(error: OAuthErrorCode, errorDescription: String? = nil, errorURI: String? = nil, requestID: String? = nil) {
        self.error = error
        self.errorDescription = errorDescription
        self.errorURI = errorURI
        self.requestID = requestID
    }

    enum CodingKeys: String, CodingKey {
        case error
        case errorDescription = "error_description"
        case errorURI = "error_uri"
        case requestID = "request_id"
    }

    public var description: String {
        var text = error.rawValue
        if let errorDescription { text += ": \(errorDescription)" }
        if let requestID { text += " (request_id \(requestID))" }
        return text
    }
}

/// Plaid's general error body, used by every non-OAuth endpoint.
public struct APIErrorResponse: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// A broad category, e.g. `INVALID_REQUEST`, `INVALID_INPUT`, `API_ERROR`.
    public var errorType: String
    /// A specific code, e.g. `MISSING_FIELDS`, `INVALID_API_KEYS`.
    public var errorCode: String
    /// A developer-facing explanation.
    public var errorMessage: String
    /// A finer reason for some codes, e.g. `OAUTH_INVALID_TOKEN`.
    public var errorCodeReason: String?
    /// A message safe to show an end user, when there is one.
    public var displayMessage: String?
    public var requestID: String?
    /// The HTTP status the API answered with.
    public var status: Int?
    public var documentationURL: String?
    public var suggestedAction: String?

    public init(
        errorType: String,
        errorCode: String,
        errorMessage: String,
        errorCodeReason: String? = nil,
        displayMessage: String? = nil,
        requestID: String? = nil,
        status: Int? = nil,
        documentationURL: String? = nil,
        suggestedAction: String? = nil
    ) {
        self.errorType = errorType
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.errorCodeReason = errorCodeReason
        self.displayMessage = displayMessage
        self.requestID = requestID
        self.status = status
        self.documentationURL = documentationURL
        self.suggestedAction = suggestedAction
    }

    enum CodingKeys: String, CodingKey {
        case errorType = "error_type"
        case errorCode = "error_code"
        case errorMessage = "error_message"
        case errorCodeReason = "error_code_reason"
        case displayMessage = "display_message"
        case requestID = "request_id"
        case status
        case documentationURL = "documentation_url"
        case suggestedAction = "suggested_action"
    }

    public var description: String {
        "\(errorType)/\(errorCode): \(errorMessage)" + (requestID.map { " (request_id \($0))" } ?? "")
    }
}
