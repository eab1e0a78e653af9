import HTTPTypes
import Hummingbird
import NIOCore

/// The `Key-Inflection` header of the share-token API (https://docs.withpersona.com/api-key-inflection):
/// request bodies are accepted with keys in camelCase, kebab-case or snake_case (they reach the
/// routes in kebab case), and JSON answers are written with keys in the requested
/// ``KeyInflection`` (kebab case without the header). An unknown inflection is refused with 400,
/// once the request has a valid API key (without one it is refused with 401 first).
struct KeyInflectionMiddleware: RouterMiddleware {
    typealias Context = SandboxRequestContext

    static let headerName = HTTPField.Name(KeyInflection.headerName)!

    let authority: ShareTokenAuthority
    let maximumBodySize: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Without a valid API key the route answers 401 (its keys need no inflection).
        guard (try? authority.authenticate(authorization: request.headers.value(of: .authorization))) != nil else {
            return try await next(request, context)
        }
        var inflection = KeyInflection.kebab
        if let value = request.headers.value(of: Self.headerName) {
            guard let chosen = KeyInflection(rawValue: value.trimmingCharacters(in: .whitespaces).lowercased()) else {
                let failure = ShareTokenFailure(
                    status: 400, title: "Invalid header",
                    detail: "Key-Inflection must be one of " + KeyInflection.allCases.map(\.rawValue).joined(separator: ", "),
                    source: .init(header: KeyInflection.headerName))
                return ShareTokenRoutes.document(failure.document, status: .badRequest, headers: [.cacheControl: "no-store"])
            }
            inflection = chosen
        }
        var request = request
        if Self.isJSON(request.headers.value(of: .contentType)) {
            do {
                let bytes = try await RequestBodyBuffer.read(&request, maximumSize: maximumBodySize)
                if let rewritten = JSONKeyRewriter.rewrite(bytes, KeyInflection.kebab), rewritten != bytes {
                    RequestBodyBuffer.replace(&request, with: rewritten)
                }
            } catch {
                return ShareTokenRoutes.document(
                    error.document, status: HTTPResponse.Status(code: error.status), headers: [.cacheControl: "no-store"])
            }
        }
        var response = try await next(request, context)
        guard inflection != .kebab, Self.isJSON(response.headers.value(of: .contentType)) else { return response }
        let bytes = try await ResponseBodyCollector.bytes(of: response.body)
        let rewritten = JSONKeyRewriter.rewrite(bytes) { inflection.inflect(kebab: $0) } ?? bytes
        response.body = ResponseBody(byteBuffer: ByteBuffer(bytes: rewritten))
        return response
    }

    /// Whether `contentType` is a JSON media type (`application/json`, `application/vnd.api+json`).
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let type = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return type == "application/json" || type == "application/vnd.api+json"
    }
}
