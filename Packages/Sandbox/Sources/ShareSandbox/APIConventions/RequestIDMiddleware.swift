import HTTPTypes
import Hummingbird

/// Puts `Request-Id: req_…` on every answer of the sandbox, errors included, as Persona does
/// (https://docs.withpersona.com/request-ids). The id is the request's ``SandboxRequestContext/requestID``,
/// the one logged with the request.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = SandboxRequestContext

    /// The answer header.
    static let headerName = HTTPField.Name("Request-Id")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[Self.headerName] = "req_" + context.requestID
        return response
    }
}
