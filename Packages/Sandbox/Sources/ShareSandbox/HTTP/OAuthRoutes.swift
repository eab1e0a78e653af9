import Foundation
import HTTPTypes
import Hummingbird
import ShareCore
import ShareModels
import ShareWire

/// `/oauth/token`, `/oauth/introspect`, `/oauth/revoke` and `/user/create`: decode, authenticate
/// the client, hand over to ``OAuthAuthority``, encode.
struct OAuthRoutes: Sendable {
    let authority: OAuthAuthority
    let authenticator: ClientAuthenticator
    let bodyReader: RequestBodyReader

    /// The paths and methods these routes serve.
    static let paths: [String: [HTTPRequest.Method]] = [
        "/oauth/token": [.post], "/oauth/introspect": [.post], "/oauth/revoke": [.post], "/user/create": [.post],
    ]

    func add(to router: Router<SandboxRequestContext>) {
        router.post("/oauth/token") { request, context in try await token(request, context: context) }
        router.post("/oauth/introspect") { request, context in try await introspect(request, context: context) }
        router.post("/oauth/revoke") { request, context in try await revoke(request, context: context) }
        router.post("/user/create") { request, context in try await createUser(request, context: context) }
    }

    /// RFC 6749 §5.1: token answers must not be cached.
    private static let noStore: HTTPFields = [
        .contentType: "application/json", .cacheControl: "no-store", HTTPField.Name("Pragma")!: "no-cache",
    ]

    func token(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let body = try await bodyReader.decode(OAuthTokenRequest.self, from: request)
        let client = try await authenticator.authenticate(
            PresentedCredentials(request: request, bodyClientID: body.clientID, secret: body.secret, clientSecret: body.clientSecret))
        let pair = try await authority.issue(body, for: client)
        let answer = OAuthTokenResponse(
            accessToken: pair.accessToken, refreshToken: pair.refreshToken, expiresIn: pair.expiresIn, requestID: context.requestID)
        return JSONResponse.make(answer, headers: Self.noStore)
    }

    func introspect(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let body = try await bodyReader.decode(OAuthIntrospectRequest.self, from: request)
        // The client and the token are read together: one round trip to a database store.
        let (client, stored) = try await authenticator.authenticate(
            PresentedCredentials(request: request, bodyClientID: body.clientID, secret: body.secret, clientSecret: body.clientSecret),
            token: TokenDigest(of: body.token))
        let answer = authority.introspect(stored, by: client, requestID: context.requestID)
        return JSONResponse.make(answer, headers: Self.noStore)
    }

    func revoke(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let body = try await bodyReader.decode(OAuthRevokeRequest.self, from: request)
        let client = try await authenticator.authenticate(
            PresentedCredentials(request: request, bodyClientID: body.clientID, secret: body.secret, clientSecret: body.clientSecret))
        try await authority.revoke(token: body.token, by: client)
        return JSONResponse.make(OAuthRevokeResponse(requestID: context.requestID))
    }

    /// `/user/create`, answering errors as Plaid's `PlaidError` (see ``PlaidFailure``).
    ///
    /// Which generation of Plaid's User API answers: a request with
    /// `consumer_report_user_identity` is a legacy one (answered with `user_token` and `user_id`)
    /// unless it sets `with_upgraded_user: true` or `Plaid-New-User-API-Enabled: true`; so is a
    /// request with `Plaid-New-User-API-Enabled: false`. Every other request uses the New User
    /// API (`user_id` only).
    func createUser(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let newUserAPIHeader = try Self.newUserAPIEnabled(request)
        let body = try UserCreateBody(validating: try await bodyReader.decode(JSONValue.self, from: request))
        let client = try await authenticator.authenticate(
            PresentedCredentials(request: request, bodyClientID: body.clientID, secret: body.secret, clientSecret: body.clientSecret))
        let upgraded = body.withUpgradedUser == true || newUserAPIHeader == true
        let legacy = !upgraded && (body.consumerReportUserIdentity != nil || newUserAPIHeader == false)
        let created = try await authority.createUser(
            clientUserID: body.clientUserID, identityJSON: body.identityJSON, legacy: legacy, for: client)
        return JSONResponse.make(
            UserCreateResponse(userID: UserID(validated: created.userID), userToken: created.userToken, requestID: context.requestID))
    }

    /// `Plaid-New-User-API-Enabled`, a boolean header; `nil` when absent.
    private static func newUserAPIEnabled(_ request: Request) throws(PlaidFailure) -> Bool? {
        guard let value = request.headers.value(of: .plaidNewUserAPIEnabled) else { return nil }
        switch value.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true": return true
        case "false": return false
        default:
            throw PlaidFailure(
                errorType: "INVALID_REQUEST", errorCode: "INVALID_HEADERS",
                message: "the Plaid-New-User-API-Enabled header must be true or false")
        }
    }
}
