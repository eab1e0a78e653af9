import HTTPTypes
import Hummingbird
import Logging

/// Turns every failure into the error shape of the API it happened in: Plaid's `PlaidError` on
/// `/user/create` and, when the control plane is on, under `/sandbox/` (``PlaidFailure``, OAuth
/// failures translated), the OAuth shape
/// `{error, error_description, request_id}`, or a JSON:API `{"errors":[…]}` document under
/// `/api/`. ``OAuthFailure``s and ``ShareTokenFailure``s keep their status; Hummingbird's own errors
/// (unknown path 404, wrong method 405, body too large 413) keep theirs; anything else is a 500
/// that is logged without details a client could misuse. Every answer gets `X-Request-Id`.
struct SandboxErrorMiddleware: RouterMiddleware {
    typealias Context = SandboxRequestContext

    /// The paths the sandbox serves and their methods, to answer 405 rather than 404; `HEAD`
    /// follows `GET` wherever the router serves `GET`.
    let allowedMethods: [String: [HTTPRequest.Method]]
    let realm: String
    /// Whether the `/sandbox/` control plane is served, so that its paths answer in Plaid's shape.
    let controlPlane: Bool

    /// - Parameters:
    ///   - allowedMethods: The paths the sandbox serves and the methods their routes register;
    ///     `HEAD` is added after `GET`, which the router answers for every `GET` route.
    ///   - realm: The realm of `WWW-Authenticate` challenges.
    ///   - controlPlane: Whether `/sandbox/` paths are served (and answer in Plaid's error shape).
    init(allowedMethods: [String: [HTTPRequest.Method]], realm: String, controlPlane: Bool = false) {
        self.controlPlane = controlPlane
        self.allowedMethods = allowedMethods.mapValues { methods in
            guard let get = methods.firstIndex(of: .get), !methods.contains(.head) else { return methods }
            var methods = methods
            methods.insert(.head, at: get + 1)
            return methods
        }
        self.realm = realm
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            var response = try await next(request, context)
            response.headers[.requestID] = context.requestID
            return response
        } catch let failure as ShareTokenFailure {
            return answer(failure, context: context)
        } catch let failure as PlaidFailure {
            return answer(failure, context: context)
        } catch let failure as OAuthFailure {
            return answer(failure, request: request, context: context)
        } catch let error as HTTPError {
            return answer(
                translate(error, request: request), request: request, context: context,
                headers: allowHeader(for: request, status: error.status))
        } catch {
            context.logger.error("unexpected failure", metadata: UnexpectedFailure.metadata(for: error))
            return answer(
                OAuthFailure("server_error", "the sandbox failed to answer this request", status: 500), request: request, context: context)
        }
    }

    private func answer(_ failure: OAuthFailure, request: Request, context: Context, headers: HTTPFields = [:]) -> Response {
        if request.uri.path == "/user/create" || (controlPlane && SandboxControlRoutes.isControlPath(request.uri.path)) {
            var response = answer(PlaidFailure(translating: failure), context: context)
            for field in headers { response.headers.append(field) }
            return response
        }
        if request.uri.path.hasPrefix("/api/") {
            var response = answer(ShareTokenFailure(status: failure.status, title: failure.code.rawValue, detail: failure.reason), context: context)
            for field in headers { response.headers.append(field) }
            return response
        }
        var response = JSONResponse.failure(failure, requestID: context.requestID, realm: realm, extraHeaders: headers)
        response.headers[.requestID] = context.requestID
        return response
    }

    /// Plaid's `PlaidError` shape, the error shape `/user/create` declares.
    private func answer(_ failure: PlaidFailure, context: Context) -> Response {
        let body = PlaidErrorBody(
            errorType: failure.errorType, errorCode: failure.errorCode, errorMessage: failure.message,
            requestID: context.requestID, status: failure.status)
        var response = JSONResponse.make(body, status: HTTPResponse.Status(code: failure.status))
        response.headers[.cacheControl] = "no-store"
        response.headers[.requestID] = context.requestID
        return response
    }

    private func answer(_ failure: ShareTokenFailure, context: Context) -> Response {
        var response = JSONResponse.make(failure.document, status: HTTPResponse.Status(code: failure.status))
        response.headers[.contentType] = "application/vnd.api+json"
        response.headers[.requestID] = context.requestID
        return response
    }

    private func translate(_ error: HTTPError, request: Request) -> OAuthFailure {
        switch error.status {
        case .notFound:
            if let methods = allowedMethods[request.uri.path] {
                return .invalidRequest(
                    "\(request.method) is not allowed on \(request.uri.path); use \(methods.map(\.rawValue).joined(separator: ", "))",
                    status: 405)
            }
            return .invalidRequest("no such endpoint: \(request.uri.path.prefix(200))", status: 404)
        case .contentTooLarge:
            return .invalidRequest("the request body is larger than the sandbox accepts", status: 413)
        default:
            return .invalidRequest(error.body ?? error.status.reasonPhrase, status: error.status.code)
        }
    }

    private func allowHeader(for request: Request, status: HTTPResponse.Status) -> HTTPFields {
        guard status == .notFound, let methods = allowedMethods[request.uri.path] else { return [:] }
        return [.allow: methods.map(\.rawValue).joined(separator: ", ")]
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`: the answer's `request_id`, also for answers whose body cannot carry it.
    static let requestID = HTTPField.Name("X-Request-Id")!
    /// `PLAID-CLIENT-ID`
    static let plaidClientID = HTTPField.Name("PLAID-CLIENT-ID")!
    /// `PLAID-SECRET`
    static let plaidSecret = HTTPField.Name("PLAID-SECRET")!
    /// `Plaid-New-User-API-Enabled`: which generation of Plaid's User API `/user/create` uses.
    static let plaidNewUserAPIEnabled = HTTPField.Name("Plaid-New-User-API-Enabled")!
}
