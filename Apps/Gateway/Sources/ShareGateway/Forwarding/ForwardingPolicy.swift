import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// Every decision the gateway takes about a request it may forward, in order:
///
/// 1. normalise the path (``PathNormalizer``) → 400; operations endpoints (`/healthz`, `/readyz`,
///    `/metrics`, `/console/`) are left to the router;
/// 2. per-client rate limit (``TokenBucketRateLimiter``, by peer address) → 429;
/// 3. CORS: a listed `Origin` or none; preflights answered here (``CORSPolicy``) → 403;
/// 4. path allowlist (``PathAllowlist``) → 404, upstream untouched;
/// 5. frontend key (``FrontendKeys``) → 401;
/// 6. body: size limit → 413, JSON or form only → 415, credentials removed
///    (``JSONCredentialFilter``, ``FormCredentialFilter``) → 400 when malformed;
/// 7. token-exchange audience (``AudiencePolicy``) → 400 `invalid_target`;
/// 8. the upstream request: headers filtered (``HeaderPolicy``), the gateway's credentials and the
///    request id injected.
///
/// Synchronous and free of I/O: ``ForwardingHandler`` calls it on the connection's event loop and
/// does the reading and writing.
struct ForwardingPolicy: Sendable {
    let normalizer = PathNormalizer()
    let allowlist: PathAllowlist
    let cors: CORSPolicy
    let frontendKeys: FrontendKeys
    let rateLimiter: TokenBucketRateLimiter
    let audiencePolicy: AudiencePolicy
    let maximumBodySize: Int
    let servesConsole: Bool
    /// The configured `--host`, for recognising the console's own origin.
    let boundHost: String
    let upstream: UpstreamTarget
    let headerPolicy = HeaderPolicy()
    let jsonFilter = JSONCredentialFilter()
    let formFilter = FormCredentialFilter()
    private let plaidHeaders: [(String, String)]
    private let shareAPIHeaders: [(String, String)]

    static let operationalPaths: Set<String> = ["/healthz", "/readyz", "/metrics"]

    init(configuration: GatewayConfiguration, upstream: UpstreamTarget, credentials: UpstreamCredentials, audiencePolicy: AudiencePolicy, rateLimiter: TokenBucketRateLimiter) {
        self.allowlist = configuration.allowedPaths
        self.cors = configuration.cors
        self.frontendKeys = FrontendKeys(configuration.frontendKeys)
        self.rateLimiter = rateLimiter
        self.audiencePolicy = audiencePolicy
        self.maximumBodySize = configuration.maximumBodySize
        self.servesConsole = configuration.servesConsole
        self.boundHost = configuration.host
        self.upstream = upstream
        self.plaidHeaders = credentials.headers(forShareAPI: false)
        self.shareAPIHeaders = credentials.headers(forShareAPI: true)
    }

    /// Where a request goes.
    enum Route {
        /// An operations endpoint, answered by the router; `label` names it in metrics.
        case operations(label: String)
        /// Anything else: checked, then forwarded or refused. `entry` is `nil` for a path off the
        /// allowlist (refused 404 after the rate limit and CORS checks).
        case forwarded(path: String, query: Substring?, entry: PathAllowlist.Entry?)
    }

    /// Splits `target` (the request's path and query) and classifies the normalised path.
    func route(target: String) throws(GatewayRefusal) -> Route {
        var path = Substring(target)
        var query: Substring?
        if let fragment = path.firstIndex(of: "#") { path = path[..<fragment] }
        if let mark = path.firstIndex(of: "?") {
            query = path[path.index(after: mark)...]
            path = path[..<mark]
        }
        let normalized: String
        do {
            normalized = try normalizer.normalize(String(path))
        } catch {
            throw GatewayRefusal(status: .badRequest, code: .invalidRequest, description: error.description)
        }
        if Self.operationalPaths.contains(normalized) { return .operations(label: normalized) }
        if servesConsole && (normalized == "/console" || normalized.hasPrefix("/console/")) { return .operations(label: "/console") }
        return .forwarded(path: normalized, query: query, entry: allowlist.entry(matching: normalized))
    }

    /// What to do once a forwarded request's head has arrived.
    enum Admission {
        /// A CORS preflight, answered 204 with these headers.
        case preflight(HTTPHeaders)
        /// Collect the body, then ``prepare(_:path:query:body:)``.
        case collectBody
    }

    /// Steps 2–5 and the checks on the body's declared size and encoding.
    func admit(_ head: HTTPRequestHead, entry: PathAllowlist.Entry?, clientKey: String) throws(GatewayRefusal) -> Admission {
        if rateLimiter.isEnabled, case .limited(let seconds) = rateLimiter.acquire(client: clientKey) {
            var refusal = GatewayRefusal(status: .tooManyRequests, code: .rateLimited, description: "too many requests; retry after \(seconds) s")
            refusal.extraHeaders[.retryAfter] = String(seconds)
            throw refusal
        }
        let headers = head.headers
        let origin = Self.single(headers, "origin")
        if let origin, !cors.allows(origin: origin), !isConsoleOrigin(origin, authority: Self.single(headers, "host")) {
            throw GatewayRefusal(status: .forbidden, code: .originNotAllowed, description: "this origin may not call the gateway")
        }
        guard entry != nil else { throw GatewayRefusal.notFound() }
        if head.method == .OPTIONS, headers.contains(name: "access-control-request-method") {
            // A preflight: answered here, never forwarded. Without an Origin there is nothing to allow.
            guard let origin else { return .preflight([:]) }
            return .preflight(HTTPHeaders(cors.preflightHeaders(origin: origin)))
        }
        if !frontendKeys.isEmpty && !frontendKeys.accepts(Self.single(headers, "x-gateway-key")) {
            throw GatewayRefusal(status: .unauthorized, code: .invalidGatewayKey, description: "a valid X-Gateway-Key is required")
        }
        if let declared = headers.first(name: "content-length").flatMap(Int.init), declared > maximumBodySize {
            throw tooLarge()
        }
        if let encoding = Self.single(headers, "content-encoding"), encoding.lowercased() != "identity" {
            throw GatewayRefusal(status: .unsupportedMediaType, code: .unsupportedMediaType, description: "compressed request bodies are not accepted")
        }
        return .collectBody
    }

    /// The refusal for a body over ``maximumBodySize``.
    func tooLarge() -> GatewayRefusal {
        GatewayRefusal(status: .contentTooLarge, code: .requestTooLarge, description: "the request body exceeds \(maximumBodySize) bytes")
    }

    /// Steps 6–8 for a complete request: the head and body to send upstream.
    func prepare(_ head: HTTPRequestHead, path: String, query: Substring?, body: ByteBuffer?, requestID: String) throws(GatewayRefusal) -> (HTTPRequestHead, ByteBuffer?) {
        let inspected = try inspect(body, contentType: Self.single(head.headers, "content-type"))
        if path == "/oauth/token", let reason = audiencePolicy.refusal(grantType: inspected?.grantType, audience: inspected?.audience) {
            throw GatewayRefusal(status: .badRequest, code: .invalidTarget, description: reason)
        }
        var target = upstream.pathPrefix
        target.reserveCapacity(target.utf8.count + path.utf8.count + (query?.utf8.count ?? 0) + 1)
        target += path
        if let query, !query.isEmpty {
            let filtered: String?
            do {
                filtered = try formFilter.filterQuery(String(query))
            } catch {
                throw GatewayRefusal(status: .badRequest, code: .invalidRequest, description: "the query string contains a malformed percent-escape")
            }
            if let filtered {
                target += "?"
                target += filtered
            }
        }
        let injected = path.hasPrefix(UpstreamCredentials.shareAPIPrefix) ? shareAPIHeaders : plaidHeaders
        var headers = headerPolicy.upstreamHeaders(from: head.headers, injecting: injected, requestID: requestID)
        headers.add(name: "Host", value: upstream.authority)
        let forwardedBody = inspected?.body
        if let forwardedBody {
            headers.add(name: "Content-Length", value: String(forwardedBody.readableBytes))
        } else if head.method == .POST || head.method == .PUT || head.method == .PATCH {
            headers.add(name: "Content-Length", value: "0")
        }
        return (HTTPRequestHead(version: .http1_1, method: head.method, uri: target, headers: headers), forwardedBody)
    }

    /// The upstream's response head as the client receives it.
    func clientHead(from upstreamHead: HTTPResponseHead, requestID: String, origin: String?) -> HTTPResponseHead {
        var headers = headerPolicy.clientHeaders(from: upstreamHead.headers)
        if !headers.contains(name: "x-request-id") { headers.add(name: "X-Request-Id", value: requestID) }
        if let origin { cors.decorate(&headers, origin: origin) }
        return HTTPResponseHead(version: .http1_1, status: upstreamHead.status, headers: headers)
    }

    /// A refusal as the client receives it, with CORS headers for an allowed origin.
    func refusalResponse(_ refusal: GatewayRefusal, requestID: String, origin: String?) -> (HTTPResponseHead, ByteBuffer) {
        let (response, body) = refusal.head(requestID: requestID)
        var head = HTTPResponseHead(response)
        if let origin, cors.allows(origin: origin) { cors.decorate(&head.headers, origin: origin) }
        return (head, body)
    }

    /// A header's value when it appears once; several occurrences are joined with `, `, as
    /// `HTTPFields` reads them.
    static func single(_ headers: HTTPHeaders, _ name: String) -> String? {
        let values = headers[name]
        return values.count <= 1 ? values.first : values.joined(separator: ", ")
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

    /// Removes every credential field from the body. `nil` for an empty body.
    private func inspect(_ buffer: ByteBuffer?, contentType: String?) throws(GatewayRefusal) -> InspectedBody? {
        guard let buffer, buffer.readableBytes > 0 else { return nil }
        guard let format = BodyFormat(contentType: contentType) else {
            throw GatewayRefusal(
                status: .unsupportedMediaType, code: .unsupportedMediaType,
                description: "send application/json or application/x-www-form-urlencoded")
        }
        do {
            switch format {
            case .json: return try jsonFilter.inspect(buffer)
            case .form: return try formFilter.inspect(buffer)
            }
        } catch {
            throw GatewayRefusal(status: .badRequest, code: .invalidRequest, description: error.description)
        }
    }
}
