public import HTTPTypes
import ShareWire
import ShareCore

extension HTTPField.Name {
    /// `PLAID-CLIENT-ID`: the client id, when credentials travel in headers.
    public static let plaidClientID = HTTPField.Name("PLAID-CLIENT-ID")!
    /// `PLAID-SECRET`: the client secret, when credentials travel in headers.
    public static let plaidSecret = HTTPField.Name("PLAID-SECRET")!
}

/// Where a request carries its credential.
///
/// - ``headers``: `PLAID-CLIENT-ID` and `PLAID-SECRET` (the default; what Plaid's SDKs send).
/// - ``body(secretField:)``: `client_id` and `secret` (or `client_secret`) fields of a JSON or
///   form body, through ShareWire.
/// - ``basic``: `Authorization: Basic`, each part form-url-encoded (RFC 6749 §2.3.1).
/// - ``bearer``: `Authorization: Bearer <API key>` (the share-token API).
///
/// Every placement first removes any credential the request already carried — the
/// `PLAID-CLIENT-ID`, `PLAID-SECRET` and `Authorization` headers and the `client_id`, `secret` and
/// `client_secret` body fields — so a request never holds two credentials, and a gateway that
/// places its own never forwards a caller's. ``removeCredentials(from:body:)`` does only the
/// removal.
public struct CredentialPlacement: Hashable, Sendable, CustomStringConvertible {
    /// The body field that carries the secret.
    public enum SecretField: String, Hashable, Sendable {
        /// `secret`, Plaid's spelling.
        case secret
        /// `client_secret`, the OAuth spelling (RFC 6749 §2.3.1).
        case clientSecret = "client_secret"
    }

    enum Kind: Hashable, Sendable {
        case headers
        case body(SecretField)
        case basic
        case bearer
    }

    let kind: Kind

    /// `PLAID-CLIENT-ID` and `PLAID-SECRET` headers.
    public static let headers = CredentialPlacement(kind: .headers)
    /// `client_id` and `secretField` in the body (JSON unless the request says form).
    public static func body(secretField: SecretField = .secret) -> CredentialPlacement { CredentialPlacement(kind: .body(secretField)) }
    /// `Authorization: Basic`, form-url-encoding both parts.
    public static let basic = CredentialPlacement(kind: .basic)
    /// `Authorization: Bearer` with an ``APIKey``.
    public static let bearer = CredentialPlacement(kind: .bearer)

    public var description: String {
        switch kind {
        case .headers: "headers"
        case .body(let field): "body (client_id, \(field.rawValue))"
        case .basic: "HTTP Basic"
        case .bearer: "bearer"
        }
    }

    /// The body fields that carry credentials: ShareCore's `CredentialField` names, the list the
    /// sandbox reads and the gateway strips.
    public static let bodyFieldNames: Set<String> = Set(CredentialField.names)

    /// Removes every credential from `request` and `body`, then adds `credential` here.
    ///
    /// A body is rewritten only when it holds credential fields or must receive them; it is read as
    /// JSON or form according to its `Content-Type` (a body without one is JSON when it starts
    /// with `{`). A body placement on a request with no body creates a JSON body.
    ///
    /// - Throws: ``CredentialsError/Code/unsupportedPlacement`` when the placement cannot carry
    ///   this credential (an API key goes only in ``bearer``; client credentials never do), or the
    ///   body cannot hold fields (not a JSON object, or another media type).
    public func apply(_ credential: Credential, to request: inout HTTPRequest, body: inout [UInt8]?) throws(CredentialsError) {
        switch (kind, credential) {
        case (.bearer, .client):
            throw CredentialsError(.unsupportedPlacement, "client credentials cannot be sent as a bearer token")
        case (.headers, .apiKey), (.body, .apiKey), (.basic, .apiKey):
            throw CredentialsError(.unsupportedPlacement, "an API key can only be sent as a bearer token")
        default:
            break
        }
        try Self.removeCredentials(from: &request, body: &body)
        switch (kind, credential) {
        case (.headers, .client(let credentials)):
            request.headerFields[.plaidClientID] = credentials.clientID
            request.headerFields[.plaidSecret] = credentials.secret.revealed
        case (.basic, .client(let credentials)):
            request.headerFields[.authorization] = BasicAuthorization.headerValue(for: credentials)
        case (.bearer, .apiKey(let key)):
            request.headerFields[.authorization] = "Bearer " + key.secret.revealed
        case (.body(let field), .client(let credentials)):
            try BodyCredentialEditor.edit(
                &request, body: &body,
                adding: [("client_id", credentials.clientID), (field.rawValue, credentials.secret.revealed)]
            )
        default:
            break
        }
    }

    /// Places client credentials; see ``apply(_:to:body:)-(Credential,_,_)``.
    public func apply(_ credentials: ClientCredentials, to request: inout HTTPRequest, body: inout [UInt8]?) throws(CredentialsError) {
        try apply(.client(credentials), to: &request, body: &body)
    }

    /// Removes the `PLAID-CLIENT-ID`, `PLAID-SECRET` and `Authorization` headers and the
    /// `client_id`, `secret` and `client_secret` body fields; other headers and fields are kept.
    /// A body that is not a JSON object or a form is left as it is.
    ///
    /// - Throws: ``CredentialsError/Code/unsupportedPlacement`` when a JSON body names a
    ///   credential field but cannot be rebuilt without it (a member no decoder here can represent).
    public static func removeCredentials(from request: inout HTTPRequest, body: inout [UInt8]?) throws(CredentialsError) {
        request.headerFields[.plaidClientID] = nil
        request.headerFields[.plaidSecret] = nil
        request.headerFields[.authorization] = nil
        try BodyCredentialEditor.edit(&request, body: &body, adding: [])
    }
}
