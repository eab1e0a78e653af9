import HTTPTypes
import Hummingbird

/// Counts every authenticated request against its API key's limit (``APIRateLimiter``) and
/// puts `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` on the answer; over the
/// limit it answers 429 in the API's error shape without running the request
/// (https://docs.withpersona.com/rate-limiting). Requests without a valid key pass through
/// uncounted, to be refused with 401 by the route.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = SandboxRequestContext

    static let limitHeader = HTTPField.Name("RateLimit-Limit")!
    static let remainingHeader = HTTPField.Name("RateLimit-Remaining")!
    static let resetHeader = HTTPField.Name("RateLimit-Reset")!

    let authority: ShareTokenAuthority
    let limiter: APIRateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let organization = try? authority.authenticate(authorization: request.headers.value(of: .authorization)) else {
            return try await next(request, context)
        }
        let decision = limiter.take(for: organization.id)
        var response: Response
        if decision.allowed {
            response = try await next(request, context)
        } else {
            let failure = ShareTokenFailure(
                status: 429, title: "Too many requests",
                detail: "this API key is limited to \(decision.limit) requests per minute; "
                    + "the limit resets in \(decision.secondsToReset) seconds")
            response = ShareTokenRoutes.document(failure.document, status: .tooManyRequests, headers: [.cacheControl: "no-store"])
        }
        response.headers[Self.limitHeader] = String(decision.limit)
        response.headers[Self.remainingHeader] = String(decision.remaining)
        response.headers[Self.resetHeader] = String(decision.secondsToReset)
        return response
    }
}
