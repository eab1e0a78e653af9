import ShareModels

/// The fields of a `/user/create` body the sandbox reads: those of `UserCreateRequest`, plus
/// `client_secret`, which the API accepts wherever it accepts `secret`.
struct UserCreateBody: Decodable {
    var clientUserID: String
    var clientID: String?
    var secret: String?
    var clientSecret: String?

    enum CodingKeys: String, CodingKey {
        case clientUserID = "client_user_id"
        case clientID = "client_id"
        case secret
        case clientSecret = "client_secret"
    }

    /// What is wrong with `client_user_id`, by the rules of `UserCreateRequest`.
    var validationProblem: String? { UserCreateRequest(clientUserID: clientUserID).validationProblem }
}
