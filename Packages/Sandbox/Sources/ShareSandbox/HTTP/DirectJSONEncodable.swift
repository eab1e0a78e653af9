import ShareModels

/// An answer written with ``JSONObjectWriter`` instead of `JSONEncoder`: the sandbox's busiest
/// answers. Each conformance writes its fields in sorted key order and leaves out absent ones,
/// so the bytes equal `WireJSON.encode` of the same value (checked by `DirectJSONTests`).
protocol DirectJSONEncodable: Encodable {
    func writeJSON(to writer: inout JSONObjectWriter)
}

extension OAuthIntrospectResponse: DirectJSONEncodable {
    func writeJSON(to writer: inout JSONObjectWriter) {
        writer.field("active", active)
        writer.field("aud", aud)
        writer.field("client_id", clientID)
        writer.field("exp", exp)
        writer.field("iat", iat)
        writer.field("iss", iss)
        writer.field("request_id", requestID)
        writer.field("scope", scope?.wireValue)
        writer.field("sub", sub)
        writer.field("token_type", tokenType)
        writer.field("user_id", userID)
    }
}

extension OAuthTokenResponse: DirectJSONEncodable {
    func writeJSON(to writer: inout JSONObjectWriter) {
        writer.field("access_token", accessToken)
        writer.field("expires_in", expiresIn)
        writer.field("refresh_token", refreshToken)
        writer.field("request_id", requestID)
        writer.field("token_type", tokenType)
    }
}

extension OAuthRevokeResponse: DirectJSONEncodable {
    func writeJSON(to writer: inout JSONObjectWriter) {
        writer.field("request_id", requestID)
    }
}

extension OAuthErrorBody: DirectJSONEncodable {
    func writeJSON(to writer: inout JSONObjectWriter) {
        writer.field("error", error)
        writer.field("error_description", errorDescription)
        writer.field("request_id", requestID)
    }
}
