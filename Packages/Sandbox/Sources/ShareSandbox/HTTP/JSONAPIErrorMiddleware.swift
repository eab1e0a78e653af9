import HTTPTypes
import Hummingbird
import Logging
import ShareModels

/// Turns every failure under `/api/v1` into a JSON:API error document, `{"errors":[…]}`:
/// ``ShareTokenFailure``s as they are, the shared body reader's and Hummingbird's errors with
/// their status, anything else as a 500 that is logged without details a client could misuse.
struct JSONAPIErrorMiddleware: RouterMiddleware {
    typealias Context = SandboxRequestContext

    let realm: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let failure as ShareTokenFailure {
            return answer(failure)
        } catch let failure as OAuthFailure {
            return answer(ShareTokenFailure(status: failure.status, title: "Invalid request", detail: failure.reason))
        } catch let error as HTTPError {
            return answer(ShareTokenFailure(status: Int(error.status.code), title: error.status.reasonPhrase, detail: error.body ?? error.status.reasonPhrase))
        } catch {
            context.logger.error("unexpected failure", metadata: UnexpectedFailure.metadata(for: error))
            return answer(ShareTokenFailure(status: 500, title: "Internal server error", detail: "the sandbox failed to answer this request"))
        }
    }

    private func answer(_ failure: ShareTokenFailure) -> Response {
        var headers: HTTPFields = [.cacheControl: "no-store"]
        if failure.status == 401 { headers[.wwwAuthenticate] = "Bearer realm=\"\(realm)\"" }
        return ShareTokenRoutes.document(failure.document, status: HTTPResponse.Status(code: failure.status), headers: headers)
    }
}
