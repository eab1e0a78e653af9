import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The gateway's request pipeline, in order:
///
/// 1. choose the request id (``RequestID``) and normalise the path (``PathNormalizer``);
/// 2. operations endpoints (`/healthz`, `/readyz`, `/metrics`, `/console/`) go to the router;
/// 3. per-client rate limit (``TokenBucketRateLimiter``, by peer address) → 429;
/// 4. CORS: a listed `Origin` or none; preflights answered here (``CORSPolicy``) → 403;
/// 5. path allowlist (``PathAllowlist``) → 404, upstream untouched;
/// 6. frontend key (``FrontendKeys``) → 401;
/// 7. body: size limit → 413, JSON or form only → 415, credentials removed
///    (``JSONCredentialFilter``, ``FormCredentialFilter``) → 400 when malformed;
/// 8. token-exchange audience (``AudiencePolicy``) → 400 `invalid_target`;
/// 9. forward (``UpstreamForwarder``) → 502/504 on failure.
///
/// Every answer carries `X-Request-Id`, is counted in ``GatewayMetrics`` and, when enabled,
/// logged once with method, path, status, duration, request id and client address — never a
/// header value or a body.
///
/// One middleware rather than a chain of nine: each step needs the normalised path and request
/// id, and the hot path stays free of per-step context copies.
struct GatewayMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let normalizer = PathNormalizer()
    let allowlist: PathAllowlist
    let cors: CORSPolicy
    let frontendKeys: FrontendKeys
    let rateLimiter: TokenBucketRateLimiter
    let audiencePolicy: AudiencePolicy
    let maximumBodySize: Int
    let forwarder: UpstreamForwarder
    let metrics: GatewayMetrics
    let accessLog: Bool
    let servesConsole: Bool
    /// The configured `--host`, for recognising the console's own origin.
    let boundHost: String
    let jsonFilter = JSONCredentialFilter()
    let formFilter = FormCredentialFilter()

    static let operationalPaths: Set<String> = ["/healthz", "/readyz", "/metrics"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var context = context
        context.requestID = RequestID.resolve(request.headers[.xRequestID])
        let requestID = context.requestID
        var route = "unmatched"
        var response: Response
        do {
            let path = try normalizer.normalize(request.uri.path)
            if Self.operationalPaths.contains(path) || (servesConsole && (path == "/console" || path.hasPrefix("/console/"))) {
                route = path.hasPrefix("/console") ? "/console" : path
                response = try await next(request, context)
            } else {
                let entry = allowlist.entry(matching: path)
                if let entry { route = entry.label }
                response = try await proxy(request, path: path, entry: entry, context: context)
            }
        } catch let refusal as GatewayRefusal {
            response = refusal.response(requestID: requestID)
            if let origin = request.headers[.origin], cors.allows(origin: origin) { cors.decorate(&response.headers, origin: origin) }
        } catch let error as PathNormalizationError {
            response = GatewayRefusal(status: .badRequest, code: .invalidRequest, description: error.description)
                .response(requestID: requestID)
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
            context.logger.info(
                "request",
                metadata: [
                    "request.id": .string(requestID),
                    "method": .string(request.method.rawValue),
                    "route": .string(route),
                    "status": .stringConvertible(response.status.code),
                    "duration_ms": .stringConvertible(Self.milliseconds(ContinuousClock.now - start)),
                    "client": .string(context.clientKey),
                ]
            )
        }
        return response
    }

    private func proxy(_ request: Request, path: String, entry: PathAllowlist.Entry?, context: Context) async throws -> Response {
        if rateLimiter.isEnabled, case .limited(let seconds) = rateLimiter.acquire(client: context.clientKey) {
            var refusal = GatewayRefusal(status: .tooManyRequests, code: .rateLimited, description: "too many requests; retry after \(seconds) s")
            refusal.extraHeaders[.retryAfter] = String(seconds)
            throw refusal
        }
        let origin = request.headers[.origin]
        if let origin, !cors.allows(origin: origin), !isConsoleOrigin(origin, authority: request.head.authority) {
            throw GatewayRefusal(status: .forbidden, code: .originNotAllowed, description: "this origin may not call the gateway")
        }
        guard let entry else { throw GatewayRefusal.notFound() }
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            // A preflight: answered here, never forwarded. Without an Origin there is nothing to allow.
            guard let origin else { return Response(status: .noContent) }
            return Response(status: .noContent, headers: cors.preflightHeaders(origin: origin))
        }
        if !frontendKeys.isEmpty && !frontendKeys.accepts(request.headers[.xGatewayKey]) {
            throw GatewayRefusal(status: .unauthorized, code: .invalidGatewayKey, description: "a valid X-Gateway-Key is required")
        }
        let inspected = try await inspectBody(request)
        if path == "/oauth/token", let reason = audiencePolicy.refusal(grantType: inspected?.grantType, audience: inspected?.audience) {
            throw GatewayRefusal(status: .badRequest, code: .invalidTarget, description: reason)
        }
        var query = request.uri.query
        if let raw = query, !raw.isEmpty {
            do {
                query = try formFilter.filterQuery(raw)
            } catch {
                throw GatewayRefusal(status: .badRequest, code: .invalidRequest, description: "the query string contains a malformed percent-escape")
            }
        } else {
            query = nil
        }
        let upstreamStart = ContinuousClock.now
        var response: Response
        do {
            response = try await forwarder.forward(
                method: request.method, path: path, query: query, headers: request.headers,
                body: inspected?.body, requestID: context.requestID, logger: context.logger)
        } catch {
            switch error {
            case .timeout:
                metrics.recordUpstreamFailure(reason: "timeout")
                throw GatewayRefusal(status: .gatewayTimeout, code: .upstreamTimeout, description: "the upstream did not answer in time")
            case .unavailable:
                metrics.recordUpstreamFailure(reason: "unavailable")
                throw GatewayRefusal(status: .badGateway, code: .upstreamUnavailable, description: "the upstream could not be reached")
            }
        }
        metrics.recordUpstreamLatency(route: entry.label, duration: ContinuousClock.now - upstreamStart)
        if let origin { cors.decorate(&response.headers, origin: origin) }
        return response
    }

    /// Whether `origin` is the gateway's own, for the console it serves: the `Host` the browser
    /// used, when that names this machine (a loopback address or `localhost`) or the bound host.
    /// A DNS-rebinding page arrives with its own domain in `Host`, so it never qualifies.
    func isConsoleOrigin(_ origin: String, authority: String?) -> Bool {
        guard servesConsole, let authority, origin == "http://" + authority || origin == "https://" + authority else { return false }
        var hostname = Substring(authority)
        if hostname.hasPrefix("["), let end = hostname.firstIndex(of: "]") {
            hostname = hostname[hostname.index(after: hostname.startIndex)..<end]
        } else if let colon = hostname.lastIndex(of: ":") {
            hostname = hostname[..<colon]
        }
        return GatewayConfiguration.isLoopback(String(hostname)) || hostname == boundHost
    }

    /// Collects the body within the size limit and removes every credential field from it.
    /// `nil` for an empty body.
    private func inspectBody(_ request: Request) async throws -> InspectedBody? {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maximumBodySize {
            throw Self.tooLarge(maximumBodySize)
        }
        if let encoding = request.headers[.contentEncoding], encoding.lowercased() != "identity" {
            throw GatewayRefusal(status: .unsupportedMediaType, code: .unsupportedMediaType, description: "compressed request bodies are not accepted")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBodySize)
        } catch is NIOTooManyBytesError {
            throw Self.tooLarge(maximumBodySize)
        }
        guard buffer.readableBytes > 0 else { return nil }
        do {
            switch BodyFormat(contentType: request.headers[.contentType]) {
            case .json: return try jsonFilter.inspect(buffer)
            case .form: return try formFilter.inspect(buffer)
            case nil:
                throw GatewayRefusal(
                    status: .unsupportedMediaType, code: .unsupportedMediaType,
                    description: "send application/json or application/x-www-form-urlencoded")
            }
        } catch let error as BodyInspectionError {
            throw GatewayRefusal(status: .badRequest, code: .invalidRequest, description: error.description)
        }
    }

    private static func tooLarge(_ limit: Int) -> GatewayRefusal {
        GatewayRefusal(status: .contentTooLarge, code: .requestTooLarge, description: "the request body exceeds \(limit) bytes")
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return ((Double(seconds) * 1000 + Double(attoseconds) / 1e15) * 1000).rounded() / 1000
    }
}

/// The two body encodings the API accepts.
enum BodyFormat {
    case json
    case form

    /// From a `Content-Type` value, parameters ignored; `nil` for anything else (or none).
    init?(contentType: String?) {
        guard let contentType else { return nil }
        let mediaType = contentType.prefix(while: { $0 != ";" }).trimmingCharacters(in: .whitespaces).lowercased()
        switch mediaType {
        case "application/json": self = .json
        case "application/x-www-form-urlencoded": self = .form
        default:
            if mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json") {
                self = .json
            } else {
                return nil
            }
        }
    }
}
