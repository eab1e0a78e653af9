import Foundation
import HTTPTypes
import NIOCore
import ShareCore

/// Every decision the gateway takes about a request it may forward, in order:
///
/// 1. normalise the path (``PathNormalizer``) → 400; operations endpoints (`/healthz`, `/readyz`,
///    `/metrics`, `/console/`) are left to the router, after the rate limit and a bound on their
///    body (``admitOperations(_:framing:clientKey:)``);
/// 2. per-client rate limit (``TokenBucketRateLimiter``, by peer address) → 429;
/// 3. a head that could be read two ways (``InspectedHeaderRules``: a field the gateway reads
///    listed in `Connection`, or given twice) → 400;
/// 4. CORS: a listed `Origin` or none → 403; preflights answered here (``CORSPolicy``), for any
///    path — a browser's preflight carries no frontend key, and answering it the same way
///    everywhere tells nothing about the allowlist;
/// 5. frontend key (``FrontendKeys``) → 401, checked before the allowlist so that a caller without
///    a key cannot tell listed paths from others;
/// 6. path allowlist (``PathAllowlist``) → 404, then the entry's methods → 405 with `Allow`;
///    nothing off the lists reaches the upstream;
/// 7. body: size limit → 413 (and the connection closes), JSON or form only → 415, credentials
///    removed (``JSONCredentialFilter``, ``FormCredentialFilter``) → 400 when malformed — except
///    on the sandbox's control plane (an operator allowlisted it explicitly), whose bodies hold
///    no credentials and go through as sent once checked;
/// 8. token-exchange audience (``AudiencePolicy``) → 400 `invalid_target`;
/// 9. the upstream request: headers filtered (``HeaderPolicy``), the `Content-Type` of the format
///    that was inspected, the gateway's credentials and the request id injected.
///
/// Synchronous and free of I/O: ``ForwardingHandler`` calls it on the connection's event loop and
/// does the reading and writing.
final class ForwardingPolicy: Sendable {
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
    /// The scheme of the console's own origin: `https` when the gateway serves HTTPS.
    let consoleScheme: String
    let upstream: UpstreamTarget
    let headerPolicy = HeaderPolicy()
    let jsonFilter = JSONCredentialFilter()
    let formFilter = FormCredentialFilter()
    /// The gateway's credentials, as header lines: for the Plaid API, and for share-token routes.
    private let plaidHeaderLines: ByteBuffer
    private let shareAPIHeaderLines: ByteBuffer
    /// The share-token API's header lines for each organization a caller may choose with
    /// `Share-Organization`.
    private let organizationHeaderLines: [String: ByteBuffer]
    /// The end of the upstream request line and the `Host` line.
    private let versionAndHost: ByteBuffer

    static let operationalPaths: Set<String> = ["/healthz", "/readyz", "/metrics"]
    /// The largest body an operations request may carry: they take none, and a client's bytes
    /// are not read into the router beyond this.
    static let maximumOperationsBodySize = 1024

    init(configuration: GatewayConfiguration, upstream: UpstreamTarget, credentials: UpstreamCredentials, audiencePolicy: AudiencePolicy, rateLimiter: TokenBucketRateLimiter) {
        self.allowlist = configuration.allowedPaths
        self.cors = configuration.cors
        self.frontendKeys = FrontendKeys(configuration.frontendKeys)
        self.rateLimiter = rateLimiter
        self.audiencePolicy = audiencePolicy
        self.maximumBodySize = configuration.maximumBodySize
        self.servesConsole = configuration.servesConsole
        self.boundHost = configuration.host
        self.consoleScheme = configuration.servesTLS ? "https://" : "http://"
        self.upstream = upstream
        self.plaidHeaderLines = Self.headerLines(credentials.headers(forShareAPI: false))
        self.shareAPIHeaderLines = Self.headerLines(credentials.headers(forShareAPI: true))
        self.organizationHeaderLines = Dictionary(
            credentials.organizations.compactMap { organization in
                credentials.shareAPIHeaders(organization: organization.id).map { (organization.id, Self.headerLines($0)) }
            },
            uniquingKeysWith: { first, _ in first })
        self.versionAndHost = ByteBuffer(string: " HTTP/1.1\r\nHost: \(upstream.authority)\r\n")
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
        // Split on the bytes: `?` and `#` are ASCII, and a target is ASCII (HTTPHeadParser checked).
        var path = Substring(target)
        var query: Substring?
        if let fragment = path.utf8.firstIndex(of: UInt8(ascii: "#")) { path = path[..<fragment] }
        if let mark = path.utf8.firstIndex(of: UInt8(ascii: "?")) {
            query = path[path.utf8.index(after: mark)...]
            path = path[..<mark]
        }
        let normalized: String
        do {
            normalized = try normalizer.normalize(path.endIndex == target.endIndex ? target : String(path))
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
        case preflight(HTTPFields)
        /// Collect the body, then ``writeUpstreamRequest(_:path:query:body:requestID:into:)``.
        case collectBody
    }

    /// Steps 2–6 and the checks on the body's declared size and encoding.
    func admit(_ request: ParsedRequestHead, entry: PathAllowlist.Entry?, declaredLength: Int?, clientKey: String) throws(GatewayRefusal) -> Admission {
        try checkRateLimit(clientKey: clientKey)
        let head = request.head
        if let ambiguity = InspectedHeaderRules.refusal(for: head) {
            throw GatewayRefusal(status: .badRequest, code: .invalidRequest, description: ambiguity)
        }
        let origin = head.value("origin")
        if let origin, !cors.allows(origin: origin), !isConsoleOrigin(origin, authority: head.value("host")) {
            throw GatewayRefusal(status: .forbidden, code: .originNotAllowed, description: "this origin may not call the gateway")
        }
        if request.method == "OPTIONS", head.contains("access-control-request-method") {
            // A preflight: answered here, never forwarded. Without an Origin there is nothing to allow.
            guard let origin else { return .preflight([:]) }
            return .preflight(cors.preflightHeaders(origin: origin))
        }
        if !frontendKeys.isEmpty && !frontendKeys.accepts(head.value("x-gateway-key")) {
            throw GatewayRefusal(status: .unauthorized, code: .invalidGatewayKey, description: "a valid X-Gateway-Key is required")
        }
        guard let entry else { throw GatewayRefusal.notFound() }
        guard entry.allows(method: request.method) else {
            var refusal = GatewayRefusal(
                status: .methodNotAllowed, code: .methodNotAllowed, description: "this path accepts \(entry.methods.joined(separator: ", ")) only")
            refusal.extraHeaders[.allow] = entry.methods.joined(separator: ", ")
            throw refusal
        }
        if let declaredLength, declaredLength > maximumBodySize {
            throw tooLarge()
        }
        if let encoding = head.value("content-encoding"), encoding.lowercased() != "identity" {
            throw GatewayRefusal(status: .unsupportedMediaType, code: .unsupportedMediaType, description: "compressed request bodies are not accepted")
        }
        return .collectBody
    }

    /// Step 2 and the body bound for a request to an operations endpoint, which the router
    /// answers: they take no body, so one over ``maximumOperationsBodySize`` (or chunked, whose
    /// size is unknown) is refused 413 before the router reads any of it.
    func admitOperations(_ request: ParsedRequestHead, framing: BodyFraming, clientKey: String) throws(GatewayRefusal) {
        try checkRateLimit(clientKey: clientKey)
        switch framing {
        case .none:
            return
        case .length(let remaining) where remaining <= Self.maximumOperationsBodySize:
            return
        default:
            throw GatewayRefusal(
                status: .contentTooLarge, code: .requestTooLarge,
                description: "this endpoint takes no request body (at most \(Self.maximumOperationsBodySize) bytes)")
        }
    }

    private func checkRateLimit(clientKey: String) throws(GatewayRefusal) {
        if rateLimiter.isEnabled, case .limited(let seconds) = rateLimiter.acquire(client: clientKey) {
            var refusal = GatewayRefusal(status: .tooManyRequests, code: .rateLimited, description: "too many requests; retry after \(seconds) s")
            refusal.extraHeaders[.retryAfter] = String(seconds)
            throw refusal
        }
    }

    /// The refusal for a body over ``maximumBodySize``.
    func tooLarge() -> GatewayRefusal {
        GatewayRefusal(status: .contentTooLarge, code: .requestTooLarge, description: "the request body exceeds \(maximumBodySize) bytes")
    }

    /// Steps 6–8 for a complete request: writes the request to send upstream, head and body.
    func writeUpstreamRequest(
        _ request: ParsedRequestHead, path: String, query: Substring?, body: ByteBuffer?, requestID: String, into out: inout ByteBuffer
    ) throws(GatewayRefusal) {
        let credentialLines = try credentialHeaderLines(for: request.head, path: path)
        let (format, inspected) = try inspect(body, head: request.head)
        if path == "/oauth/token", let reason = audiencePolicy.refusal(grantType: inspected?.grantType, audience: inspected?.audience) {
            throw GatewayRefusal(status: .badRequest, code: .invalidTarget, description: reason)
        }
        var filteredQuery: String?
        if let query, !query.isEmpty {
            do {
                filteredQuery = try formFilter.filterQuery(String(query))
            } catch {
                throw GatewayRefusal(status: .badRequest, code: .invalidRequest, description: "the query string contains a malformed percent-escape")
            }
        }
        // The sandbox's control plane reads no credentials from a body, and there a `client_id`
        // is data (the client a fault is for): its body, once checked, goes through as sent.
        let forwardedBody = PathAllowlist.isSandboxControlPath(path) && inspected != nil ? body : inspected?.body
        out.reserveCapacity(minimumWritableBytes: request.head.bytes.readableBytes + 256 + (forwardedBody?.readableBytes ?? 0))
        out.writeString(request.method)
        out.writeStaticString(" ")
        out.writeString(upstream.pathPrefix)
        out.writeString(path)
        if let filteredQuery {
            out.writeStaticString("?")
            out.writeString(filteredQuery)
        }
        out.writeImmutableBuffer(versionAndHost)
        headerPolicy.writeUpstreamHeaders(of: request.head, into: &out)
        out.writeImmutableBuffer(credentialLines)
        HTTPResponseWriter.writeField("X-Request-Id", requestID, into: &out)
        if let forwardedBody {
            // The representation the filters read, whatever the client's spelling of it was.
            if let format { HeaderPolicy.writeContentType(of: format, into: &out) }
            HTTPResponseWriter.writeField("Content-Length", String(forwardedBody.readableBytes), into: &out)
        } else if request.method == "POST" || request.method == "PUT" || request.method == "PATCH" {
            out.writeStaticString("Content-Length: 0\r\n")
        }
        out.writeStaticString("\r\n")
        if let forwardedBody { out.writeImmutableBuffer(forwardedBody) }
    }

    /// The start of the response the client receives for the upstream's `response`: status line
    /// and headers. `relaysChunks` adds `Transfer-Encoding: chunked`, for a body whose chunks go
    /// through as they are.
    func writeClientHead(
        from response: ParsedResponseHead, requestID: String, origin: String?, relaysChunks: Bool, connection: HTTPResponseWriter.ConnectionField,
        into out: inout ByteBuffer
    ) {
        out.reserveCapacity(minimumWritableBytes: response.head.bytes.readableBytes + 128)
        out.writeStaticString("HTTP/1.1 ")
        out.writeString(String(response.status))
        out.writeStaticString(" ")
        response.head.withUnsafeBytes { raw in
            _ = out.writeBytes(HTTPMessageHead.slice(raw, response.reason.start, response.reason.end))
        }
        out.writeStaticString("\r\n")
        let (vary, hasRequestID) = headerPolicy.writeClientHeaders(of: response.head, holdingVary: origin != nil, into: &out)
        if !hasRequestID { HTTPResponseWriter.writeField("X-Request-Id", requestID, into: &out) }
        if let origin { cors.writeHeaders(origin: origin, vary: vary, into: &out) }
        if relaysChunks { out.writeStaticString("Transfer-Encoding: chunked\r\n") }
        HTTPResponseWriter.writeConnection(connection, into: &out)
        out.writeStaticString("\r\n")
    }

    /// A refusal as the client receives it, with CORS headers for an allowed origin.
    /// `toHEAD` leaves the body out (a response to `HEAD` has none).
    func refusalResponse(
        _ refusal: GatewayRefusal, requestID: String, origin: String?, connection: HTTPResponseWriter.ConnectionField, toHEAD: Bool = false
    ) -> ByteBuffer {
        var (response, body) = refusal.head(requestID: requestID)
        if let origin, cors.allows(origin: origin) { cors.decorate(&response.headerFields, origin: origin) }
        return HTTPResponseWriter.response(status: response.status, fields: response.headerFields, body: body, connection: connection, omittingBody: toHEAD)
    }

    /// Whether `origin` is the gateway's own, for the console it serves: the `Host` the browser
    /// used, when that names this machine (a loopback address or `localhost`) or the bound host.
    /// A DNS-rebinding page arrives with its own domain in `Host`, so it never qualifies.
    func isConsoleOrigin(_ origin: String, authority: String?) -> Bool {
        guard servesConsole, let authority, origin == consoleScheme + authority else { return false }
        var hostname = Substring(authority)
        if hostname.hasPrefix("["), let end = hostname.firstIndex(of: "]") {
            hostname = hostname[hostname.index(after: hostname.startIndex)..<end]
        } else if let colon = hostname.lastIndex(of: ":") {
            hostname = hostname[..<colon]
        }
        return GatewayConfiguration.isLoopback(String(hostname)) || hostname == boundHost
    }

    /// The credentials to inject for `path`: the Plaid client's, or the share-token API key of the
    /// organization the request names in `Share-Organization` (the default one without it). An
    /// organization the gateway has no key for is refused 400 `unknown_organization`, naming the
    /// ones it has; the header itself never goes upstream.
    func credentialHeaderLines(for head: HTTPMessageHead, path: String) throws(GatewayRefusal) -> ByteBuffer {
        guard path.hasPrefix(UpstreamCredentials.shareAPIPrefix) else { return plaidHeaderLines }
        guard let organization = head.value("share-organization")?.trimmingCharacters(in: .whitespaces), !organization.isEmpty else {
            return shareAPIHeaderLines
        }
        if let lines = organizationHeaderLines[organization] { return lines }
        let known = organizationHeaderLines.keys.sorted()
        throw GatewayRefusal(
            status: .badRequest, code: .unknownOrganization,
            description: known.isEmpty
                ? "this gateway acts as one organization only; send no Share-Organization header"
                : "Share-Organization must be one of " + known.joined(separator: ", "))
    }

    private static func headerLines(_ headers: [(String, String)]) -> ByteBuffer {
        var lines = ByteBuffer()
        for (name, value) in headers {
            lines.writeString(name)
            lines.writeStaticString(": ")
            lines.writeString(value)
            lines.writeStaticString("\r\n")
        }
        return lines
    }

    /// Removes every credential field from the body, and tells which format it was read as.
    /// `nil` for an empty body.
    private func inspect(_ buffer: ByteBuffer?, head: HTTPMessageHead) throws(GatewayRefusal) -> (BodyFormat?, InspectedBody?) {
        guard let buffer, buffer.readableBytes > 0 else { return (nil, nil) }
        guard let format = BodyFormat(contentTypeOf: head) else {
            throw GatewayRefusal(
                status: .unsupportedMediaType, code: .unsupportedMediaType,
                description: "send application/json or application/x-www-form-urlencoded")
        }
        do {
            switch format {
            case .json: return (format, try jsonFilter.inspect(buffer))
            case .form: return (format, try formFilter.inspect(buffer))
            }
        } catch {
            throw GatewayRefusal(status: .badRequest, code: .invalidRequest, description: error.description)
        }
    }
}
