import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ShareModels

/// `Idempotency-Key` on the share-token API's `POST`s, as Persona documents it
/// (https://docs.withpersona.com/idempotence):
///
/// - the status and body of the first request with a key are saved, whatever they are, and every
///   later request of the same organization with that key gets them back instead of running
///   again (a retried create makes no second token, a retried redeem gets its answer, not 409);
/// - a request reusing a key with another method, path or parameters is refused with 422;
/// - saved answers are dropped after 24 hours, when the key may be used afresh;
/// - keys are scoped per organization (API key); a request without a valid key (401) and one
///   over the rate limit (429, checked earlier) save nothing, as on Persona, whose rate limiter
///   and authentication run before its idempotency layer (https://docs.withpersona.com/errors);
/// - the same key sent twice at once runs once (``IdempotencyGate``).
///
/// Keys on `GET`s are ignored ("Sending idempotency keys in GET and DELETE requests has no effect").
struct IdempotencyMiddleware: RouterMiddleware {
    typealias Context = SandboxRequestContext

    static let headerName = HTTPField.Name("Idempotency-Key")!
    /// How long a saved answer is kept.
    static let lifetime: TimeInterval = 24 * 3600
    /// The longest key accepted.
    static let maximumKeyLength = 255

    let authority: ShareTokenAuthority
    let store: any IdempotencyStore
    let gate: IdempotencyGate
    let clock: SandboxClock
    let maximumBodySize: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, let key = request.headers.value(of: Self.headerName),
            let organization = try? authority.authenticate(authorization: request.headers.value(of: .authorization))
        else { return try await next(request, context) }
        guard (1...Self.maximumKeyLength).contains(key.utf8.count), key.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
            return Self.answer(
                ShareTokenFailure(
                    status: 400, title: "Invalid header",
                    detail: "Idempotency-Key must be 1 to \(Self.maximumKeyLength) visible ASCII characters",
                    source: .init(header: "Idempotency-Key")))
        }
        var request = request
        let body: [UInt8]
        do {
            body = try await RequestBodyBuffer.read(&request, maximumSize: maximumBodySize)
        } catch {
            return Self.answer(error)
        }
        let fingerprint = Self.fingerprint(method: request.method.rawValue, path: request.uri.path, query: request.uri.query, body: body)
        let scope = IdempotencyGate.Scope(organization: organization.id, key: key)
        let forwarded = request
        return try await gate.serialize(scope) {
            try await store.holdingKey(organization: organization.id, key: key) {
                try await answer(key: key, of: organization.id, fingerprint: fingerprint, request: forwarded, context: context, next: next)
            }
        }
    }

    /// The saved answer for `key` when there is one, else the answer of `next`, saved.
    private func answer(
        key: String, of organization: OrganizationID, fingerprint: String, request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let now = clock.now()
        if let saved = try await store.idempotentAnswer(organization: organization, key: key),
            now.timeIntervalSince(saved.createdAt) < Self.lifetime
        {
            guard saved.fingerprint == fingerprint else {
                return Self.answer(
                    ShareTokenFailure(
                        status: 422, title: "Idempotency key reused",
                        detail: "this Idempotency-Key was first sent with another method, path or parameters; "
                            + "use a new key for a different request",
                        source: .init(header: "Idempotency-Key")))
            }
            return Self.replay(saved)
        }
        let response = try await next(request, context)
        let bytes = try await ResponseBodyCollector.bytes(of: response.body)
        let answer = IdempotentAnswer(
            organization: organization, key: key, fingerprint: fingerprint, status: Int(response.status.code),
            contentType: response.headers.value(of: .contentType), location: response.headers.value(of: .location), body: bytes, createdAt: now)
        try await store.saveIdempotentAnswer(answer, pruningBefore: now.addingTimeInterval(-Self.lifetime))
        var saved = response
        saved.body = ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        return saved
    }

    /// The saved answer, sent again.
    static func replay(_ answer: IdempotentAnswer) -> Response {
        var headers: HTTPFields = [.cacheControl: "no-store"]
        if let contentType = answer.contentType { headers[.contentType] = contentType }
        if let location = answer.location { headers[.location] = location }
        return Response(
            status: HTTPResponse.Status(code: answer.status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }

    /// A digest of what makes two requests the same: method, path, query and the parameters of
    /// the body (compared as JSON values, so spacing and key order do not matter).
    static func fingerprint(method: String, path: String, query: String?, body: [UInt8]) -> String {
        var canonical = body
        if !body.isEmpty, let value = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]),
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
        {
            canonical = Array(data)
        }
        var hasher = SHA256()
        hasher.update(data: Array("\(method) \(path)?\(query ?? "")\n".utf8))
        hasher.update(data: canonical)
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    private static func answer(_ failure: ShareTokenFailure) -> Response {
        ShareTokenRoutes.document(failure.document, status: HTTPResponse.Status(code: failure.status), headers: [.cacheControl: "no-store"])
    }
}
