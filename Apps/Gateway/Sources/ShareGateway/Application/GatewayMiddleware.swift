import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The router's side of the gateway: the operations endpoints (`/healthz`, `/readyz`, `/metrics`,
/// `/console/`), which ``ForwardingHandler`` passes on. Chooses the request id (``RequestID``),
/// counts every answer in ``GatewayMetrics`` and, when enabled, logs it once with method, path,
/// status, duration, request id and client address — never a header value or a body. Anything
/// else reaching the router (only possible without the channel pipeline, in router tests) is
/// refused 404 without contacting the upstream. `HEAD` works wherever `GET` does, `OPTIONS`
/// answers 204 with `Allow`, other methods 405; a path the router does not know gets the
/// allowlist's 404 `not_found`.
struct GatewayMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let policy: ForwardingPolicy
    let metrics: GatewayMetrics
    let accessLog: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var context = context
        context.requestID = RequestID.resolve(request.headers[.xRequestID])
        let requestID = context.requestID
        var route = "unmatched"
        var response: Response
        do {
            if case .operations(let label) = try policy.route(target: request.head.path ?? "/") {
                route = label
                response = try await Self.answer(request, context: context, next: next)
            } else {
                response = GatewayRefusal.notFound().response(requestID: requestID)
            }
        } catch let refusal as GatewayRefusal {
            response = refusal.response(requestID: requestID)
        } catch let error as any HTTPResponseError where error.status == .notFound {
            // The router has no such route: the same answer as a path off the allowlist.
            response = GatewayRefusal.notFound().response(requestID: requestID)
        } catch let error as any HTTPResponseError {
            response = GatewayRefusal(status: error.status, code: .invalidRequest, description: error.status.reasonPhrase)
                .response(requestID: requestID)
        } catch {
            context.logger.error("request failed", metadata: ["request.id": .string(requestID), "error": .string(String(describing: type(of: error)))])
            response = GatewayRefusal(status: .internalServerError, code: "server_error", description: "the gateway failed to answer")
                .response(requestID: requestID)
        }
        if response.headers[.xRequestID] == nil { response.headers[.xRequestID] = requestID }
        metrics.recordRequest(route: route, status: response.status.code)
        if accessLog {
            AccessLog.record(
                to: context.logger, requestID: requestID, method: request.method.rawValue, route: route,
                status: response.status.code, duration: ContinuousClock.now - start, client: context.clientKey)
        }
        return response
    }

    /// The methods every operations endpoint answers.
    static let operationsMethods = "GET, HEAD, OPTIONS"

    /// An operations request: `OPTIONS` is answered 204 with `Allow` (the console is same-origin,
    /// so no CORS headers are added), other methods than `GET` and `HEAD` 405 with `Allow`, and
    /// the rest goes to the router (which answers `HEAD` from the `GET` route).
    private static func answer(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        switch request.method {
        case .get, .head:
            return try await next(request, context)
        case .options:
            return Response(status: .noContent, headers: [.allow: operationsMethods, .cacheControl: "no-store"])
        default:
            var refusal = GatewayRefusal(
                status: .methodNotAllowed, code: .methodNotAllowed, description: "this path accepts \(operationsMethods) only")
            refusal.extraHeaders[.allow] = operationsMethods
            throw refusal
        }
    }
}
