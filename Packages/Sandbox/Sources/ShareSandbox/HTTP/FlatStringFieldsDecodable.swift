import ShareModels
import ShareCore

/// A request body type that ``RequestBodyReader`` may build from a ``FlatJSONStringObject``
/// instead of `JSONDecoder`: every field is a string. `nil` means "let `JSONDecoder` decide" (a
/// required field is missing), so errors read the same on both paths.
protocol FlatStringFieldsDecodable: Decodable {
    init?(flatFields fields: [String: String])
}

extension OAuthIntrospectRequest: FlatStringFieldsDecodable {
    init?(flatFields fields: [String: String]) {
        guard let token = fields["token"] else { return nil }
        self.init(token: token, clientID: fields[CredentialField.clientID.rawValue], secret: fields[CredentialField.secret.rawValue],
            clientSecret: fields[CredentialField.clientSecret.rawValue])
    }
}

extension OAuthRevokeRequest: FlatStringFieldsDecodable {
    init?(flatFields fields: [String: String]) {
        guard let token = fields["token"] else { return nil }
        self.init(token: token, clientID: fields[CredentialField.clientID.rawValue], secret: fields[CredentialField.secret.rawValue],
            clientSecret: fields[CredentialField.clientSecret.rawValue])
    }
}
