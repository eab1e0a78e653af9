/// The body of every error answer: `{"error", "error_description", "request_id"}`.
struct OAuthErrorBody: Encodable {
    var error: String
    var errorDescription: String
    var requestID: String

    enum CodingKeys: String, CodingKey {
        case error
        case errorDescription = "error_description"
        case requestID = "request_id"
    }
}
