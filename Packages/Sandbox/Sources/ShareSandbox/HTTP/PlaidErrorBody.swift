/// The body of a `/user/create` error answer: Plaid's `PlaidError`, with `display_message`
/// always present (`null`: the sandbox has nothing to show an end user).
struct PlaidErrorBody: Encodable {
    var errorType: String
    var errorCode: String
    var errorMessage: String
    var requestID: String
    var status: Int

    enum CodingKeys: String, CodingKey {
        case errorType = "error_type"
        case errorCode = "error_code"
        case errorMessage = "error_message"
        case displayMessage = "display_message"
        case requestID = "request_id"
        case status
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(errorType, forKey: .errorType)
        try container.encode(errorCode, forKey: .errorCode)
        try container.encode(errorMessage, forKey: .errorMessage)
        try container.encodeNil(forKey: .displayMessage)
        try container.encode(requestID, forKey: .requestID)
        try container.encode(status, forKey: .status)
    }
}
