import HTTPTypes
import Hummingbird
import ShareCore
import ShareModels

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
        let client = try await authenticator.authenticate(
            PresentedCredentials(request: request, bodyClientID: body.clientID, secret: body.secret, clientSecret: body.clientSecret))
        let answer = try await authority.introspect(token: body.token, by: client, requestID: context.requestID)
        return JSONResponse.make(answer, headers: Self.noStore)
    }

    func revoke(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let body = try await bodyReader.decode(OAuthRevokeRequest.self, from: request)
        let client = try await authenticator.authenticate(
            PresentedCredentials(request: request, bodyClientID: body.clientID, secret: body.secret, clientSecret: body.clientSecret))
        try await authority.revoke(token: body.token, by: client)
        return JSONResponse.make(OAuthRevokeResponse(requestID: context.requestID))
    }

    func createUser(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let body = try await bodyReader.decode(UserCreateBody.self, from: request)
        let client = try await authenticator.authenticate(
            PresentedCredentials(request: request, bodyClientID: body.clientID, secret: body.secret, clientSecret: body.clientSecret))
        if let problem = body.validationProblem { throw OAuthFailure.invalidRequest(problem) }
        let userID = try await authority.createUser(clientUserID: body.clientUserID, for: client)
        return JSONResponse.make(UserCreateResponse(userID: UserID(validated: userID), requestID: context.requestID))
    }
}
